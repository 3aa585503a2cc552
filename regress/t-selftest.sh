# The monitor route is backed by a real self-test: a built-in counting
# kernel and a built-in forbidden system call, run by a fresh runner of
# the pool.  It passes within moments of the pool being up; without a
# hardware PMU it checks the single-stepped instruction count; GET shows
# the pool, the queue, the last self-test, the perf events, the cgroup
# version and the uptime, as text or JSON; HEAD has no body; and the
# route stays 200 across several self-test periods.
. "$(dirname "$0")/test-exec.sh"
t0=$(date +%s%N)
start_daemon "runners 1" "self-test interval 4s"
t1=$(date +%s%N)
echo "monitor route 200 after $(( (t1 - t0) / 1000000 )) ms"
[ $(( (t1 - t0) / 1000000 )) -lt 5000 ] || fail "ready only after $(( (t1 - t0) / 1000000 )) ms"

curl -s -D "$OBJ/h" -o "$OBJ/b" "$(url /local/monitor)"
grep -q '^HTTP/1.1 200' "$OBJ/h" || fail "GET is not 200: $(cat "$OBJ/h" "$OBJ/b")"
cat "$OBJ/b"
[ "$(head -1 "$OBJ/b")" = OK ] || fail "first line is not OK: $(cat "$OBJ/b")"
grep -q '^Self-test: passed at 20[0-9-]*T[0-9:]*Z, .*forbidden system call stopped (Dangerous syscall: socket (41))' "$OBJ/b" ||
    fail "no passed self-test with the syscall stopped"
if grep -q 'no hardware PMU' "$OBJ/b"; then
	grep -q 'instruction count 5003 exact (single-stepped, no hardware PMU)' "$OBJ/b" ||
	    fail "without a PMU the count is not single-stepped and checked"
else
	grep -q 'instruction count 5003 exact' "$OBJ/b" ||
	    fail "with a PMU the instruction count is not checked"
fi
grep -q '^Runners: 2 (idle [0-2], busy [01], starting [0-2], waiting 0)$' "$OBJ/b" || fail "no pool line"
grep -q '^Queue: 0 of 64$' "$OBJ/b" || fail "no queue line"
grep -q '^Perf events available:.*task-clock' "$OBJ/b" || fail "no perf events"
grep -q '^Cgroup: v[12]$' "$OBJ/b" || fail "no cgroup version"
grep -q '^Uptime: [0-9]* s$' "$OBJ/b" || fail "no uptime"

# JSON on request.
curl -s -H 'Accept: application/json' "$(url /local/monitor)" > "$OBJ/j"
python3 - "$OBJ/j" <<'PY' || fail "bad JSON: $(cat "$OBJ/j")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["status"] == "ok", j
assert j["self_test"]["passed"] is True, j
assert "Dangerous syscall" in j["self_test"]["result"], j
assert j["self_test"]["interval"] == 4, j
assert j["runners"]["size"] == 2, j
assert j["queue"]["depth"] == 0 and j["queue"]["max"] == 64, j
assert "task-clock" in j["perf_events"]["available"], j
assert j["cgroup_version"] in (1, 2), j
assert isinstance(j["uptime"], int), j
PY

# HEAD: the code and the length, no body.
curl -s -I "$(url /local/monitor)" > "$OBJ/h"
grep -q '^HTTP/1.1 200' "$OBJ/h" || fail "HEAD is not 200"

# Runs go on between self-tests, and the route never drops to 503 while
# the self-test repeats (every 2 s here).
i=0
while [ $i -lt 35 ]; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -I "$(url /local/monitor)")
	[ "$code" = 200 ] || fail "the route flapped to $code after $i checks: $(curl -s "$(url /local/monitor)")"
	if [ $((i % 5)) = 0 ]; then
		code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
		[ "$code" = 200 ] || fail "a run between self-tests: $code $(cat "$OBJ/body")"
	fi
	sleep 0.2
	i=$((i + 1))
done
# It did repeat: the last pass is a later one than the first seen.
t1=$(sed -n 's/^Self-test: passed at \([^,]*\),.*/\1/p' "$OBJ/b")
t2=$(curl -s "$(url /local/monitor)" | sed -n 's/^Self-test: passed at \([^,]*\),.*/\1/p')
[ -n "$t1" ] && [ -n "$t2" ] && [ "$t1" != "$t2" ] ||
    fail "the self-test did not repeat: '$t1' then '$t2'"
n=$(grep -c 'self-test passed' "$LOG")
[ "$n" -ge 1 ] || fail "the self-test is not logged"
pass
