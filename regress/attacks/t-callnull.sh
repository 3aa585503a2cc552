# A call through a null function pointer: SIGSEGV outside the object.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_callnull.o" "kernel=playground" 422 "^Signalled: SIGSEGV: bad access to address 0x0 at 0x0 outside the object$"
host_clean
pass
