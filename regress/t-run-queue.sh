# Every runner busy: requests wait in the queue; beyond it the answer is
# 503 with a reason and Retry-After; the waiting ones are served after.
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 1" "queue 1" "time-limit 2s"
spin=$TOP/regress/kernels/spin.o
curl -s -o "$OBJ/b1" -w '%{http_code}' --data-binary @"$spin" \
    "$(url "/local/run?kernel=playground")" > "$OBJ/c1" &
p1=$!
sleep 0.5
curl -s -o "$OBJ/b2" -w '%{http_code}' --data-binary @"$TOP/kernels/sdot.o" \
    "$(url "/local/run?kernel=sdot")" > "$OBJ/c2" &
p2=$!
sleep 0.5
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot" -D "$OBJ/hdr")
[ "$code" = 503 ] || fail "third request: $code $(cat "$OBJ/body")"
grep -q "^Service unavailable: all 1 runners are busy and 1 requests wait" \
    "$OBJ/body" || fail "503 body: $(cat "$OBJ/body")"
grep -qi "^Retry-After: [1-9]" "$OBJ/hdr" || fail "no Retry-After: $(cat "$OBJ/hdr")"
wait $p1 $p2
[ "$(cat "$OBJ/c1")" = 422 ] || fail "the spin: $(cat "$OBJ/c1") $(cat "$OBJ/b1")"
[ "$(cat "$OBJ/c2")" = 200 ] && grep -q '^Cycles: ' "$OBJ/b2" ||
    fail "the queued request: $(cat "$OBJ/c2") $(cat "$OBJ/b2")"
# The monitor route never says 503 between runs: a slot whose runner
# has just finished is respawned at once and counts as available.
i=0
while [ $i -lt 20 ]; do
	post "$TOP/kernels/sdot.o" "kernel=sdot" > /dev/null
	code=$(curl -s -o "$OBJ/h" -w '%{http_code}' "$(url /x/monitor)")
	[ "$code" = 200 ] || fail "monitor route between runs: $code $(cat "$OBJ/h")"
	i=$((i + 1))
done
pass
