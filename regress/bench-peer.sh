# Sourced by the benchmarks after test-exec.sh: the peer they are judged
# against, bwrap --unshare-all of a static binary, a sandbox made per run
# as a fork+exec service would make it.  bwrap_us prints its time per
# run and the CPU time (user and system, of bwrap and all it started)
# per run, in microseconds, over BWRAP_N runs.
BWRAP_N=${BWRAP_N:-200}
command -v wrk >/dev/null || skip "wrk is not installed"
command -v bwrap >/dev/null || skip "bwrap is not installed"
printf 'int main(void) { return 0; }\n' > "$OBJ/true.c"
cc -O2 -static -o "$OBJ/true" "$OBJ/true.c" || fail "cannot link statically"
mkdir "$OBJ/root" && cp "$OBJ/true" "$OBJ/root/true"
bwrap --unshare-all --ro-bind "$OBJ/root" / /true ||
    fail "bwrap cannot run here"
bwrap_us() {
	times > "$OBJ/times0"
	t0=$(date +%s%N)
	i=0
	while [ $i -lt "$BWRAP_N" ]; do
		bwrap --unshare-all --ro-bind "$OBJ/root" / /true
		i=$((i + 1))
	done
	t1=$(date +%s%N)
	# times is a builtin: in this process, which waited for bwrap.
	times > "$OBJ/times1"
	echo $(( (t1 - t0) / 1000 / BWRAP_N )) \
	    $(( ($(children_us "$OBJ/times1") - \
	    $(children_us "$OBJ/times0")) / BWRAP_N ))
}
# The user and system time of the shell's children that had ended, in
# microseconds, from the second line of times in $1,
# "0m1.230000s 0m0.450000s".
children_us() {
	awk 'NR == 2 {
		t = 0
		for (i = 1; i <= 2; i++) {
			split($i, p, "m")
			t += p[1] * 60 + substr(p[2], 1, length(p[2]) - 1)
		}
		printf "%d\n", t * 1000000 }' "$1"
}

# wrk's latency lines look like "     50%  612.00us"; in microseconds.
to_us() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000;
		else if (v ~ /m$/) print n * 60000000; else print n * 1000000 }'
}
