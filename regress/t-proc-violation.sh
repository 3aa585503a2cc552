# A process that sends the monitor what it may not is killed and
# replaced, and the daemon goes on serving.  Stand-ins for the network
# process (webrunnerd-net) and the runner template (webrunnerd-runner,
# which is started as the template only: runners are its clones, never
# exec'd) are installed beside a copy of the monitor.  On its first start
# each sends a message type it never sends (a runner's result), on its
# second a message of its own of the wrong size, and on its third it
# runs the real program.  Each violation ends the process that sent it,
# logged once with its reason.  (Runners that do the same are the
# attack kernels k_forged_*.)
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
command -v python3 > /dev/null || skip "no python3"
mkdir "$OBJ/bin"
cp "$TOP/webrunnerd" "$OBJ/bin/"

# standin PROG HEADER-AND-PAYLOAD: the second message, as struct.pack's
# arguments; struct imsg_hdr is type, len (header included), id, flags.
standin() {
	cp "$TOP/$1" "$OBJ/bin/$1.real"
	echo 0 > "$OBJ/$1.starts"
	cat > "$OBJ/bin/$1" <<PY
#!/usr/bin/env python3
import os, struct, sys, time
n = int(open("$OBJ/$1.starts").read()) + 1
open("$OBJ/$1.starts", "w").write("%d\n" % n)
if n > 2:
	os.execv("$OBJ/bin/$1.real", sys.argv)
if n == 1:
	# IMSG_RESULT (8): what a runner sends, never this process.
	os.write(3, struct.pack("<IIII", 8, 16, 1, 0))
else:
	os.write(3, struct.pack($2))
time.sleep(30)
sys.exit("$1 stand-in: not killed")
PY
	chmod 755 "$OBJ/bin/$1"
}
# IMSG_HEALTH_REQ (1) has no payload; this one has four bytes.
standin webrunnerd-net '"<IIIII", 1, 20, 1, 0, 0'
# IMSG_SPAWNED (11) carries a struct spawn_res, 12 bytes, not 16.
standin webrunnerd-runner '"<IIIIiiii", 11, 32, 1, 0, 1, 1, 0, 0'

write_config "runners 1"
"$OBJ/bin/webrunnerd" -d -f "$CONF" > "$LOG" 2>&1 &
DPID=$!
wait_monitor 200 || fail "the daemon did not serve after the violations"
for p in webrunnerd-net webrunnerd-runner; do
	[ "$(cat "$OBJ/$p.starts")" = 3 ] ||
	    fail "$p started $(cat "$OBJ/$p.starts") times, not 3"
done
grep -q "network process: unexpected message (type 8 in state 0); restarting it" "$LOG" ||
    fail "the network process's forbidden type is not logged"
grep -q "network process: malformed health request (4 bytes); restarting it" "$LOG" ||
    fail "the network process's bad size is not logged"
[ "$(grep -c "network process killed by KILL" "$LOG")" = 2 ] ||
    fail "the network process's stand-ins were not both killed"
grep -q "runner template: unexpected message (type 8 in state 1); restarting it" "$LOG" ||
    fail "the template's forbidden type is not logged"
grep -q "runner template: malformed spawn answer (16 bytes); restarting it" "$LOG" ||
    fail "the template's bad size is not logged"
[ "$(grep -c "runner template: killed by SIGKILL" "$LOG")" = 2 ] ||
    fail "the template's stand-ins were not both killed"
grep -q "stand-in: not killed" "$LOG" && fail "a stand-in outlived its violation"
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "a run after the violations: $code $(cat "$OBJ/body")"
kill -0 "$DPID" 2>/dev/null || fail "the monitor died"
pass
