# rt_sigaction(SIGSYS) to swallow the filter's traps: refused, and
# reported.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_sigaction.o" "kernel=playground" 422 "^Dangerous syscall: rt_sigaction \(13\)$"
host_clean
pass
