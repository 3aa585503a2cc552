# Every shipped kernel runs with its example object over HTTP, in
# WebRunner's text format and in JSON, and leaves nothing behind.
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 2"
for spec in "$TOP"/kernels/*.json; do
	k=$(basename "$spec" .json)
	obj="$TOP/kernels/$k.o"
	[ -f "$obj" ] || fail "no example object for $k"
	code=$(post "$obj" "kernel=$k")
	[ "$code" = 200 ] || fail "$k gave $code: $(cat "$OBJ/body")"
	head -1 "$OBJ/body" | grep -q '^Cycles: ' || fail "$k: first line is not Cycles: $(head -1 "$OBJ/body")"
	sed -n 2p "$OBJ/body" | grep -q '^Instructions: ' || fail "$k: second line is not Instructions"
	# Every line splits on ": " as PeachPy.IO's page does.
	awk -F': ' 'NF < 2 { exit 1 }' "$OBJ/body" || fail "$k: a line without ': '"
	code=$(post "$obj" "kernel=$k&repeat=5" -H 'Accept: application/json')
	[ "$code" = 200 ] || fail "$k JSON gave $code"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["status"]=="OK" and d["kernel"]==sys.argv[2] and d["repeat"]==5 and "Cycles" in d["events"], d' "$OBJ/body" "$k" || fail "$k: bad JSON $(cat "$OBJ/body")"
done
# WebRunner's own example: sdot with parameters, through wget-style headers.
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot&n=10000&incx=1&incy=2")
[ "$code" = 200 ] || fail "WebRunner example gave $code"
# A software counter really counts: the task clock of sdot is positive.
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot&n=100000&events=task-clock")
[ "$code" = 200 ] || fail "task-clock gave $code"
v=$(awk -F': ' '/^Task clock/ { print $2 }' "$OBJ/body")
[ -n "$v" ] && [ "$v" -gt 0 ] || fail "task clock is '$v'"
sleep 0.3
[ "$(leftover_cgroups)" -le 4 ] || fail "cgroups pile up: $(leftover_cgroups)"
pass
