# openat(2) of a host file with O_TRUNC: refused, the file keeps its
# bytes.
. "$(dirname "$0")/attack.sh"
make_secret
k=$(patched "$A/k_truncate.o" "$SECRET") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: openat \(257\)$"
host_clean
pass
