# The monitor route says 200 only while a self-test passed within the
# configured interval.  With the only runner held by a kernel that spins
# until its time limit, the self-test cannot run: once the interval has
# passed, HEAD and GET say 503 and why; once the runner is free again
# the self-test runs and the route is 200 again.  (Runners that cannot
# be spawned at all turn the route 503 too: see t-faults-cgroup.sh.)
. "$(dirname "$0")/test-exec.sh"
A=$TOP/regress/attacks
[ -f "$A/k_busy.o" ] || skip "regress/attacks/k_busy.o is not built"
start_daemon "runners 1" "self-test interval 1s" "time-limit 4s"
post "$A/k_busy.o" "kernel=playground&iterations=1000000000" > "$OBJ/busycode" &
bpid=$!
wait_monitor 503 || fail "the route stays 200 while no self-test can run"
curl -s -D "$OBJ/h" -o "$OBJ/b" "$(url /local/monitor)"
echo "while the runner is busy: $(head -1 "$OBJ/b")"
grep -q '^HTTP/1.1 503' "$OBJ/h" || fail "GET is not 503"
grep -q '^Service unavailable: the self-test last passed [0-9]* s ago, more than the interval of 1 s$' "$OBJ/b" ||
    fail "503 without the reason: $(cat "$OBJ/b")"
grep -q '^Runners: 2 (idle [01], busy 1, ' "$OBJ/b" || fail "the busy runner is not shown: $(cat "$OBJ/b")"
grep -q '^Queue: 1 of 64$' "$OBJ/b" || fail "the waiting self-test is not in the queue: $(cat "$OBJ/b")"
wait $bpid
[ "$(cat "$OBJ/busycode")" = 422 ] || fail "the spinning kernel gave $(cat "$OBJ/busycode")"
wait_monitor 200 || fail "the route does not come back"
curl -s "$(url /local/monitor)" | grep -q '^Self-test: passed' || fail "no passed self-test after the busy run"
pass
