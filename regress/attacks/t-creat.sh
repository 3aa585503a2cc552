# creat(2) of a file on the host: refused, nothing is created.
. "$(dirname "$0")/attack.sh"
k=$(patched "$A/k_creat.o" "$PWNED") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: creat \(85\)$"
host_clean
pass
