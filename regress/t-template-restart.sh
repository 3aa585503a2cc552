# The runner template dies (SIGKILL): the monitor starts a new one, the
# pool fills again and requests succeed; runners already waiting are not
# disturbed.
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 2"
t1=$(template_pid) || fail "no template"
kill -KILL "$t1"
i=0
until t2=$(template_pid) && [ "$t2" != "$t1" ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "no new template after 5s"
	sleep 0.1
done
grep -q "runner template: killed by SIGKILL" "$LOG" || fail "the death is not logged"
# More runs than the pool had waiting: new runners come from the new one.
for n in 1 2 3 4 5; do
	code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
	[ "$code" = 200 ] || fail "run $n after the restart: $code $(cat "$OBJ/body")"
done
[ "$(runner_count)" -le 4 ] || fail "$(runner_count) runners for a pool of 4 (runners 2)"
pass
