# int3: SIGTRAP.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$K/int3.o" "kernel=playground" 422 "^Signalled: SIGTRAP at \.text\+0x1$"
host_clean
pass
