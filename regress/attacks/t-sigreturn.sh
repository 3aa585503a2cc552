# rt_sigreturn(2) on a forged frame, as in sigreturn-oriented
# programming: refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_sigreturn.o" "kernel=playground" 422 "^Dangerous syscall: rt_sigreturn \(15\)$"
host_clean
pass
