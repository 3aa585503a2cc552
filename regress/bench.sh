#!/bin/sh
# make bench: the request path against the cost of creating a sandbox.
#
# wrk posts playground&iterations=1 over keep-alive loopback connections
# (1, then 2) to the in-tree daemon; in the same run, bwrap --unshare-all
# starts a static binary BWRAP_N times.  Printed: p50, p99 and requests
# per second for each, bwrap's per-run time and CPU time, and the ratios
# the targets are stated in, each with its verdict, met or not met.  A
# benchmark, not a test: it asserts nothing.
#
# Beside them, regress/floor (FLOOR_N runners in all) measures what the kernel
# alone charges for one runner's sandbox (namespaces, cgroups, uid,
# rlimits, both seccomp stages), with no daemon: every request costs the
# machine at least that much CPU, so one connection cannot average less
# than it divided by the number of CPUs.  That bound is printed as a
# ratio to bwrap too.  It runs in five parts of FLOOR_N / 5 runners, each
# paired with floor -m, the same runners with mount, IPC and UTS
# namespaces of their own as well, as program runners have; the floor's
# figures are the medians of its parts, and the median of the pairs'
# differences is what those three namespaces would cost each kernel
# runner in CPU (webrunnerd(8) says why kernel runners share the
# template's).
#
# Each wrk row also shows the requests wrk counted, the runs the daemon
# answered 200 meanwhile (from its access log), the CPU time of all of
# the daemon's processes (monitor, network process, template, runners)
# per answered run, also as a ratio to the kernel work alone's wall time
# per runner, and the machine's: its busy time from /proc/stat (user,
# nice, system, irq and softirq: kernel threads and work the kernel
# defers count too, time stolen by a hypervisor does not), less what it
# spends idle over as long and less wrk's own CPU time, per answered run.
# The CPU target is stated with the machine's figure.
#
# Where no PMU counts instructions, the daemon single-steps each kernel
# by default (webrunnerd(8)); the rows above measure with stepping off.
# One more row, after the rounds, measures the default: a daemon with the
# default single-step-limit and 2 connections, and what stepping adds to
# the machine's CPU per run against the last round's 2-connection row.
#
# A shared host's speed drifts by more than a tenth within minutes:
# BENCH_ROUNDS=N repeats bwrap and both wrk runs N times, one row set per
# round, and states the targets with the medians over the rounds.
. "$(dirname "$0")/test-exec.sh"
DUR=${BENCH_SECONDS:-10}
FLOOR_N=${FLOOR_N:-2000}
ROUNDS=${BENCH_ROUNDS:-1}
. "$(dirname "$0")/bench-peer.sh"

# The kernel's share of N runners: "wall W us, cpu C us per runner ...",
# in $OBJ/floor, or with -m as a second argument in $OBJ/floor-m.
floor_run() {
	"$TOP/regress/floor" -n "$1" $2 > "$OBJ/floor$2" 2>&1 ||
	    fail "floor: $(cat "$OBJ/floor$2")"
}
floor_run 1		# before the daemon starts: fail early if it cannot run
ncpu=$(getconf _NPROCESSORS_ONLN)

TICK=$(getconf CLK_TCK)
# The machine's busy time so far, in microseconds.
busy_us() {
	awk -v t="$TICK" '$1 == "cpu" {
		printf "%.0f\n", ($2 + $3 + $4 + $7 + $8) * 1000000 / t; exit }' \
	    /proc/stat
}
now_us() {
	echo $(($(date +%s%N) / 1000))
}
# What the machine spends on everything else meanwhile, per second,
# before the daemon starts (its self-test would count as idle after).
b0=$(busy_us) s0=$(now_us)
sleep 1
IDLE=$(( ($(busy_us) - b0) * 1000000 / ($(now_us) - s0) ))

