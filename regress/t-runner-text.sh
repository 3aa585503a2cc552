# A runner starts with its code mapped, as the template has it
# (runner/template.c): on one huge page for each 2 MB of it, the
# template's own page (template_huge_text()), or, where the kernel gives
# no huge page, with the template's page tables for the binary's code,
# all of it mapped although the runner ran only part of it
# (template_share_text()).  The code is not writable either way, and
# runners built that way run jobs.  And a runner takes few page faults
# over its life, as the metrics count them: about 22 here, the pages
# made present at once (runner_born(), the object's and its sections'
# mappings) among them, 28 with the heap's holes left open, 43 when each
# runner faults its code back in.  Few of them are faults it took: perf's
# page-faults event, which does not count the pages made present, sees
# none in a runner serving sdot here, and 11 a runner when the data it
# writes and the kernel's buffers were faulted in page by page.
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
tpid=$(template_pid) || fail "no runner template"
# The code's mappings in a waiting runner, one line each: address, perms,
# name (- for none), Size, Rss, Anonymous and AnonHugePages in kB.
code_maps() {
	awk '
	/^[0-9a-f]+-[0-9a-f]+ / {
		if (m != "") print m, sz, rss, anon, huge
		m = ""
		if ($2 ~ /^r-xp/) {
			split($1, a, "-")
			m = a[1] " " $2 " " (NF > 5 ? $NF : "-")
		}
		sz = rss = anon = huge = 0
		next
	}
	$1 == "Size:" { sz = $2 }
	$1 == "Rss:" { rss = $2 }
	$1 == "Anonymous:" { anon = $2 }
	$1 == "AnonHugePages:" { huge = $2 }
	END { if (m != "") print m, sz, rss, anon, huge }
	' "/proc/$1/smaps"
}
# The physical page behind an address of process $1 (root reads it).
pfn() {
	python3 -c '
import struct, sys
f = open("/proc/%s/pagemap" % sys.argv[1], "rb")
f.seek(int(sys.argv[2], 16) // 4096 * 8)
print(struct.unpack("<Q", f.read(8))[0] & ((1 << 55) - 1))' "$1" "$2"
}
code_maps "$r" > "$OBJ/text"
if why=$(grep -m1 'runners copy the page tables of their code' "$LOG"); then
	# No huge page: the binary's text mapping, all of it mapped
	# although the runner ran only part of it, and one page copied.
	echo "code on small pages: ${why#*: }"
	set -- $(awk -v exe="$TOP/webrunnerd-runner" '$3 == exe' "$OBJ/text")
	[ $# = 7 ] || fail "no read-only text mapping in runner $r: $(cat "$OBJ/text")"
	[ "$4" -gt 0 ] && [ "$5" = "$4" ] ||
	    fail "runner $r has $5 of its $4 kB of code mapped"
	[ "$6" -le 4 ] || fail "runner $r has $6 kB of its code copied"
else
	# On huge pages: the first 2 MB of the binary, read-only, one huge
	# page, and the very page the template has: nothing copied.
	set -- $(awk '$1 ~ /^0*400000$/' "$OBJ/text")
	[ $# = 7 ] || fail "no code mapping at 0x400000 in runner $r: $(cat "$OBJ/text")"
	[ "$4" = 2048 ] && [ "$7" = 2048 ] ||
	    fail "runner $r's code is not one huge page: $*"
	[ "$(pfn "$r" 400000)" = "$(pfn "$tpid" 400000)" ] &&
	    [ "$(pfn "$r" 400000)" != 0 ] ||
	    fail "runner $r's code is not the template's page"
	[ "$(pfn "$r" 5ff000)" = "$(pfn "$tpid" 5ff000)" ] ||
	    fail "runner $r's code differs from the template's at its end"
fi
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

# The faults a runner took itself, where perf(1) can record them: at
# most one per run, in the processes named wr-runner.  A new runner names
# itself once it has made its pages present; the one fault it takes
# before, its first write to the stack it shares with the template, is
# counted under the template's name.
MAXOWN=1
if ! command -v perf > /dev/null 2>&1; then
	echo "faults taken not counted: no perf(1) here"
elif ! perf record -q -e minor-faults -c 1 -a -o "$OBJ/pf.data" -- \
    sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do
	curl -s -o /dev/null -w "%{http_code}\n" --max-time 30 \
	    -H "Content-Type: application/octet-stream" \
	    --data-binary @"$1" "$2"; done' sh "$TOP/kernels/sdot.o" \
    "$(url "/local/run?kernel=sdot&n=64")" > "$OBJ/pf.codes" 2>"$OBJ/pf.err"
then
	echo "faults taken not counted: perf record: $(tail -1 "$OBJ/pf.err")"
else
	[ "$(grep -c '^200$' "$OBJ/pf.codes")" = 10 ] ||
	    fail "sdot under perf: $(sort "$OBJ/pf.codes" | uniq -c)"
	n=$(perf script -i "$OBJ/pf.data" -F comm 2>/dev/null |
	    grep -c '^ *wr-runner *$')
	echo "$n page faults taken by runners in 10 runs"
	[ "$n" -le $((MAXOWN * 10)) ] || fail "runners took $n page faults" \
	    "in 10 runs, more than $((MAXOWN * 10))"
fi
