#!/bin/sh
# make bench works as the README says: each row it prints carries its
# figures, wrk met no error, and regress/floor, its kernel-only peer,
# leaves no cgroup behind.  Short runs; no figure is judged here.
. "$(dirname "$0")/test-exec.sh"
command -v wrk >/dev/null || skip "wrk is not installed"
command -v bwrap >/dev/null || skip "bwrap is not installed"
[ -x "$TOP/regress/floor" ] || fail "regress/floor is not built"
floor_cgroups() {
	find /sys/fs/cgroup -maxdepth 12 -type d -name 'floor-*' 2>/dev/null |
	    sort
}
floor_cgroups > "$OBJ/cg.before"

BENCH_SECONDS=1 BWRAP_N=5 FLOOR_N=20 sh "$TOP/regress/bench.sh" \
    > "$OBJ/bench" 2>&1 || fail "bench.sh failed: $(cat "$OBJ/bench")"
row() {
	grep -Eq "$1" "$OBJ/bench" ||
	    fail "no line like '$1' in: $(cat "$OBJ/bench")"
}
n='[0-9]+(\.[0-9]+)?'
row "^webrunnerd, 1 connection\(s\) +$n +$n +[0-9]+ *\$"
row "^webrunnerd, 2 connection\(s\) +$n +$n +[0-9]+ *\$"
row "^bwrap --unshare-all, per run +[0-9]+\$"
row "^kernel work alone, per run +[0-9]+ +\(CPU -?[0-9]+\)\$"
row "^p50 \(1 connection\) / bwrap per run: $n \(target <= 0\.1\)\$"
row "^  its floor here, the kernel work alone / [0-9]+ CPUs / bwrap: -?$n\$"
row "^requests/s with 2 connections: [0-9]+ \(target >= 1500\)\$"

# Nothing of regress/floor's runs is left in any cgroup hierarchy.
floor_cgroups > "$OBJ/cg.after"
left=$(comm -13 "$OBJ/cg.before" "$OBJ/cg.after" | head -5)
[ -z "$left" ] || fail "regress/floor left cgroups: $left"
pass
