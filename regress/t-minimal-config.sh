# A configuration of one listen line is enough to run straight from the
# build tree: the defaults find the in-tree helpers and kernels, and the
# monitor route answers 200 (over IPv4; t-monitor covers IPv6).
. "$(dirname "$0")/test-exec.sh"
PORT=$(free_port)
echo "listen on 127.0.0.1 port $PORT" > "$CONF"
start_daemon
code=$(curl -s -o /dev/null -w '%{http_code}' -I "$(url /x/monitor)")
[ "$code" = 200 ] || fail "monitor route: $code"
grep -q "kernel specs of $TOP/kernels" "$LOG" || fail "not the build tree's kernels"
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "sdot: $code $(cat "$OBJ/body")"
pass
