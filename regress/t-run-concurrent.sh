# Twice as many concurrent requests as runners: every one is answered
# right.  SIGKILL of a runner mid-job: that request fails cleanly, the
# next succeeds.
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 2" "time-limit 5s"
i=0
pids=
while [ $i -lt 4 ]; do
	curl -s -o "$OBJ/c$i" -w '%{http_code}' --data-binary @"$TOP/kernels/sdot.o" \
	    "$(url "/local/run?kernel=sdot&n=100000&repeat=50")" > "$OBJ/code$i" &
	pids="$pids $!"
	i=$((i + 1))
done
wait $pids
i=0
while [ $i -lt 4 ]; do
	[ "$(cat "$OBJ/code$i")" = 200 ] || fail "request $i: $(cat "$OBJ/code$i") $(cat "$OBJ/c$i")"
	grep -q '^Cycles: ' "$OBJ/c$i" || fail "request $i body: $(cat "$OBJ/c$i")"
	i=$((i + 1))
done
# A runner killed in the middle of a job.
post "$TOP/regress/kernels/spin.o" "kernel=playground" > "$OBJ/spincode" &
cpid=$!
sleep 1
busy=
for p in /proc/[0-9]*; do
	[ "$(readlink $p/exe 2>/dev/null)" = "$TOP/webrunnerd-runner" ] || continue
	is_template "${p#/proc/}" && continue
	[ "$(awk '/^PPid:/ { print $2 }' $p/status)" = "$DPID" ] || continue
	# The busy runner is the one burning CPU.
	t=$(awk '{ print $14 }' $p/stat)
	[ "$t" -gt 20 ] && busy=${p#/proc/}
done
[ -n "$busy" ] || fail "no busy runner found"
kill -KILL "$busy"
wait $cpid
code=$(cat "$OBJ/spincode")
[ "$code" = 422 ] || [ "$code" = 500 ] || fail "killed run answered $code"
grep -q "SIGKILL\|KILL" "$OBJ/body" || fail "killed run body: $(cat "$OBJ/body")"
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "next request gave $code"
pass
