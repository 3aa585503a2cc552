# A forged result from inside the counted call, with the events a runner
# plans: it came before the count could, so its numbers never reach the
# client.  Where a PMU counts, the events it claims are not the planned
# ones either.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_forged_early.o" "kernel=playground" 500 "^Internal error: counters disagree"
grep -q 'counters disagree' "$LOG" || fail "not logged"
host_clean
pass
