# kill(monitor, SIGKILL): refused, the monitor lives on.
. "$(dirname "$0")/attack.sh"
attack_daemon
k=$(patched "$A/k_kill.o" "pid:$DPID") || fail "cannot patch the kernel"
expect "$k" "kernel=playground" 422 "^Dangerous syscall: kill \(62\)$"
host_clean
pass
