# execve through int 0x80: the runner is killed outright, nothing runs.
. "$(dirname "$0")/attack.sh"
k=$(patched "$A/k_int80_execve.o" "touch $PWNED") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: system call refused outright \(int 0x80"
host_clean
pass
