# A runner template that sends what it may not is killed and replaced,
# and the daemon goes on serving: a message type the template never
# sends (a runner's result), then a spawn answer of the wrong size, each
# end the template that sent it, with the reason logged once.  A
# stand-in for webrunnerd-runner, installed beside a copy of the monitor,
# is started as the template (runners are its clones, never exec'd): it
# sends one each on its first two starts and runs the real one on the
# third.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
command -v python3 > /dev/null || skip "no python3"
mkdir "$OBJ/bin"
cp "$TOP/webrunnerd" "$TOP/webrunnerd-net" "$OBJ/bin/"
cp "$TOP/webrunnerd-runner" "$OBJ/bin/webrunnerd-runner.real"
echo 0 > "$OBJ/starts"
cat > "$OBJ/bin/webrunnerd-runner" <<PY
#!/usr/bin/env python3
import os, struct, sys, time
n = int(open("$OBJ/starts").read()) + 1
open("$OBJ/starts", "w").write("%d\n" % n)
if n > 2:
	os.execv("$OBJ/bin/webrunnerd-runner.real", sys.argv)
# struct imsg_hdr: type, len (header included), id, flags.
if n == 1:
	# IMSG_RESULT (8): what a runner sends, never the template.
	os.write(3, struct.pack("<IIII", 8, 16, 1, 0))
else:
	# IMSG_SPAWNED (11) carries a struct spawn_res, 12 bytes, not 16.
	os.write(3, struct.pack("<IIIIiiii", 11, 32, 1, 0, 1, 1, 0, 0))
time.sleep(30)
sys.exit("faketemplate: not killed")
PY
chmod 755 "$OBJ/bin/webrunnerd-runner"
write_config "runners 1"
"$OBJ/bin/webrunnerd" -d -f "$CONF" > "$LOG" 2>&1 &
DPID=$!
wait_monitor 200 || fail "the daemon did not serve after the violations"
[ "$(cat "$OBJ/starts")" = 3 ] ||
    fail "the template started $(cat "$OBJ/starts") times, not 3"
grep -q "runner template: unexpected message (type 8 in state 1); restarting it" "$LOG" ||
    fail "the forbidden type is not logged"
grep -q "runner template: malformed spawn answer (16 bytes); restarting it" "$LOG" ||
    fail "the bad size is not logged"
[ "$(grep -c "runner template: killed by SIGKILL" "$LOG")" = 2 ] ||
    fail "the stand-ins were not both killed"
grep -q "faketemplate: not killed" "$LOG" && fail "a stand-in outlived its violation"
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "a run after the violations: $code $(cat "$OBJ/body")"
kill -0 "$DPID" 2>/dev/null || fail "the monitor died"
pass
