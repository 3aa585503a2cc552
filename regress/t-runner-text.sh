# A runner starts with the template's page tables for the runner's code
# (runner/template.c, template_share_text()): a waiting runner has all
# of its code mapped although it ran only part of it, the code is still
# not writable, and runners built that way run jobs.
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 1"
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
