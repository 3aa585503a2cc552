# Back into the harness with the stack pointer and every callee-saved
# register destroyed: the fault is still reported.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_clobber.o" "kernel=playground" 422 "^Signalled: SIG(SEGV|BUS): .* outside the object$"
host_clean
pass
