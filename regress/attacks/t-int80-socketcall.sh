# socketcall(SYS_SOCKET) through int 0x80: the runner is killed outright.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_int80_socketcall.o" "kernel=playground" 422 "^Dangerous syscall: system call refused outright \(int 0x80"
host_clean
pass