cat > "$OBJ/post.lua" <<LUA
local f = io.open("$TOP/kernels/playground.o", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/octet-stream"
f:close()
LUA
# bench_daemon [LINE...]: a daemon of its own (the last one stopped) with
# the bench's configuration and these lines, its run URL in $u, warmed
# up with one request; its metrics on port $MPORT.  Ports of its own:
# the last daemon may not have let go of its ports yet.
bench_daemon() {
	stop_daemon
	MPORT=$(free_port)
	write_config "time-limit 5s" \
	    "metrics listen on 127.0.0.1 port $MPORT" \
	    ${BENCH_RUNNERS:+"runners $BENCH_RUNNERS"} "$@"
	start_daemon
	u=$(url "/local/run?kernel=playground&iterations=1")
	code=$(curl -s -o "$OBJ/body" -w '%{http_code}' --data-binary \
	    @"$TOP/kernels/playground.o" "$u")
	[ "$code" = 200 ] || fail "warm-up request: $code $(cat "$OBJ/body")"
}
# The request path's own cost: where there is no PMU, single-stepping the
# kernel's instructions adds a debug trap per instruction of the kernel's
# call, which the stepped row after the rounds shows apart.
bench_daemon "single-step-limit 0"

# CPU time, in clock ticks, of the monitor, its children that have ended
# (runners are its children, the template clones them with CLONE_PARENT)
# and those still running.
daemon_ticks() {
	for p in /proc/[0-9]*; do
		sed 's/^.*) //' "$p/stat" 2>/dev/null
	done | awk -v m="$DPID" -v self="$(sed 's/^.*) //' "/proc/$DPID/stat")" '
	    $2 == m { t += $12 + $13 }
	    END { split(self, s, " "); print t + s[12] + s[13] + s[14] + s[15] }'
}
# Runs the daemon answered 200, from its access log (stderr).
answered() {
	grep -c '"POST /local/run" 200 ' "$LOG"
}

median() {
	tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 }
	    END { if (NR % 2) print v[(NR + 1) / 2];
		  else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# wrk_row LABEL C KEY: wrk with C connections for DUR seconds, and its
# row; its figures in p50_KEY, rps_KEY, cpu_KEY and mcpu_KEY.
wrk_row() {
	c=$2
	a0=$(answered)
	k0=$(daemon_ticks)
	times > "$OBJ/times0"
	b0=$(busy_us) s0=$(now_us)
	wrk -t "$c" -c "$c" -d "${DUR}s" --latency -s "$OBJ/post.lua" \
	    "$u" > "$OBJ/wrk$c" 2>&1 || fail "wrk: $(cat "$OBJ/wrk$c")"
	# Those in flight when wrk stopped are answered still.
	sleep 0.5
	b1=$(busy_us) s1=$(now_us)
	times > "$OBJ/times1"
	p50=$(to_us "$(awk '$1 == "50%" { print $2 }' "$OBJ/wrk$c")")
	p99=$(to_us "$(awk '$1 == "99%" { print $2 }' "$OBJ/wrk$c")")
	rps=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$OBJ/wrk$c")
	errs=$(awk '/Non-2xx|Socket errors/ { s = s $0 " " }
	    END { print s }' "$OBJ/wrk$c")
	sent=$(awk '/ requests in / { print $1 }' "$OBJ/wrk$c")
	k1=$(daemon_ticks)
	ans=$(($(answered) - a0))
	cpu=$(awk -v k=$((k1 - k0)) -v t="$TICK" -v n="$ans" \
	    'BEGIN { printf "%d", (n > 0 ? k * 1000000 / t / n : 0) }')
	client=$(($(children_us "$OBJ/times1") - \
	    $(children_us "$OBJ/times0")))
	mcpu=$(awk -v b=$((b1 - b0)) -v i=$((IDLE * (s1 - s0) / 1000000)) \
	    -v c="$client" -v n="$ans" \
	    'BEGIN { printf "%d", (n > 0 ? (b - i - c) / n : 0) }')
	printf '%-28s %10s %10s %10s %8s %8s %8s %8s %6.2f %8s\n' "$1" \
	    "$p50" "$p99" "$rps" "${errs:+yes}" "$sent" "$ans" "$cpu" \
	    "$(awk -v a="$cpu" -v b="$fw" 'BEGIN { print a / b }')" "$mcpu"
	[ -z "$errs" ] || echo "  $errs"
	eval "p50_$3=$p50 rps_$3=$rps cpu_$3=$cpu mcpu_$3=$mcpu"
}

printf '%-28s %10s %10s %10s %8s %8s %8s %8s %6s %8s\n' "" "p50 us" \
    "p99 us" "req/s" "errors" "sent" "answered" "CPU us" "/floor" "machine"
ratios= rps2s= floors= cpus= nss= r=1
while [ $r -le "$ROUNDS" ]; do
	[ "$ROUNDS" -gt 1 ] && echo "round $r"
	set -- $(bwrap_us)
	bw=$1 bwc=$2
	# Alternating pairs, so that the host's drift falls on both sides;
	# the floor's figures are the medians of its five runs.
	fws= fcs= pcs= ds= k=0
	while [ $k -lt 5 ]; do
		floor_run $((FLOOR_N / 5 + 1)) -m
		floor_run $((FLOOR_N / 5 + 1))
		set -- $(awk '{ print $2, $5 }' "$OBJ/floor") \
		    $(awk '{ print $5 }' "$OBJ/floor-m")
		fws="$fws $1" fcs="$fcs $2" pcs="$pcs $3" ds="$ds $(($3 - $2))"
		k=$((k + 1))
	done
	fw=$(echo "$fws" | median | awk '{ printf "%d", $1 }')
	fc=$(echo "$fcs" | median | awk '{ printf "%d", $1 }')
	pc=$(echo "$pcs" | median | awk '{ printf "%d", $1 }')
	nss="$nss $(echo "$ds" | median | awk '{ printf "%d", $1 }')"
	for c in 1 2; do
		wrk_row "webrunnerd, $c connection(s)" $c $c
	done
	printf '%-28s %10s %10s\n' "bwrap --unshare-all, per run" "$bw" \
	    "(CPU $bwc)"
	printf '%-28s %10s %10s\n' "kernel work alone, per run" "$fw" \
	    "(CPU $fc)"
	printf '%-28s %10s %10s\n' "  own mount, IPC, UTS too" "" \
	    "(CPU $pc)"
	ratios="$ratios $(awk -v a="$p50_1" -v b="$bw" \
	    'BEGIN { printf "%.3f", a / b }')"
	rps2s="$rps2s $rps_2"
	cpus="$cpus $(awk -v a="$mcpu_2" -v b="$bwc" \
	    'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
	floors="$floors $(awk -v c="$fc" -v n="$ncpu" -v b="$bw" \
	    'BEGIN { printf "%.3f", c / n / b }')"
	r=$((r + 1))
done
# Where a runner's own CPU goes, per run, over every run of the rounds
# (the daemon's webrunnerd_runner_cpu_stage_seconds): the next regression
# shows in which stage it is.
curl -s "http://127.0.0.1:$MPORT/metrics" | awk '
    /^webrunnerd_runner_cpu_stage_seconds_(sum|count)/ {
	split($1, a, "\""); k = a[2]
	if ($1 ~ /_sum/) s[k] = $2; else n[k] = $2 }
    END {
	split("start setup wait load finish", st, " ")
	line = "  a runner'"'"'s own CPU per run:"
	for (i = 1; i <= 5; i++) {
		v = n[st[i]] > 0 ? s[st[i]] * 1e6 / n[st[i]] : 0
		line = line sprintf(" %s %d%s", st[i], v, i < 5 ? "," : "")
		t += int(v)
	}
	print line " us (" t " in all)" }'
# What a request costs as the daemon runs by default where no PMU counts
# instructions: single-stepped.  One row with 2 connections, after the
# last round and beside its row, from a daemon started with the default
# single-step-limit.  Not a target: what the stepper adds, shown apart.
if perf_counts; then
	echo "  single-stepping: not the default here (a PMU counts" \
	    "instructions)"
else
	bench_daemon
	wrk_row "stepped, 2 connection(s)" 2 s
	echo "  single-stepping, the default here (no PMU), adds" \
	    "$((mcpu_s - mcpu_2)) us of machine CPU per run"
fi
of=
[ "$ROUNDS" -gt 1 ] && of=", median of $ROUNDS rounds"
# verdict WHAT VALUE OP TARGET: the line, ending in met or not met.
verdict() {
	awk -v w="$1" -v v="$2" -v op="$3" -v t="$4" -v of="$of" 'BEGIN {
		ok = op == "<=" ? v + 0 <= t + 0 : v + 0 >= t + 0
		printf "%s: %s (target %s %s): %s%s\n", w, v, op, t,
		    ok ? "met" : "not met", of }'
}
verdict "machine CPU per run (2 connections) / bwrap's CPU per run" \
    "$(echo "$cpus" | median | awk '{ printf "%.3f", $1 }')" "<=" 0.4
verdict "p50 (1 connection) / bwrap per run" \
    "$(echo "$ratios" | median | awk '{ printf "%.3f", $1 }')" "<=" 0.12
printf '  its floor here, the kernel work alone / %d CPUs / bwrap: %.3f%s\n' \
    "$ncpu" "$(echo "$floors" | median)" "$of"
printf '  what mount, IPC and UTS namespaces of its own would add: %d us%s\n' \
    "$(echo "$nss" | median | awk '{ printf "%d", $1 }')" "$of"
verdict "requests/s with 2 connections" \
    "$(echo "$rps2s" | median | awk '{ printf "%d", $1 }')" ">=" 1500
[ "$ROUNDS" -gt 1 ] &&
    echo "  per round: CPU ratios$cpus; ratios$ratios; floors$floors;" \
	"requests/s$rps2s; namespaces us$nss"
exit 0
