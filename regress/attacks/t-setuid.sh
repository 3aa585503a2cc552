# setuid(0): refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_setuid.o" "kernel=playground" 422 "^Dangerous syscall: setuid \(105\)$"
host_clean
pass
