# perf_event_open(2) on the monitor's pid: refused, a runner counts only
# itself.
. "$(dirname "$0")/attack.sh"
attack_daemon
k=$(patched "$A/k_perf_event_open.o" "pid:$DPID") || fail "cannot patch the kernel"
expect "$k" "kernel=playground" 422 "^Dangerous syscall: perf_event_open \(298\)$"
host_clean
pass
