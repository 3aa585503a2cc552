# A load through a null pointer: SIGSEGV at address 0.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$K/nullread.o" "kernel=playground" 422 "^Signalled: SIGSEGV: bad access to address 0x0 at \.text\+0x2$"
host_clean
pass
