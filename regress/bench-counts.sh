#!/bin/sh
# make bench, the counters' part: how exact and how steady the numbers
# are over HTTP.  Printed: in how many of COUNTS_N (100) requests loop
# with 1000 iterations reads exactly 5003 Instructions, and where they
# came from (pmu or single-step), and the same for the playground kernel
# (regress/kernels/callbranch.o, 6503); and the coefficient of variation
# of the cycles of loop with 10000 iterations (some 10,000 cycles) over
# COUNTS_CV_N (30) requests: Cycles where a PMU counts them, else
# Reference cycles from the time-stamp counter.  Beside it, its peer: the
# same loop timed in a plain process on this host (regress/tscpeer),
# whose spread is the host's own.  Target: 100 of 100, CV below 1%.  A
# benchmark, not a test: it asserts nothing.
. "$(dirname "$0")/test-exec.sh"
N=${COUNTS_N:-100}
CVN=${COUNTS_CV_N:-30}
start_daemon "runners 2"

# exact LABEL OBJECT QUERY COUNT: in how many of N requests Instructions
# reads COUNT, and where it came from.
exact() {
	: > "$OBJ/exact"
	i=0
	while [ $i -lt "$N" ]; do
		post "$2" "$3" -H 'Accept: application/json' >/dev/null
		python3 -c 'import json, sys
e = json.load(open(sys.argv[1]))["events"]["Instructions"]
print(e.get("median"), e.get("source"))' "$OBJ/body" >> "$OBJ/exact"
		i=$((i + 1))
	done
	good=$(grep -c "^$4 " "$OBJ/exact")
	src=$(awk '{ print $2 }' "$OBJ/exact" | sort -u | tr '\n' ' ')
	printf '%s exact: %d of %d requests (source: %s; target 100 of 100)\n' \
	    "$1" "$good" "$N" "${src% }"
}
exact "loop instructions" "$TOP/kernels/loop.o" "kernel=loop&iterations=1000" 5003
# The playground kernel's name, with an object of known count: 1000
# calls of a function that branches, 6503 instructions less the ret.
exact "playground instructions" "$TOP/regress/kernels/callbranch.o" \
    "kernel=playground&iterations=1000" 6503

i=0
while [ $i -lt "$CVN" ]; do
	post "$TOP/kernels/loop.o" "kernel=loop&iterations=10000" \
	    -H 'Accept: application/json' >/dev/null
	python3 -c 'import json, sys
e = json.load(open(sys.argv[1]))["events"]
c = e["Cycles"] if "median" in e["Cycles"] else e["Reference cycles"]
print(c["median"], c["source"])' "$OBJ/body" >> "$OBJ/cv"
	i=$((i + 1))
done
# cv LABEL FILE: the coefficient of variation of FILE's first column,
# and how many of its figures lie within 1% of their median (a few
# requests that ran slow throughout spread the CV, where every
# request's own spread would not).
cv() {
	sort -n "$2" | awk -v label="$1" '{ v[NR] = $1; s += $1; ss += $1 * $1 }
	END {
		n = NR; m = s / n; sd = sqrt((ss - n * m * m) / (n - 1))
		med = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		for (i = 1; i <= n; i++)
			if (v[i] >= 0.99 * med && v[i] <= 1.01 * med)
				k++
		printf "%s: mean %.0f, CV %.2f%% over %d; %d of %d within " \
		    "1%% of the median %.0f, slowest %.2fx\n", label, m,
		    100 * sd / m, n, k, n, med, v[n] / med
	}'
}
src=$(awk '{ print $2 }' "$OBJ/cv" | sort -u | tr '\n' ' ')
case "$src" in
"tsc ")	src="Reference cycles, tsc" ;;
*)	src="Cycles, ${src% }" ;;
esac
cv "cycles of loop(10000) ($src; target CV below 1%)" "$OBJ/cv"
# The peer: the same loop timed by the time-stamp counter in a plain
# process on this host, as many times, as far apart.  Its spread is the
# host's own.
if [ -x "$TOP/regress/tscpeer" ]; then
	"$TOP/regress/tscpeer" -n "$CVN" > "$OBJ/peer"
	cv "  peer, the same loop timed in a plain process" "$OBJ/peer"
else
	echo "  peer: skipped, regress/tscpeer is not built (make bench builds it)"
fi
exit 0
