# Hardware counters per program, beyond go-judge: each /run result
# carries the instructions and cycles of the whole process tree, counted
# by perf fds the monitor opened on the runner, and instructionLimit
# stops a CPU loop as Time Limit Exceeded.  Needs a hardware PMU; where
# none exists t-prun checks that the counters are absent with a reason.
. "$(dirname "$0")/test-exec.sh"
command -v python3 > /dev/null || skip "no python3"
perf stat -e instructions true > "$OBJ/perf" 2>&1
grep -q 'not supported\|not counted\|<not' "$OBJ/perf" &&
    skip "no hardware PMU: perf stat -e instructions says $(grep -o '<not[^>]*>' "$OBJ/perf" | head -1)"
PROGRAM=yes
start_daemon "program runners 1"
python3 "$TOP/regress/prun.py" "$PORT" counters-pmu > "$OBJ/out" 2>&1 ||
    fail "$(cat "$OBJ/out")"
pass
