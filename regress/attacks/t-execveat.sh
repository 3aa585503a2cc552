# execveat(2) of a shell that would create a file on the host: refused,
# no file.
. "$(dirname "$0")/attack.sh"
k=$(patched "$A/k_execveat.o" "touch $PWNED") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: execveat \(322\)$"
host_clean
pass
