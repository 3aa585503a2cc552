# clone3(2), whose flags seccomp cannot see: refused all the same, no
# process is left.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_clone3.o" "kernel=playground" 422 "^Dangerous syscall: clone3 \(435\)$"
host_clean
pass
