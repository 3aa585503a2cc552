# A forged result whose first bytes are written inside the counted call
# and the rest after it, so that it comes whole after the stepper's
# report: the stepper saw the system call, and the report is refused all
# the same.  Where a PMU counts, the events it claims are not the planned
# ones.
. "$(dirname "$0")/attack.sh"
attack_daemon
if perf_counts; then
	expect "$A/k_forged_split.o" "kernel=playground" 500 "^Internal error: counters disagree"
else
	expect "$A/k_forged_split.o" "kernel=playground" 500 "^Internal error: counters disagree \\(Instructions: the stepped call made a system call\\)$"
fi
grep -q 'counters disagree' "$LOG" || fail "not logged"
host_clean
pass
