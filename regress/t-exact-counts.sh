# Instruction counts are exact on every host, counted by the PMU or,
# where there is none, by single-stepping: kernels of K known instructions
# report K in 100 of 100 requests over HTTP, a REP string instruction
# counts once, the JSON answer says where each count came from, and a
# time-stamp figure is never given the name Cycles.  NREQ (default 100)
# is how many requests the two main kernels get.
. "$(dirname "$0")/test-exec.sh"
K=$TOP/regress/kernels
start_daemon "runners 2"

# exact OBJECT QUERY K N: Instructions reads K in N of N requests.
exact() {
	[ -s "$1" ] || fail "no object $1 (make test builds it)"
	good=0
	i=0
	while [ $i -lt "$4" ]; do
		code=$(post "$1" "$2")
		[ "$code" = 200 ] || fail "$2: got $code: $(cat "$OBJ/body")"
		v=$(awk -F': ' '$1 == "Instructions" { print $2 }' "$OBJ/body")
		if [ "$v" = "$3" ]; then
			good=$((good + 1))
		else
			echo "# $(basename "$1") $2: Instructions: $v, want $3"
		fi
		i=$((i + 1))
	done
	echo "# $(basename "$1") $2: $good of $4 exactly $3"
	[ "$good" = "$4" ] || fail "$(basename "$1") $2: $good of $4 exact"
}

# loop: 5 * iterations + 3 (kernels/loop.S).
exact "$TOP/kernels/loop.o" "kernel=loop&iterations=1000" 5003 ${NREQ:-100}
exact "$TOP/kernels/loop.o" "kernel=loop&iterations=0" 3 5
# playground, with calls and branches: 6n + ceil(n/2) + 3.
exact "$K/callbranch.o" "kernel=playground&iterations=1000" 6503 ${NREQ:-100}
# Two REP string instructions of 100 bytes each count as two.
exact "$K/repmovsb.o" "kernel=playground" 9 20
exact "$K/simd.o" "kernel=playground&iterations=1000" 4003 20

# Where each count came from, and no TSC figure under the name Cycles.
code=$(post "$TOP/kernels/loop.o" "kernel=loop&iterations=1000" \
    -H 'Accept: application/json')
[ "$code" = 200 ] || fail "JSON gave $code"
python3 - "$OBJ/body" <<'PY' || fail "JSON sources: $(cat "$OBJ/body")"
import json, sys
ev = json.load(open(sys.argv[1]))["events"]
assert ev["Instructions"]["source"] in ("pmu", "single-step"), ev
if "median" in ev["Cycles"]:
    assert ev["Cycles"]["source"] == "pmu", ev
else:
    assert ev["Reference cycles"]["source"] == "tsc", ev
    assert ev["Reference cycles"]["median"] > 0, ev
assert ev["Task clock (ns)"]["source"] == "software", ev
PY
stepped=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"]["Instructions"]["source"] == "single-step")' "$OBJ/body")
code=$(post "$TOP/kernels/loop.o" "kernel=loop&iterations=1000")
# WebRunner's first two lines stay Cycles and Instructions.
sed -n 1,2p "$OBJ/body" | cut -d: -f1 | tr '\n' , | grep -q '^Cycles,Instructions,$' ||
    fail "the first lines are not Cycles and Instructions: $(cat "$OBJ/body")"
if grep -q '^Cycles: unavailable' "$OBJ/body"; then
	sed -n 3p "$OBJ/body" | grep -Eq '^Reference cycles: [0-9]+$' ||
	    fail "no Reference cycles after Instructions: $(cat "$OBJ/body")"
fi
[ "$stepped" = True ] || pass

# A run's time limit bounds the steps too, two per millisecond: counting
# never turns a run into Time limit exceeded.
code=$(post "$TOP/kernels/loop.o" "kernel=loop&iterations=1000&time-limit=100ms")
[ "$code" = 200 ] || fail "time-limit 100ms: got $code: $(cat "$OBJ/body")"
grep -q '^Instructions: unavailable (more than 200 instructions to single-step)$' \
    "$OBJ/body" || fail "time-limit 100ms: $(cat "$OBJ/body")"

# Single-stepped, the bound holds: past it the count is unavailable, and
# says why, and the rest of the answer stands.  A bound below the
# self-test's loop leaves the service up, its count not checked.
stop_daemon
PORT=
start_daemon "runners 2" "single-step-limit 1000"
curl -s "$(url /local/monitor)" | grep -q "instruction count not checked: more instructions than single-stepping allows" ||
    fail "the self-test does not say its count was not checked: $(curl -s "$(url /local/monitor)")"
code=$(post "$TOP/kernels/loop.o" "kernel=loop&iterations=1000")
[ "$code" = 200 ] || fail "over the bound: got $code"
grep -q '^Instructions: unavailable (more than 1000 instructions to single-step)$' \
    "$OBJ/body" || fail "over the bound: $(cat "$OBJ/body")"
exact "$TOP/kernels/loop.o" "kernel=loop&iterations=100" 503 3
stop_daemon
PORT=
start_daemon "runners 2" "single-step-limit 0"
code=$(post "$TOP/kernels/loop.o" "kernel=loop&iterations=10")
grep -q '^Instructions: unavailable (no hardware PMU, and single-stepping is off)$' \
    "$OBJ/body" || fail "single-stepping off: $(cat "$OBJ/body")"
pass
