# A forged result after the counted call, with the events a runner plans
# and more Reference cycles than the monitor's own time-stamp counter saw
# pass: refused, and counted in the metrics.
. "$(dirname "$0")/attack.sh"
MPORT=$(free_port)
attack_daemon "metrics listen on 127.0.0.1 port $MPORT"
expect "$A/k_forged_tsc.o" "kernel=playground" 500 "^Internal error: counters disagree"
if ! perf_counts; then
	grep -q '^Internal error: counters disagree (Reference cycles: longer than the whole run)$' "$OBJ/body" ||
	    fail "not for its Reference cycles: $(cat "$OBJ/body")"
fi
m=$(curl -s "http://127.0.0.1:$MPORT/metrics")
printf '%s\n' "$m" | grep -q '^webrunnerd_counters_disagree_total 1$' ||
    fail "not in the metrics: $(printf '%s\n' "$m" | grep disagree)"
host_clean
pass
