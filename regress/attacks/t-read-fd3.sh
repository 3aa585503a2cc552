# read(2) on the result socket: refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_read_fd3.o" "kernel=playground" 422 "^Dangerous syscall: read \(0\)$"
host_clean
pass
