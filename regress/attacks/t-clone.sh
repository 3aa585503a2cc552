# clone(2) by raw system call: refused, no process is left.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_clone.o" "kernel=playground" 422 "^Dangerous syscall: clone \(56\)$"
host_clean
pass
