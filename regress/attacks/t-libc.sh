# libc's execve(), which the runner never calls, found through its GOT
# and libc's symbol table: refused, nothing runs.
. "$(dirname "$0")/attack.sh"
k=$(patched "$A/k_libc.o" "touch $PWNED") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: execve \(59\)$"
host_clean
pass
