# execve by its x32 number: the runner is killed outright, nothing runs.
. "$(dirname "$0")/attack.sh"
k=$(patched "$A/k_x32_execve.o" "touch $PWNED") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: system call refused outright \(int 0x80, x32"
host_clean
pass
