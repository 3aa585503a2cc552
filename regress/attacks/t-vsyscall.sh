# gettimeofday through the vsyscall page: the host kernel emulates the
# call and seccomp still sees it (or, with vsyscall=none, SIGSEGV).
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_vsyscall.o" "kernel=playground" 422 "^(Dangerous syscall: gettimeofday \(96\)|Signalled: SIGSEGV)"
host_clean
pass
