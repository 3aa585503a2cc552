# Cgroup creation failing: the daemon runs in a cgroup of this test's
# own, whose webrunnerd directory the test then makes unusable (renamed
# away on v1, no more descendants allowed on v2), so that no runner can
# get a cgroup.  The monitor route says 503 and why; a run is answered
# 503 with the reason at once;
# the log names the cause; and once the directory is back the service
# continues without a restart.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
CG=/sys/fs/cgroup
MINE=wrfault-$$
if [ "$(stat -f -c %T $CG)" = cgroup2fs ]; then
	own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	[ "$own" = / ] && own=
	dirs=$CG$own
else
	dirs=
	for c in memory pids; do
		own=$(awk -F: -v c=$c '{ n = split($2, a, ",");
		    for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' \
		    /proc/self/cgroup)
		[ "$own" = / ] && own=
		[ -d "$CG/$c$own" ] || skip "no cgroup v1 $c controller"
		dirs="$dirs $CG/$c$own"
	done
fi
# Move this shell into a cgroup of its own while the daemon starts, so
# the daemon's webrunnerd directory is ours alone; then move back.
for d in $dirs; do
	mkdir "$d/$MINE" || skip "cannot create a cgroup in $d"
done
tidy() {
	stop_daemon
	for d in $dirs; do
		[ -d "$d/$MINE/webrunnerd-off" ] &&
		    mv "$d/$MINE/webrunnerd-off" "$d/$MINE/webrunnerd"
		[ -f "$d/$MINE/webrunnerd/cgroup.max.descendants" ] &&
		    echo max > "$d/$MINE/webrunnerd/cgroup.max.descendants"
		echo $$ > "$d/cgroup.procs" 2>/dev/null
		find "$d/$MINE" -depth -mindepth 1 -type d -exec rmdir {} \; \
		    2>/dev/null
		rmdir "$d/$MINE"
	done
	rm -rf "$OBJ"
}
trap tidy EXIT
for d in $dirs; do
	echo $$ > "$d/$MINE/cgroup.procs" || fail "cannot enter $d/$MINE"
done
start_daemon "runners 1" "time-limit 2s"
for d in $dirs; do
	echo $$ > "$d/cgroup.procs" || fail "cannot leave $d/$MINE"
done
base=$(echo $dirs | cut -d' ' -f1)/$MINE/webrunnerd
[ -d "$base" ] || fail "the daemon did not make $base"

code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "before the fault: $code $(cat "$OBJ/body")"

# The fault.  The pool's two waiting runners (runners 1 keeps one more
# ready) already have their cgroups: use them up, so that their
# replacements are the first to need new ones.
if [ -f "$base/cgroup.max.descendants" ]; then
	echo 0 > "$base/cgroup.max.descendants" || fail "cannot limit $base"
else
	mv "$base" "${base%/*}/webrunnerd-off" || fail "cannot rename $base"
fi
for k in 1 2; do
	code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
	[ "$code" = 200 ] || fail "waiting runner $k: $code $(cat "$OBJ/body")"
done
wait_monitor 503 || fail "the monitor route does not say 503"
curl -s "$(url /x/monitor)" > "$OBJ/health"
grep -qi "cgroup" "$OBJ/health" || fail "503 without the cause: $(cat "$OBJ/health")"
echo "monitor route during the fault: 503 $(cat "$OBJ/health")"
grep -q "cannot create cgroup" "$LOG" || fail "the cause is not logged"
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
if [ -f "$base/cgroup.max.descendants" ]; then
	echo max > "$base/cgroup.max.descendants"
else
	mv "${base%/*}/webrunnerd-off" "$base"
fi
i=0
while [ $i -lt 20 ] && ! wait_monitor 200; do i=$((i + 1)); done
wait_monitor 200 || fail "the monitor route does not come back"
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "after the fault: $code $(cat "$OBJ/body")"
[ "$(child_pid webrunnerd-net)" = "$npid" ] || fail "network process restarted"
grep -q "fatal" "$LOG" && fail "something died"
mpid=$DPID
stop_daemon
for d in $(find $CG -maxdepth 8 -type d -path "*$MINE/webrunnerd*/runner-*"); do
	[ -s "$d/cgroup.procs" ] && fail "processes left in $d"
done
pass
