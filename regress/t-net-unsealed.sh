# The monitor trusts nothing the network process sends: an object whose
# memfd can still be written is refused, and the network process that
# sent it is killed and replaced, while a sealed one is answered.  A
# stand-in network process (regress/fakenet), installed beside a copy of
# the monitor, sends one of each.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
[ -x "$TOP/regress/fakenet" ] || fail "regress/fakenet is not built"
mkdir "$OBJ/bin"
cp "$TOP/webrunnerd" "$TOP/webrunnerd-runner" "$OBJ/bin/"
cp "$TOP/regress/fakenet" "$OBJ/bin/webrunnerd-net"
write_config "runners 1"
"$OBJ/bin/webrunnerd" -d -f "$CONF" > "$LOG" 2>&1 &
DPID=$!
i=0
until grep -q "network process: .*restarting it" "$LOG"; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the monitor did not turn on the network process"
	sleep 0.1
done
# The sealed object reached a runner, which refused it as not ELF.
grep -q "fakenet: sealed object answered 422" "$LOG" ||
    fail "the sealed object was not answered 422"
grep -q "run request 2: object is not a sealed memfd" "$LOG" ||
    fail "the writable object was not refused by name"
grep -q "fakenet: writable object answered [1-9]" "$LOG" &&
    fail "the writable object got an answer"
kill -0 "$DPID" 2>/dev/null || fail "the monitor died"
pass
