#!/bin/sh
# make bench works as the README says, and its figures hang together:
# each row carries its figures, all numbers and those that must be
# positive (the machine's CPU per run, a difference, may not be in so
# short a run); p50 is not above p99; every request wrk counted was a run the
# daemon answered 200, with no error; the ratios printed are those of the
# figures printed, and each verdict (met, not met) that of its ratio;
# regress/floor, the kernel-only peer, leaves no cgroup behind.  One
# bound is on cost, not time: the CPU that all of the daemon's processes
# spend per run may not exceed MAXFLOOR times the wall time the kernel
# alone takes for one runner's sandbox (see below).  Where no PMU
# counts, the row of the default, single-stepped, is there too, and the
# CPU stepping adds is the difference of its row and the last round's.
# Short runs (bwrap 30 times: its CPU time is read in 10 ms ticks);
# no latency or rate is judged.
. "$(dirname "$0")/test-exec.sh"
command -v wrk >/dev/null || skip "wrk is not installed"
command -v bwrap >/dev/null || skip "bwrap is not installed"
[ -x "$TOP/regress/floor" ] || fail "regress/floor is not built"
# A run costs the daemon what regress/floor measures (clone into new
# namespaces, cgroups, uid, rlimits, both seccomp filters, teardown),
# plus HTTP, two messages, a memfd and loading the object: from one to
# three times the floor's wall time per runner on an idle 2-CPU host
# (2.9 on a virtual machine whose kernel makes a runner's sandbox slowly),
# and less where the host is busy, since the floor's wall time grows
# with the load and the daemon's CPU time hardly does.  Five times is a
# gross regression: a process that polls or spins (a runner spinning 30
# million iterations per request gave 6.3), a runner made from nothing
# per request.
MAXFLOOR=5
floor_cgroups() {
	find /sys/fs/cgroup -maxdepth 12 -type d -name 'floor-*' 2>/dev/null |
	    sort
}
floor_cgroups > "$OBJ/cg.before"

BENCH_SECONDS=1 BWRAP_N=30 FLOOR_N=20 sh "$TOP/regress/bench.sh" \
    > "$OBJ/bench" 2>&1 || fail "bench.sh failed: $(cat "$OBJ/bench")"
row() {
	grep -Eq "$1" "$OBJ/bench" ||
	    fail "no line like '$1' in: $(cat "$OBJ/bench")"
}
n='[0-9]+(\.[0-9]+)?'
# No "yes" in the errors column: wrk met no socket error and no non-2xx.
w=" +$n +$n +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +$n +-?[0-9]+ *\$"
row "^webrunnerd, 1 connection\(s\)$w"
row "^webrunnerd, 2 connection\(s\)$w"
row "^bwrap --unshare-all, per run +[0-9]+ +\(CPU [0-9]+\)\$"
row "^kernel work alone, per run +[0-9]+ +\(CPU -?[0-9]+\)\$"
row "^  own mount, IPC, UTS too +\(CPU -?[0-9]+\)\$"
row "^  what mount, IPC and UTS namespaces of its own would add: -?[0-9]+ us\$"
row "^  a runner's own CPU per run: start [0-9]+, setup [0-9]+, wait [0-9]+, load [0-9]+, finish [0-9]+ us \([0-9]+ in all\)\$"
v=': (met|not met)$'
row "^machine CPU per run \(2 connections\) / bwrap's CPU per run: -?$n \(target <= 0\.4\)$v"
row "^p50 \(1 connection\) / bwrap per run: $n \(target <= 0\.12\)$v"
row "^  its floor here, the kernel work alone / [0-9]+ CPUs / bwrap: -?$n\$"
row "^requests/s with 2 connections: [0-9]+ \(target >= 1500\)$v"
# The default, single-stepped, where no PMU counts: its row and what it
# adds; where one counts, that it is not the default.
if perf_counts; then
	row "^  single-stepping: not the default here \(a PMU counts instructions\)\$"
else
	row "^stepped, 2 connection\(s\)$w"
	row "^  single-stepping, the default here \(no PMU\), adds -?[0-9]+ us of machine CPU per run\$"
fi

