# Prometheus metrics: off by default (nothing listens, the API port has
# no /metrics); with "metrics listen on ADDRESS port N", GET /metrics on
# that port gives requests by route and code, the latency histogram,
# runs by outcome (a request for a kernel there is no spec of counts as
# no-kernel), the queue, the runners by state, the spawn time and the
# self-test status, and the counters follow what clients did.
. "$(dirname "$0")/test-exec.sh"
[ -f "$TOP/regress/attacks/k_fork.o" ] || skip "regress/attacks/k_fork.o is not built"
start_daemon "runners 1"
code=$(curl -s -o /dev/null -w '%{http_code}' "$(url /metrics)")
[ "$code" = 404 ] || fail "/metrics on the API port: $code"
stop_daemon

MPORT=$(free_port)
PORT=
write_config "runners 1" "metrics listen on 127.0.0.1 port $MPORT"
start_daemon
post "$TOP/kernels/sdot.o" "kernel=sdot" >/dev/null
post "$TOP/kernels/sdot.o" "kernel=sdot" >/dev/null
post "$TOP/regress/attacks/k_fork.o" "kernel=playground" >/dev/null
code=$(post "$TOP/kernels/sdot.o" "kernel=nosuch")
[ "$code" = 404 ] || fail "an unknown kernel: $code $(cat "$OBJ/body")"
curl -s -o /dev/null "$(url /local/nothing)"
curl -s -D "$OBJ/h" "http://127.0.0.1:$MPORT/metrics" > "$OBJ/m"
grep -q '^HTTP/1.1 200' "$OBJ/h" || fail "metrics: $(cat "$OBJ/h")"
grep -qi '^Content-Type: text/plain; version=0.0.4' "$OBJ/h" || fail "no Prometheus content type"
M=$OBJ/m
want() {
	grep -q "$1" "$M" || fail "no '$1' in the metrics: $(cat "$M")"
}
want '^webrunnerd_http_requests_total{route="run",code="200"} 2$'
want '^webrunnerd_http_requests_total{route="run",code="422"} 1$'
want '^webrunnerd_http_requests_total{route="other",code="404"} 1$'
want '^webrunnerd_http_requests_total{route="monitor",code="200"} [1-9]'
want '^# TYPE webrunnerd_http_request_duration_seconds histogram$'
want '^webrunnerd_http_request_duration_seconds_bucket{le="0.001"} [0-9]'
want '^webrunnerd_http_request_duration_seconds_bucket{le="+Inf"} [1-9]'
want '^webrunnerd_http_request_duration_seconds_count [1-9]'
want '^webrunnerd_runs_total{outcome="ok"} 2$'
want '^webrunnerd_runs_total{outcome="syscall"} 1$'
want '^webrunnerd_runs_total{outcome="no-kernel"} 1$'
want '^webrunnerd_http_requests_total{route="run",code="404"} 1$'
want '^webrunnerd_queue_depth 0$'
want '^webrunnerd_runners{state="idle"} [0-2]$'
want '^webrunnerd_runners{state="busy"} [01]$'
want '^webrunnerd_runner_spawn_seconds_count [1-9]'
want '^webrunnerd_runner_cpu_seconds_total [0-9]'
want '^webrunnerd_runners_reaped_total [1-9]'
want '^webrunnerd_runner_page_faults_total [1-9]'
want '^webrunnerd_counters_disagree_total 0$'
# Where the jobs' time went: every stage of the runs above counted.
for st in queue attach load measure teardown cgroup; do
	want "^webrunnerd_runner_stage_seconds_count{stage=\"$st\"} [1-9]"
	want "^webrunnerd_runner_stage_seconds_sum{stage=\"$st\"} [0-9]"
done
want '^webrunnerd_selftest_ok 1$'
want '^webrunnerd_selftest_passed 1$'
want '^webrunnerd_uptime_seconds [0-9]'
# The format: every sample's family is announced, no sample twice.
python3 - "$M" <<'PY' || fail "malformed exposition"
import re, sys
typed, seen = set(), set()
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith("# TYPE "):
        typed.add(line.split()[2])
        continue
    if line.startswith("#") or not line:
        continue
    m = re.match(r'^([a-z_]+)(\{[^}]*\})? (\S+)$', line)
    assert m, line
    name = m.group(1)
    base = re.sub(r'_(bucket|sum|count)$', '', name)
    assert name in typed or base in typed, line
    key = name + (m.group(2) or "")
    assert key not in seen, line
    seen.add(key)
    float(m.group(3))
PY
# A kernel that spins until its 500 ms are up adds about that much CPU
# time once its runner is reaped.
cpu() {
	curl -s "http://127.0.0.1:$MPORT/metrics" |
	    awk '$1 == "webrunnerd_runner_cpu_seconds_total" { print $2 }'
}
# A runner's own CPU by stage: "SUM COUNT" of stage $1.
cstage() {
	curl -s "http://127.0.0.1:$MPORT/metrics" | awk -v k="{stage=\"$1\"}" '
	    $1 == "webrunnerd_runner_cpu_stage_seconds_sum" k { s = $2 }
	    $1 == "webrunnerd_runner_cpu_stage_seconds_count" k { n = $2 }
	    END { print s + 0, n + 0 }'
}
# Once the runners of the runs above are reaped, each has its stages
# counted, the last one from its reaping, and together they are no more
# than the CPU time of all runners reaped.
i=0
while [ "$(cstage finish | cut -d' ' -f2)" != \
    "$(cstage start | cut -d' ' -f2)" ]; do
	i=$((i + 1))
	[ $i -lt 50 ] ||
	    fail "stage start: $(cstage start); finish: $(cstage finish)"
	sleep 0.1
done
all=0
for st in start setup wait load finish; do
	set -- $(cstage $st)
	awk -v s="$1" -v n="$2" 'BEGIN { exit !(s > 0 && n >= 3) }' ||
	    fail "runner CPU stage $st: $1 s over $2 runners"
	all=$(awk -v a="$all" -v s="$1" 'BEGIN { print a + s }')
done
awk -v a="$all" -v c="$(cpu)" 'BEGIN { exit !(a <= c + 0.0001) }' ||
    fail "runner CPU by stage: $all s; the runners reaped took $(cpu) s"
c0=$(cpu)
set -- $(cstage finish) $(cstage load)
f0=$1 l0=$3
code=$(post "$TOP/regress/kernels/spin.o" "kernel=playground&time-limit=500ms")
[ "$code" = 422 ] || fail "spin: $code $(cat "$OBJ/body")"
i=0
while :; do
	d=$(awk -v a="$c0" -v b="$(cpu)" 'BEGIN { print b - a }')
	awk -v d="$d" 'BEGIN { exit !(d >= 0.3) }' && break
	i=$((i + 1))
	[ $i -lt 50 ] || fail "runner CPU time grew by $d s, want 0.3 or more"
	sleep 0.1
done
awk -v d="$d" 'BEGIN { exit !(d < 5) }' || fail "runner CPU time grew by $d s"
# It spun after its plan, in its runner's last stage.
set -- $(cstage finish) $(cstage load)
awk -v l="$3" -v l0="$l0" -v f1="$1" -v f0="$f0" '
    BEGIN { exit !(f1 - f0 >= 0.3 && l - l0 < 0.1) }' ||
    fail "the spin's CPU: finish grew from $f0 to $1 s, load from $l0 to $3 s"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/other")
[ "$code" = 404 ] || fail "other paths on the metrics port: $code"
# Its sandbox let it do all of this.
grep -q "network process \(killed\|exited\)" "$LOG" "$OBJ/error.log" 2>/dev/null &&
    fail "the network process died"
pass
