# fork(2) by raw system call: refused, no process is left.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_fork.o" "kernel=playground" 422 "^Dangerous syscall: fork \(57\)$"
host_clean
pass
