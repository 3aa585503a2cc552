# Many connections: 1000 clients at once against max-connections 256,
# every one answered (200, or 503 with a reason and Retry-After when the
# requests waiting for the monitor are too many); then 400 idle
# connections: at the limit, the connection longest in its request head
# makes room for the next one, so an ordinary request is answered at
# once.  The clients all come from 127.0.0.1, exempt here from the
# per-address cap, as a front proxy would be.  The network process keeps
# its pid and gives back its descriptors.
. "$(dirname "$0")/test-exec.sh"
start_daemon "max-connections 256" "timeout 3s" \
    "connection-limit-exempt 127.0.0.1"
npid=$(child_pid webrunnerd-net) || fail "no network process"
nfd0=$(ls /proc/$npid/fd | wc -l)
python3 -B - "$PORT" "$TOP/regress" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[2])
import rawhttp as h
port = int(sys.argv[1])
if not h.raise_nofile(1200):
	print("SKIP: 1000 connections need 1200 descriptors")
	sys.exit(77)

t0 = time.monotonic()
res = h.many(port, 1000, h.request(b"GET", b"/x/monitor", close=True),
    t0 + 90)
codes = {}
for i, (raw, closed, t) in enumerate(res):
	a, rest = h.parse(raw)
	if len(a) != 1 or rest or not closed:
		h.fail("connection %d: %r (closed %s)" % (i, raw[:200], closed))
		continue
	codes[a[0].code] = codes.get(a[0].code, 0) + 1
	if a[0].code == 503 and (not a[0].body.strip() or
	    "retry-after" not in a[0].headers):
		h.fail("connection %d: 503 without reason or Retry-After" % i)
	elif a[0].code not in (200, 503):
		h.fail("connection %d: %r" % (i, a[0]))
h.note("1000 connections at once: %s in %.1f s, the last after %.1f s" %
    (", ".join("%d x %d" % (c, n) for c, n in sorted(codes.items())),
    time.monotonic() - t0, max(r[2] for r in res)))

# 400 idle connections, more than the table holds: each newcomer past
# 256 evicts the oldest idle one, and so does the ordinary request.
idle = []
for i in range(400):
	s = h.socket.socket()
	s.setblocking(False)
	s.connect_ex((h.HOST, port))
	idle.append(s)
time.sleep(0.5)
t = time.monotonic()
a = h.expect("past 400 idle connections", h.exchange(port,
    h.request(b"GET", b"/x/monitor", close=True), wait=60), 200, b"OK",
    close=True)
t = time.monotonic() - t
h.note("an ordinary request behind 400 idle connections: %.1f s" % t)
if t > 2:
	h.fail("400 idle connections held an ordinary request for %.1f s" % t)
for s in idle:
	s.close()
t = time.monotonic()
h.expect("once they are gone", h.exchange(port, h.request(b"GET",
    b"/x/monitor", close=True), wait=10), 200, b"OK", close=True)
h.note("and once they are gone: %.3f s" % (time.monotonic() - t))
h.done()
PY
rc=$?
[ $rc = 77 ] && skip "not enough descriptors for 1000 connections"
[ $rc = 0 ] || fail "see above"
wait_monitor 200 || fail "monitor route does not answer afterwards"
[ "$(child_pid webrunnerd-net)" = "$npid" ] || fail "network process restarted"
# The closes reach the network process one by one, and a busy host may
# take it longer than a moment to see them all: a leak stays past 10 s.
i=0
while nfd1=$(ls /proc/$npid/fd | wc -l) && [ "$nfd1" -gt "$((nfd0 + 2))" ] &&
    [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "network process descriptors: $nfd0 before, $nfd1 after"
[ "$nfd1" -le "$((nfd0 + 2))" ] || fail "descriptors grew from $nfd0 to $nfd1"
pass
