# A forged result after the counted call that claims more CPU time than
# the witness counters (opened by the runner on itself and handed to the
# monitor before the kernel ran) saw: refused.  Where a PMU counts, the
# events it claims are not the planned ones either.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_forged_clock.o" "kernel=playground" 500 "^Internal error: counters disagree"
if ! perf_counts; then
	grep -q '^Internal error: counters disagree (Task clock (ns): more than the runner.s witness counter saw)$' "$OBJ/body" ||
	    fail "not for its task clock: $(cat "$OBJ/body")"
fi
host_clean
pass
