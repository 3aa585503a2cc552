# A forbidden system call with the alignment check flag set: still
# reported as the system call.
. "$(dirname "$0")/attack.sh"
make_secret
k=$(patched "$A/k_ac_syscall.o" "$SECRET") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: openat \(257\)$"
host_clean
pass
