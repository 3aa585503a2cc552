# Back into the harness with the stack pointer and every callee-saved
# register destroyed: the fault is still reported.  Where a stepper
# counts the first call, the return from its trap faults already on the
# non-canonical stack pointer, in the kernel (webrunnerd(8), COUNTERS);
# elsewhere the harness faults on it, outside the object.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_clobber.o" "kernel=playground" 422 "^Signalled: SIG(SEGV|BUS): .*( outside the object| at \.text\+0x20)$"
host_clean
pass
