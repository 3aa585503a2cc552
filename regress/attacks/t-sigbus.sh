# An unaligned load with the alignment check flag set: SIGBUS, where it
# happened.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_sigbus.o" "kernel=playground" 422 "^Signalled: SIGBUS: bad access to address 0x[0-9a-f]+ at \.text\+0x[0-9a-f]+$"
host_clean
pass
