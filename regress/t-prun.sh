# Program mode over HTTP, go-judge's POST /run: /bin/cat echoes its
# stdin, a bare name is found in PATH, python3 runs; each status a judge
# sees comes from a purpose-built program (exit 3, kill -SEGV $$, a
# missing program, a CPU loop, sleep past the clock, a memory hog, yes
# past a collector's max, a fork bomb under procLimit, procLimit 1);
# 6M of input and 300K of output pass through; 8 concurrent requests are
# all answered right; bad JSON of several
# shapes gets a 400 in the one error shape and the daemon keeps serving.
# Without a hardware PMU, counters are absent with a reason and
# instructionLimit is refused with one (t-prun-counters checks them
# where a PMU exists).
. "$(dirname "$0")/test-exec.sh"
command -v python3 > /dev/null || skip "no python3"
PROGRAM=yes
start_daemon "program runners 2"
cases="basic limits big concurrent bad"
perf stat -e instructions true > "$OBJ/perf" 2>&1
grep -q 'not supported\|not counted\|<not' "$OBJ/perf" &&
    cases="$cases counters-nopmu"
python3 "$TOP/regress/prun.py" "$PORT" $cases > "$OBJ/out" 2>&1 ||
    fail "$(cat "$OBJ/out")"
pass
