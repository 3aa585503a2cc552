# open(2) of a secret host file by raw system call: refused before it
# reads a byte.
. "$(dirname "$0")/attack.sh"
make_secret
k=$(patched "$A/k_open.o" "$SECRET") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: open \(2\)$"
host_clean
pass
