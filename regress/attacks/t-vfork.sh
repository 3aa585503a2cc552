# vfork(2) by raw system call: refused, no process is left.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_vfork.o" "kernel=playground" 422 "^Dangerous syscall: vfork \(58\)$"
host_clean
pass
