# Slow clients, as an attacker would send them, with a tool nobody here
# wrote: slowhttptest opens 2,000 connections from 127.0.0.1 in each of
# its three modes, slow headers (-H), slow body (-B) and slow read (-X),
# and opens them again whenever they are all gone, for 30 seconds a
# mode, on the default configuration.  Meanwhile an ordinary client on
# 127.0.0.2 posts the playground kernel every half second: at least 95%
# of its requests are answered (200) within 2 s in each mode, the daemon
# stays up with the same network process, and that process is back to
# its idle number of descriptors afterwards.  Then 3,000 slow heads from
# 50 addresses, each under its cap, are all held, and what they cost the
# network process in memory is printed (and held under 32 MB).
. "$(dirname "$0")/test-exec.sh"
command -v slowhttptest > /dev/null || skip "slowhttptest is not installed"
curl -s --max-time 2 --interface 127.0.0.2 -o /dev/null \
    http://127.0.0.1:1/ 2> /dev/null
[ $? = 45 ] && skip "cannot send from 127.0.0.2"
ulimit -n 8192 2> /dev/null || skip "2,000 connections need descriptors"
start_daemon "runners 2"
npid=$(child_pid webrunnerd-net) || fail "no network process"
nfd0=$(fd_count "$npid")
SECS=25

# attack MODE PATH: slowhttptest against PATH until $SECS have passed.
attack() {
	end=$(($(date +%s) + SECS))
	while [ "$(date +%s)" -lt "$end" ]; do
		slowhttptest "-$1" -c 2000 -r 1000 -i 2 -p 3 \
		    -l $((end - $(date +%s) + 1)) \
		    -u "$(url "$2")" > "$OBJ/slow-$1" 2>&1
		sleep 0.2
	done
}

# probe: POST the playground kernel from 127.0.0.2 every half second
# for SECS - 5 seconds; prints "answered-within-2s total".
probe() {
	end=$(($(date +%s) + SECS - 5))
	n=0
	ok=0
	while [ "$(date +%s)" -lt "$end" ]; do
		r=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' \
		    --max-time 5 --interface 127.0.0.2 \
		    -H 'Content-Type: application/octet-stream' \
		    --data-binary @"$TOP/kernels/playground.o" \
		    "$(url /x/run?kernel=playground)")
		n=$((n + 1))
		if [ "${r% *}" = 200 ] &&
		    awk -v t="${r#* }" 'BEGIN { exit !(t < 2) }'; then
			ok=$((ok + 1))
		fi
		sleep 0.5
	done
	echo "$ok $n"
}

for m in H B X; do
	case $m in
	B)	path="/x/run?kernel=playground" ;;
	*)	path="/x/monitor" ;;
	esac
	attack $m "$path" &
	apid=$!
	sleep 3
	set -- $(probe)
	wait $apid
	ok=$1
	n=$2
	echo "slowhttptest -$m: $ok of $n requests from 127.0.0.2 answered" \
	    "within 2 s"
	grep -a "closed:\|connected:" "$OBJ/slow-$m" | tail -2 |
	    sed 's/\x1b\[[0-9;]*[a-zA-Z]//g; s/^/    last run: /'
	[ "$n" -ge 10 ] || fail "-$m: only $n requests sent"
	[ $((ok * 100)) -ge $((n * 95)) ] ||
	    fail "-$m: only $ok of $n answered within 2 s"
	kill -0 "$DPID" 2> /dev/null || fail "daemon died during -$m"
	[ "$(child_pid webrunnerd-net)" = "$npid" ] ||
	    fail "network process restarted during -$m"
done

python3 -B - "$PORT" "$TOP/regress" "$npid" <<'PY' || fail "see above"
import os, sys, time
sys.path.insert(0, sys.argv[2])
import rawhttp as h
port, npid = int(sys.argv[1]), sys.argv[3]

def rss_kb():
	for l in open("/proc/%s/status" % npid):
		if l.startswith("VmRSS:"):
			return int(l.split()[1])

base = rss_kb()
socks = []
for i in range(3000):
	s = h.connect(port, source="127.0.2.%d" % (i // 60 + 1))
	s.sendall(b"POST /x/run?kernel=playground HTTP/1.1\r\nHost: a\r\n")
	socks.append(s)
time.sleep(1)
rss, nfd = rss_kb(), len(os.listdir("/proc/%s/fd" % npid))
h.note("network process with 3000 slow heads open: RSS %d kB (%d kB "
    "before), %d descriptors" % (rss, base, nfd))
if nfd < 3000:
	h.fail("only %d of 3000 slow connections held" % nfd)
if rss - base > 32 * 1024:
	h.fail("3000 slow connections cost %d kB" % (rss - base))
for s in socks:
	s.close()
h.done()
PY

# Whatever is left open is gone at the head deadline (10 s).
i=0
while [ "$(fd_count "$npid")" -gt "$nfd0" ] && [ $i -lt 150 ]; do
	sleep 0.1
	i=$((i + 1))
done
nfd1=$(fd_count "$npid")
echo "network process descriptors: $nfd0 before, $nfd1 after"
[ "$nfd1" -le "$nfd0" ] || fail "descriptors grew from $nfd0 to $nfd1"
wait_monitor 200 || fail "monitor route does not answer afterwards"
pass
