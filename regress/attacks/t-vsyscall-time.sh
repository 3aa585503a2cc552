# time through the vsyscall page: seen by seccomp (or, with
# vsyscall=none, SIGSEGV).
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_vsyscall_time.o" "kernel=playground" 422 "^(Dangerous syscall: time \(201\)|Signalled: SIGSEGV)"
host_clean
pass
