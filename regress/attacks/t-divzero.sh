# An integer division by zero: SIGFPE.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_divzero.o" "kernel=playground" 422 "^Signalled: SIGFPE at \.text\+0x[0-9a-f]+$"
host_clean
pass
