# A runner starts with the template's page tables for the runner's code
# (runner/template.c, template_share_text()): a waiting runner has all
# of its code mapped although it ran only part of it, the code is still
# not writable, and runners built that way run jobs.  And a runner takes
# few page faults over its life, as the metrics count them: about 22
# here, 28 with the heap's holes left open, 43 when each runner faults
# its code back in (runner/template.c).
. "$(dirname "$0")/test-exec.sh"
MAXFAULTS=32
MPORT=$(free_port)
start_daemon "runners 1" "metrics listen on 127.0.0.1 port $MPORT"
# A kernel that refuses MADV_POPULATE_READ (before Linux 5.14) or writes
# through /proc/self/mem (proc_mem.force_override=never) leaves runners
# to fault their code in, and the template says so.
why=$(grep -m1 'runners will fault their code in' "$LOG") &&
    skip "the template could not share its code: ${why#*: }"
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot&n=64")
[ "$code" = 200 ] || fail "sdot: $code $(cat "$OBJ/body")"
r=
i=0
while [ $i -lt 50 ]; do
	r=$(child_pid webrunnerd-runner) && break
	sleep 0.1
	i=$((i + 1))
done
[ -n "$r" ] || fail "no runner waiting"
# The text mapping of the binary: its size, what is mapped of it, what
# of it is anonymous (the one page written to give it page tables).
awk -v exe="$TOP/webrunnerd-runner" '
$NF == exe && $2 ~ /^r-xp/ { text = 1; print "perms", $2; next }
/^[0-9a-f]+-[0-9a-f]+ / { text = 0; next }
text && /^(Size|Rss|Anonymous):/ { print $1, $2 }
' "/proc/$r/smaps" > "$OBJ/text"
grep -q '^perms r-xp' "$OBJ/text" ||
    fail "no read-only text mapping in runner $r: $(cat "$OBJ/text")"
size=$(awk '$1 == "Size:" { print $2 }' "$OBJ/text")
rss=$(awk '$1 == "Rss:" { print $2 }' "$OBJ/text")
anon=$(awk '$1 == "Anonymous:" { print $2 }' "$OBJ/text")
[ "$size" -gt 0 ] && [ "$rss" = "$size" ] ||
    fail "runner $r has $rss of its $size kB of code mapped"
[ "$anon" -le 4 ] || fail "runner $r has $anon kB of its code copied"
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot&n=64")
[ "$code" = 200 ] || fail "sdot again: $code $(cat "$OBJ/body")"

reaped_faults() {
	curl -s "http://127.0.0.1:$MPORT/metrics" | awk '
	/^webrunnerd_runners_reaped_total / { r = $2 }
	/^webrunnerd_runner_page_faults_total / { f = $2 }
	END { print r + 0, f + 0 }'
}
# Reaped after the answer: wait for the count to settle.
settle() {
	prev=
	i=0
	while [ $i -lt 50 ]; do
		cur=$(reaped_faults)
		[ "$cur" = "$prev" ] && break
		prev=$cur
		sleep 0.2
		i=$((i + 1))
	done
	echo "$cur"
}
a=$(settle)
for i in 1 2 3 4 5 6 7 8 9 10; do
	code=$(post "$TOP/kernels/sdot.o" "kernel=sdot&n=64")
	[ "$code" = 200 ] || fail "sdot run $i: $code $(cat "$OBJ/body")"
done
b=$(settle)
echo "$a $b" | awk -v max="$MAXFAULTS" '{
	n = $3 - $1; f = $4 - $2
	if (n < 10) { print "only " n " runners reaped after 10 runs"; exit 1 }
	if (f > max * n) {
		printf "%.1f page faults per runner, more than %d\n", f / n, max
		exit 1
	}
}' > "$OBJ/faults" || fail "$(cat "$OBJ/faults")"
