#!/bin/sh
# make bench, program mode: POST /run of /bin/true, go-judge's request,
# over keep-alive loopback connections (1, then 2), beside bwrap
# --unshare-all of a static binary in the same run and beside go-judge's
# published figures for the same request (1.16 ms p50 and 865 req/s with
# one connection, on a Ryzen 5800X: a reference, not a peer).  Printed:
# p50, p99 and requests per second, the ratio of the p50 to bwrap's time
# per run, and a verdict on the targets (p50 under 2 ms; above 500 req/s
# with 2 connections).  A benchmark, not a test: it asserts nothing.
. "$(dirname "$0")/test-exec.sh"
DUR=${BENCH_SECONDS:-10}
. "$(dirname "$0")/bench-peer.sh"
bw=$(bwrap_us | cut -d " " -f 1)

PROGRAM=yes
start_daemon
body='{"cmd":[{"args":["/bin/true"],"env":["PATH=/usr/bin:/bin"],"files":[{"content":""},{"name":"stdout","max":1024},{"name":"stderr","max":1024}],"cpuLimit":1000000000,"memoryLimit":104857600,"procLimit":50}]}'
cat > "$OBJ/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
u=$(url /run)
code=$(curl -s -o "$OBJ/body" -w '%{http_code}' -d "$body" "$u")
[ "$code" = 200 ] && grep -q '"Accepted"' "$OBJ/body" ||
    fail "warm-up request: $code $(cat "$OBJ/body")"
printf '%-34s %10s %10s %10s %8s\n' "" "p50 us" "p99 us" "req/s" "errors"
for c in 1 2; do
	wrk -t "$c" -c "$c" -d "${DUR}s" --latency -s "$OBJ/post.lua" "$u" \
	    > "$OBJ/wrk$c" 2>&1 || fail "wrk: $(cat "$OBJ/wrk$c")"
	p50=$(to_us "$(awk '$1 == "50%" { print $2 }' "$OBJ/wrk$c")")
	p99=$(to_us "$(awk '$1 == "99%" { print $2 }' "$OBJ/wrk$c")")
	rps=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$OBJ/wrk$c")
	errs=$(awk '/Non-2xx|Socket errors/ { s = s $0 " " } END { print s }' \
	    "$OBJ/wrk$c")
	printf '%-34s %10s %10s %10s %8s\n' \
	    "webrunnerd /run /bin/true, $c conn" "$p50" "$p99" "$rps" \
	    "${errs:+yes}"
	[ -z "$errs" ] || echo "  $errs"
	eval "p50_$c=$p50 rps_$c=$rps"
done
printf '%-34s %10s\n' "bwrap --unshare-all, per run" "$bw"
printf '%-34s %10s %10s %10s\n' "go-judge, published (5800X)" 1160 "" 865
verdict() { [ "$1" = 1 ] && echo met || echo "not met"; }
printf 'program mode p50 (1 connection): %s us, %.3f of bwrap per run; target < 2000 us: %s\n' \
    "$p50_1" "$(awk -v a="$p50_1" -v b="$bw" 'BEGIN { print a / b }')" \
    "$(verdict "$(awk -v a="$p50_1" 'BEGIN { print (a < 2000) }')")"
printf 'program mode requests/s with 2 connections: %d; target > 500: %s\n' \
    "$rps_2" "$(verdict "$(awk -v a="$rps_2" 'BEGIN { print (a > 500) }')")"
exit 0
