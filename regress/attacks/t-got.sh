# libc's syscall(), found through the return address on the stack and the
# runner's GOT, asked to open a secret host file: refused.
. "$(dirname "$0")/attack.sh"
make_secret
k=$(patched "$A/k_got.o" "$SECRET") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: openat \(257\)$"
host_clean
pass
