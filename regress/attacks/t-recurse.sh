# Unbounded recursion overflows the stack: SIGSEGV, reported from the
# alternate signal stack.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_recurse.o" "kernel=playground" 422 "^Signalled: SIGSEGV: bad access to address 0x[0-9a-f]+ at \.text\+0x[0-9a-f]+$"
host_clean
pass
