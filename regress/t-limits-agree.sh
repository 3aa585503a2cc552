# One body limit for every process: a max-body the runner could not load
# is a configuration error, and a body over max-body is refused with 413
# by the network process before any runner sees it, while the daemon goes
# on serving.  A body of exactly max-body goes through.
. "$(dirname "$0")/test-exec.sh"

# The runner loads at most 4 MiB: more is refused by -n, naming why.
write_config "max-body 5M"
"$TOP/webrunnerd" -n -f "$CONF" > "$OBJ/out" 2>&1 && fail "max-body 5M accepted"
grep -q "max-body must be between 1 and 4194304: a runner loads objects of at most 4194304 bytes" "$OBJ/out" ||
    fail "max-body 5M: $(cat "$OBJ/out")"
write_config "max-body 4M"
"$TOP/webrunnerd" -n -f "$CONF" > "$OBJ/out" 2>&1 || fail "max-body 4M refused: $(cat "$OBJ/out")"

MPORT=$(free_port)
PORT=
write_config "max-body 64K" "runners 1" "metrics listen on 127.0.0.1 port $MPORT"
start_daemon
# Every run, whatever its outcome, is counted in runs_total.
runs() {
	curl -s "http://127.0.0.1:$MPORT/metrics" |
	    awk '/^webrunnerd_runs_total/ { n += $2 } END { print n + 0 }'
}
r0=$(runs)
head -c 65537 /dev/zero > "$OBJ/over"
code=$(post "$OBJ/over" "kernel=sdot")
[ "$code" = 413 ] || fail "max-body + 1: got $code: $(cat "$OBJ/body")"
head -c 5000000 /dev/zero > "$OBJ/big"
code=$(post "$OBJ/big" "kernel=sdot")
[ "$code" = 413 ] || fail "5 MB: got $code: $(cat "$OBJ/body")"
code=$(post "$OBJ/over" "kernel=sdot" -H 'Transfer-Encoding: chunked')
[ "$code" = 413 ] || fail "max-body + 1, chunked: got $code: $(cat "$OBJ/body")"
r1=$(runs)
[ "$r1" = "$r0" ] || fail "bodies over max-body used runners: runs $r0, then $r1"

# Exactly max-body reaches a runner, which finds no ELF object in it.
head -c 65536 /dev/zero > "$OBJ/limit"
code=$(post "$OBJ/limit" "kernel=sdot")
[ "$code" = 422 ] || fail "max-body exactly: got $code: $(cat "$OBJ/body")"
[ "$(runs)" = "$((r0 + 1))" ] || fail "max-body exactly: not one run"
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "a good run afterwards: $code: $(cat "$OBJ/body")"
pass
