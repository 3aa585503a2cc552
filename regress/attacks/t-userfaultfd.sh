# userfaultfd(2): refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_userfaultfd.o" "kernel=playground" 422 "^Dangerous syscall: userfaultfd \(323\)$"
host_clean
pass
