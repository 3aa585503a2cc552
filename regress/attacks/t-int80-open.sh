# open(2) of a secret host file through int 0x80: the runner is killed
# outright.
. "$(dirname "$0")/attack.sh"
make_secret
k=$(patched "$A/k_int80_open.o" "$SECRET") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: system call refused outright \(int 0x80"
host_clean
pass