# The figures against each other.  Ratios are printed with three
# decimals (the floor's column with two): equal within their rounding.
awk -v maxfloor="$MAXFLOOR" '
function bad(why) { print why; failed = 1 }
function near(a, b, d) { return a - b <= d && b - a <= d }
function label(k) { return k == "s" ? "stepped, 2" : k }
function said() { return $(NF - 1) == "not" ? "not met" : "met" }
/^(webrunnerd|stepped), [12] connection/ {
	c = $1 == "stepped," ? "s" : $2 + 0
	l = label(c)
	p50[c] = $4; p99 = $5; rps[c] = $6; sent = $7; ans = $8; cpu = $9
	ratio = $10; mcpus[c] = $11
	if (!(p50[c] > 0 && p99 > 0 && rps[c] > 0 && sent > 0 && cpu > 0))
		bad(l " connection(s): a figure is not positive: " $0)
	if (p50[c] > p99)
		bad(l " connection(s): p50 " p50[c] " above p99 " p99)
	# wrk stops with up to c requests in flight, which still run.
	if (ans < sent || ans > sent + $2)
		bad(l " connection(s): wrk counted " sent " answers, the " \
		    "daemon answered " ans " runs")
	cpus[c] = cpu; ratios[c] = ratio
}
/single-stepping, the default here/ { adds = $(NF - 6); stepped = 1 }
/^bwrap --unshare-all, per run/ { bw = $5; bwc = $7 + 0 }
/a runner.s own CPU per run:/ {
	for (i = 8; i <= 16; i += 2) { st += $i; if ($i + 0 <= 0) nst++ }
	stall = substr($18, 2) + 0
}
/^kernel work alone, per run/ { fw = $6; fc = $8 + 0 }
/^machine CPU per run \(2 connections\)/ { r0 = $12; v0 = said() }
/^p50 \(1 connection\) \/ bwrap per run:/ { r1 = $8; v1 = said() }
/its floor here, the kernel work alone/ { ncpu = $9; r2 = $NF }
/^requests\/s with 2 connections:/ { r3 = $5; v3 = said() }
END {
	if (!(bw > 0 && bwc > 0 && fw > 0 && ncpu > 0))
		bad("bwrap " bw " us (CPU " bwc "), kernel work " fw \
		    " us, " ncpu " CPUs")
	if (!near(r0, mcpus[2] / bwc, 0.0015))
		bad("machine CPU/bwrap CPU printed " r0 ", figures give " \
		    mcpus[2] / bwc)
	# Each verdict is that of its figure.
	if ((v0 == "met") != (r0 <= 0.4) || (v1 == "met") != (r1 <= 0.12) ||
	    (v3 == "met") != (r3 >= 1500))
		bad("a verdict does not follow from its figure")
	if (!near(r1, p50[1] / bw, 0.0015))
		bad("p50/bwrap printed " r1 ", figures give " p50[1] / bw)
	if (!near(r2, fc / ncpu / bw, 0.0015))
		bad("floor/bwrap printed " r2 ", figures give " \
		    fc / ncpu / bw)
	if (r3 != rps[2])
		bad("requests/s printed " r3 ", the row says " rps[2])
	# A runner is one of the daemon'"'"'s processes: its own CPU is part
	# of theirs, and each stage of its life takes some.
	if (nst > 0 || st != stall)
		bad("a runner'"'"'s stages: " nst " not positive, " st \
		    " us summed, " stall " printed")
	if (!(stall < cpus[1] || stall < cpus[2]))
		bad("a runner'"'"'s own CPU, " stall " us, is not below " \
		    "the daemon'"'"'s per run, " cpus[1] " and " cpus[2] " us")
	if (stepped && adds != mcpus["s"] - mcpus[2])
		bad("stepping adds " adds " us printed, the rows give " \
		    mcpus["s"] - mcpus[2])
	for (c in cpus) {
		if (!near(ratios[c], cpus[c] / fw, 0.006))
			bad(label(c) " connection(s): CPU/floor printed " \
			    ratios[c] ", figures give " cpus[c] / fw)
		# Stepping adds a trap per instruction: not bounded here.
		if (c != "s" && cpus[c] > maxfloor * fw)
			bad(c " connection(s): " cpus[c] " us of CPU a run, " \
			    "over " maxfloor " times the kernel work " \
			    "alone, " fw " us")
	}
	exit failed
}' "$OBJ/bench" > "$OBJ/judged" ||
    fail "$(cat "$OBJ/judged") in: $(cat "$OBJ/bench")"
cat "$OBJ/bench"

# Nothing of regress/floor's runs is left in any cgroup hierarchy.
floor_cgroups > "$OBJ/cg.after"
left=$(comm -13 "$OBJ/cg.before" "$OBJ/cg.after" | head -5)
[ -z "$left" ] || fail "regress/floor left cgroups: $left"
pass
