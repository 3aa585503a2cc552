# fork by its x32 number: the runner is killed outright, no process is
# left.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_x32_fork.o" "kernel=playground" 422 "^Dangerous syscall: system call refused outright \(int 0x80, x32"
host_clean
pass
