#!/bin/sh
# Run the whole regress suite: every unit test binary (each TAP line is
# one test), the libFuzzer targets for a short smoke run, and every shell
# test (one test each).  Ends with "N passed, N failed".
cd "$(dirname "$0")/.." || exit 1
passed=0
failed=0
skipped=0
out=$(mktemp)

for t in regress/unit/t_*; do
	case "$t" in *.c) continue ;; esac
	[ -x "$t" ] || continue
	timeout 300 "$t" > "$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out" | tr -d ' ')
	s=$(grep -c '^ok .*# SKIP' "$out" | tr -d ' ')
	f=$(grep -c '^not ok ' "$out" | tr -d ' ')
	p=$((p - s))
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "FAIL: $t exited with $rc"
		tail -20 "$out"
	fi
	grep '^not ok \|# SKIP' "$out" | sed "s,^,$t: ,"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	echo "$t: $p passed, $f failed, $s skipped"
done

for f in regress/fuzz/fuzz_*; do
	case "$f" in *.c) continue ;; esac
	[ -x "$f" ] || continue
	name=${f#regress/fuzz/fuzz_}
	corpus=regress/fuzz/corpus/$name
	work=$(mktemp -d)
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
	if timeout 120 "$f" -max_total_time=${FUZZ_SMOKE:-10} "$work" \
	    > "$out" 2>&1; then
		passed=$((passed + 1))
		echo "$f: smoke run clean ($(grep -o 'Done [0-9]* runs' "$out"))"
	else
		failed=$((failed + 1))
		echo "FAIL: $f"
		tail -30 "$out"
	fi
	rm -rf "$work"
done

for t in regress/t-*.sh regress/attacks/t-*.sh; do
	timeout 300 sh "$t" > "$out" 2>&1
	rc=$?
	case $rc in
	0)	passed=$((passed + 1)); echo "$t: ok" ;;
	77)	skipped=$((skipped + 1)); cat "$out" ;;
	*)	failed=$((failed + 1)); echo "FAIL: $t (exit $rc)"; cat "$out" ;;
	esac
done
rm -f "$out"
# The last line, as make test promises; each skip said why above.
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
