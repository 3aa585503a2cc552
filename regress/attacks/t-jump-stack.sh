# Code pushed onto the stack, then jumped to: SIGSEGV, the stack is not
# executable.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_jump_stack.o" "kernel=playground" 422 "^Signalled: SIGSEGV: bad access to address 0x[0-9a-f]+ at 0x[0-9a-f]+ outside the object$"
host_clean
pass
