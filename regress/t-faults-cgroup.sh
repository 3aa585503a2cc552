# Cgroup creation failing: the daemon runs in a mount namespace of its
# own, where the test then makes the cgroup file systems read-only, so
# that no runner can get a cgroup (as in a container whose cgroupfs is
# mounted read-only).  The monitor keeps its webrunnerd directories open,
# so making them unusable has to go through the mount, not the path.
# The monitor route says 503 and why; a run is answered 503 with the
# reason at once; the log names the cause; and once the mounts are
# writable again the service continues without a restart, and removes
# the cgroups it could not remove during the fault.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
command -v unshare > /dev/null && command -v nsenter > /dev/null ||
    skip "no unshare or nsenter"
CG=/sys/fs/cgroup
# The mounts that hold the daemon's cgroups.
if [ "$(stat -f -c %T $CG)" = cgroup2fs ]; then
	mnts=$CG
else
	mnts=
	for c in memory pids; do
		m=$(awk -v c=$c '$3 == "cgroup" { n = split($4, a, ",");
		    for (i = 1; i <= n; i++) if (a[i] == c) print $2 }' \
		    /proc/mounts)
		[ -n "$m" ] || skip "no cgroup v1 $c controller"
		mnts="$mnts $m"
	done
fi
in_daemon_ns() {
	nsenter -t "$mpid" -m "$@"
}
tidy() {
	[ -n "$mpid" ] && for m in $mnts; do
		in_daemon_ns mount -o remount,bind,rw "$m" 2>/dev/null
	done
	stop_daemon
	# Cgroups of runners that ended during the fault could not be
	# removed; the daemon is gone, so nothing is in them.
	[ -n "$mpid" ] && find $mnts -maxdepth 8 -type d \
	    -name "runner-$mpid-*" -exec rmdir {} \; 2>/dev/null
	rm -rf "$OBJ"
}
trap tidy EXIT
mpid=
WRAP="unshare -m --propagation private"
start_daemon "runners 1" "time-limit 2s"
mpid=$DPID
[ "$(readlink /proc/$mpid/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] ||
    fail "the daemon is not in a mount namespace of its own"

code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "before the fault: $code $(cat "$OBJ/body")"

# The fault.  The pool's two waiting runners (runners 1 keeps one more
# ready) already have their cgroups: use them up, so that their
# replacements are the first to need new ones.
for m in $mnts; do
	in_daemon_ns mount -o remount,bind,ro "$m" ||
	    fail "cannot make $m read-only"
done
touch "$(echo $mnts | cut -d' ' -f1)/x" 2>/dev/null &&
    fail "the remount reached this test's own mount namespace"
for k in 1 2; do
	code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
	[ "$code" = 200 ] || fail "waiting runner $k: $code $(cat "$OBJ/body")"
done
wait_monitor 503 || fail "the monitor route does not say 503"
curl -s "$(url /x/monitor)" > "$OBJ/health"
grep -qi "cgroup" "$OBJ/health" || fail "503 without the cause: $(cat "$OBJ/health")"
echo "monitor route during the fault: 503 $(cat "$OBJ/health")"
grep -q "cannot create cgroup .*: Read-only file system" "$LOG" ||
    fail "the cause is not logged"
curl -s -H 'Accept: application/json' "$(url /x/monitor)" | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["status"] == "unavailable" and "cgroup" in j["reason"], j
assert j["runners"]["waiting"] == 2 and j["runners"]["idle"] == 0, j
' || fail "the monitor route's JSON does not show the fault"
# A run while no runner can start is answered at once, 503 with the
# cause and Retry-After, not left waiting for as long as the fault lasts.
t0=$(date +%s)
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot" -D "$OBJ/hdr")
echo "a run during the fault: $code after $(($(date +%s) - t0)) s: $(head -1 "$OBJ/body")"
[ "$code" = 503 ] || fail "a run during the fault: $code $(cat "$OBJ/body")"
grep -q "^Service unavailable: no runner can start: .*cgroup" "$OBJ/body" || fail "503 without the cause: $(cat "$OBJ/body")"
grep -qi "^Retry-After: [1-9]" "$OBJ/hdr" || fail "503 without Retry-After: $(cat "$OBJ/hdr")"
[ $(($(date +%s) - t0)) -lt 5 ] || fail "the 503 took 5 s or more"

# The fault goes away: the service comes back without a restart.
npid=$(child_pid webrunnerd-net)
for m in $mnts; do
	in_daemon_ns mount -o remount,bind,rw "$m" ||
	    fail "cannot make $m writable again"
done
i=0
while [ $i -lt 20 ] && ! wait_monitor 200; do i=$((i + 1)); done
wait_monitor 200 || fail "the monitor route does not come back"
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "after the fault: $code $(cat "$OBJ/body")"
[ "$(child_pid webrunnerd-net)" = "$npid" ] || fail "network process restarted"
# The runners that served during the fault left cgroups that could not be
# removed then; they are gone now.
left=$(sed -n 's/.*cannot remove cgroup \(runner-[0-9-]*\).*/\1/p' "$LOG")
[ -n "$left" ] ||
    fail "no cgroup was left during the fault: the test proves nothing"
for n in $left; do
	d=$(find $mnts -maxdepth 8 -type d -name "$n")
	[ -z "$d" ] || fail "$d is still there after the fault"
done
grep -q "removed [0-9]* runner cgroups* that could not be removed before" \
    "$LOG" || fail "the late removal is not logged"
echo "left during the fault and removed after it:" $left
grep -q "fatal" "$LOG" && fail "something died"
stop_daemon
for d in $(find $mnts -maxdepth 8 -type d -name "runner-$mpid-*"); do
	[ -s "$d/cgroup.procs" ] && fail "processes left in $d"
done
pass
