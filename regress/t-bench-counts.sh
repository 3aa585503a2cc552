#!/bin/sh
# make bench's counters' part works as the README says, and its figures
# hang together, in a short run (5 requests each, 9 for the spread): both
# exact counts are exact in every request, since they are on every host
# (t-exact-counts says why); the spread line and its peer's
# (regress/tscpeer, the loop timed in a plain process) each have as many
# figures as asked, positive means, a CV that is a number, and as many
# within 1% of the median as there are figures at most, and at least
# one: with an odd count the median is one of them.  The spread
# itself is the host's and is not judged.
. "$(dirname "$0")/test-exec.sh"
[ -x "$TOP/regress/tscpeer" ] || fail "regress/tscpeer is not built"
COUNTS_N=5 COUNTS_CV_N=9 sh "$TOP/regress/bench-counts.sh" > "$OBJ/bench" \
    2>&1 || fail "bench-counts.sh: $(tail -5 "$OBJ/bench")"
cat "$OBJ/bench"
for what in "loop instructions" "playground instructions"; do
	grep -q "^$what exact: 5 of 5 requests (source: \(pmu\|single-step\);" \
	    "$OBJ/bench" || fail "$what: not 5 of 5 exact: $(cat "$OBJ/bench")"
done
awk '
/^cycles of loop\(10000\) \((Reference cycles, tsc|Cycles, pmu);/ { d++; check($0) }
/^  peer, the same loop timed in a plain process:/ { p++; check($0) }
function check(l,    m, n, k, all) {
	if (!match(l, /mean [0-9]+, CV [0-9]+\.[0-9][0-9]% over [0-9]+; [0-9]+ of [0-9]+ within/)) {
		print "malformed: " l; bad = 1; return
	}
	split(substr(l, RSTART, RLENGTH), f, /[ ,;%]+/)
	m = f[2]; n = f[6]; k = f[7]; all = f[9]
	if (m <= 0 || n != 9 || all != 9 || k > 9 || k < 1) {
		print "figures do not hang together: " l; bad = 1
	}
}
END {
	if (d != 1 || p != 1) { print "want one line each, got " d + 0 " and " p + 0; bad = 1 }
	exit bad
}' "$OBJ/bench" > "$OBJ/judged" || fail "$(cat "$OBJ/judged")"
pass
