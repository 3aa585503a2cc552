# SIGKILL of the monitor in the middle of runs: no process it started
# survives it (network process, runners, and whatever a runner started),
# the listening port is free again, and no process is left in a runner
# cgroup.  The monitor cannot remove its cgroups when killed; the empty
# ones it leaves are counted and removed here.
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 2" "time-limit 5s"
post "$TOP/kernels/sdot.o" "kernel=sdot" > /dev/null
for i in 1 2 3; do
	curl -s -o /dev/null --max-time 10 --data-binary \
	    @"$TOP/regress/kernels/spin.o" \
	    "$(url "/local/run?kernel=playground")" &
done
sleep 1
kids=$(descendants)
[ "$(echo $kids | wc -w)" -ge 3 ] || fail "too few processes below the monitor: $kids"
mpid=$DPID
kill -KILL "$DPID"
wait "$DPID" 2>/dev/null
DPID=
# PR_SET_PDEATHSIG acts at once; allow for scheduling.
alive=
i=0
while [ $i -lt 50 ]; do
	alive=
	for k in $kids; do
		s=$(awk '/^State:/ { print $2 }' /proc/$k/status 2>/dev/null)
		[ -n "$s" ] && [ "$s" != Z ] && alive="$alive $k"
	done
	[ -z "$alive" ] && break
	sleep 0.1
	i=$((i + 1))
done
[ -z "$alive" ] || fail "survived the monitor:$(for k in $alive; do
    printf ' %s (%s)' $k "$(tr '\0' ' ' < /proc/$k/cmdline)"; done)"
# No process in any cgroup the monitor made for a runner.
left=0
for d in $(find /sys/fs/cgroup -maxdepth 6 -type d \
    -path "*webrunnerd/runner-$mpid-*" 2>/dev/null); do
	[ -s "$d/cgroup.procs" ] && fail "processes left in $d: $(cat "$d/cgroup.procs")"
	left=$((left + 1))
done
echo "runner cgroup directories left by the killed monitor: $left"
# The port is free: a new daemon binds it and answers, and it removes
# what the dead monitor left.
start_daemon
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "new daemon on the same port: $code"
n=$(leftover_cgroups "$mpid")
[ "$n" = 0 ] || fail "$n runner cgroups of the dead monitor left after a new start"
[ "$left" = 0 ] || grep -q "removed [0-9]* runner cgroups of a monitor that is gone" "$LOG" ||
    fail "the sweep is not logged"
pass
