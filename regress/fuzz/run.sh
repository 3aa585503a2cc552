#!/bin/sh
# make fuzz: every libFuzzer target for the given number of seconds, on a
# scratch copy of its seed corpus.
secs=${1:-60}
cd "$(dirname "$0")/../.." || exit 1
rc=0
for f in regress/fuzz/fuzz_*; do
	case "$f" in *.c) continue ;; esac
	name=${f#regress/fuzz/fuzz_}
	work=$(mktemp -d)
	[ -d regress/fuzz/corpus/$name ] && cp -r regress/fuzz/corpus/$name/. "$work"/
	echo "== $name, $secs s"
	UBSAN_OPTIONS=halt_on_error=1 "$f" -max_total_time="$secs" "$work" 2>&1 |
	    grep -E '^Done|ERROR|SUMMARY' || true
	[ -n "$(ls crash-* leak-* 2>/dev/null)" ] && rc=1
	rm -rf "$work"
done
exit $rc
