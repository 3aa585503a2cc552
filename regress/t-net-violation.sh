# A network process that sends what it may not is killed and replaced,
# and the daemon goes on serving: a message type the network process
# never sends (a runner's result), then a health request with a payload,
# each end the process that sent it, with the reason logged once.  A
# stand-in for webrunnerd-net, installed beside a copy of the monitor,
# sends one each on its first two starts and runs the real one on the
# third.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
command -v python3 > /dev/null || skip "no python3"
mkdir "$OBJ/bin"
cp "$TOP/webrunnerd" "$TOP/webrunnerd-runner" "$OBJ/bin/"
cp "$TOP/webrunnerd-net" "$OBJ/bin/webrunnerd-net.real"
echo 0 > "$OBJ/starts"
cat > "$OBJ/bin/webrunnerd-net" <<PY
#!/usr/bin/env python3
import os, struct, sys, time
n = int(open("$OBJ/starts").read()) + 1
open("$OBJ/starts", "w").write("%d\n" % n)
if n > 2:
	os.execv("$OBJ/bin/webrunnerd-net.real", sys.argv)
# struct imsg_hdr: type, len (header included), id, flags.
if n == 1:
	# IMSG_RESULT (8): what a runner sends, never the network process.
	os.write(3, struct.pack("<IIII", 8, 16, 1, 0))
else:
	# IMSG_HEALTH_REQ (1) has no payload; this one has four bytes.
	os.write(3, struct.pack("<IIIII", 1, 20, 1, 0, 0))
time.sleep(30)
sys.exit("fakenet: not killed")
PY
chmod 755 "$OBJ/bin/webrunnerd-net"
write_config "runners 1"
"$OBJ/bin/webrunnerd" -d -f "$CONF" > "$LOG" 2>&1 &
DPID=$!
wait_monitor 200 || fail "the daemon did not serve after the violations"
[ "$(cat "$OBJ/starts")" = 3 ] ||
    fail "the network process started $(cat "$OBJ/starts") times, not 3"
grep -q "network process: unexpected message (type 8 in state 0); restarting it" "$LOG" ||
    fail "the forbidden type is not logged"
grep -q "network process: malformed health request (4 bytes); restarting it" "$LOG" ||
    fail "the bad size is not logged"
[ "$(grep -c "network process killed by KILL" "$LOG")" = 2 ] ||
    fail "the stand-ins were not both killed"
grep -q "fakenet: not killed" "$LOG" && fail "a stand-in outlived its violation"
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "a run after the violations: $code $(cat "$OBJ/body")"
kill -0 "$DPID" 2>/dev/null || fail "the monitor died"
pass
