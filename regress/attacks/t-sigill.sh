# An undefined instruction: SIGILL, where it happened.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$K/ud2.o" "kernel=playground" 422 "^Signalled: SIGILL at \.text\+0x0$"
host_clean
pass
