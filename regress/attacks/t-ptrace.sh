# ptrace(PTRACE_ATTACH) of the monitor: refused, the monitor is not
# traced.
. "$(dirname "$0")/attack.sh"
attack_daemon
k=$(patched "$A/k_ptrace.o" "pid:$DPID") || fail "cannot patch the kernel"
expect "$k" "kernel=playground" 422 "^Dangerous syscall: ptrace \(101\)$"
grep -q "^TracerPid:[[:space:]]*0$" /proc/$DPID/status || fail "the monitor is traced"
host_clean
pass
