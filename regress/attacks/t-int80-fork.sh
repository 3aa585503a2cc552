# fork through int 0x80: the runner is killed outright, no process is
# left.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_int80_fork.o" "kernel=playground" 422 "^Dangerous syscall: system call refused outright \(int 0x80"
host_clean
pass
