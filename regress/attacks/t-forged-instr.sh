# A forged result after the counted call that claims 1 instruction: where
# the stepper counts, the answer carries its count of the kernel's first
# call (4, less the ret), never the forged 1; where a PMU counts, the
# events it claims are not the planned ones.
. "$(dirname "$0")/attack.sh"
attack_daemon
if perf_counts; then
	expect "$A/k_forged_instr.o" "kernel=playground" 500 "^Internal error: counters disagree"
else
	expect "$A/k_forged_instr.o" "kernel=playground" 200 "^Cycles: unavailable"
	grep -qx 'Instructions: 4' "$OBJ/body" ||
	    fail "not the stepper's count: $(cat "$OBJ/body")"
fi
host_clean
pass
