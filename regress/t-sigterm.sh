# SIGTERM: clean shutdown, no process and no cgroup of the daemon left.
. "$(dirname "$0")/test-exec.sh"
start_daemon
code=$(post "$TOP/kernels/playground.o" "kernel=playground")
[ "$code" = 200 ] || fail "run gave $code"
# Everything the monitor started, before it goes.
kids=$(for p in /proc/[0-9]*; do
	ppid=$(awk '/^PPid:/ { print $2 }' "$p/status" 2>/dev/null)
	[ "$ppid" = "$DPID" ] && echo "${p#/proc/}"
done)
[ -n "$kids" ] || fail "the monitor has no children"
mpid=$DPID
kill -TERM "$DPID"
i=0
while kill -0 "$DPID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$DPID" 2>/dev/null && fail "monitor still running"
DPID=
sleep 0.3
for k in $kids; do
	[ -d "/proc/$k" ] && fail "child $k survived: $(cat /proc/$k/cmdline | tr '\0' ' ')"
done
[ "$(leftover_cgroups $mpid)" = 0 ] || fail "$(leftover_cgroups $mpid) cgroups left"
pass
