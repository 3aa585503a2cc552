# hlt, a privileged instruction: SIGSEGV.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_hlt.o" "kernel=playground" 422 "^Signalled: SIGSEGV: .* at \.text\+0x0$"
host_clean
pass
