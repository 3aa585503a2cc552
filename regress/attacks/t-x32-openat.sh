# openat(2) of a secret host file by its x32 number: the runner is killed
# outright.
. "$(dirname "$0")/attack.sh"
make_secret
k=$(patched "$A/k_x32_openat.o" "$SECRET") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: system call refused outright \(int 0x80, x32"
host_clean
pass
