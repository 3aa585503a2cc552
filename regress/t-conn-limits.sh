# What one client may hold, each limit with a raw socket client and
# small configured values: the per-address cap (4; 127.0.0.3 exempt),
# eviction from a full table (8), the deadline for the whole request
# head (4 s) however it trickles, the body's (1 s, then 1K a second),
# and the answer's to a reader that does not read (1 s).  Each client
# comes from its own loopback address, so the cases do not meet each
# other's cap.  /metrics and the access log count each reason.
. "$(dirname "$0")/test-exec.sh"
MPORT=$(free_port)
write_config "max-connections 8" "max-connections-per-address 4" \
    "connection-limit-exempt 127.0.0.3" "header-timeout 4s" \
    "body-timeout 1s" "body-min-rate 1K" "send-timeout 1s" \
    "timeout 30s" "runners 2" "metrics listen on 127.0.0.1 port $MPORT"
start_daemon
npid=$(child_pid webrunnerd-net) || fail "no network process"
python3 -B - "$PORT" "$TOP/regress" "$TOP/kernels/playground.o" <<'PY' || fail "see above"
import socket, sys, time
sys.path.insert(0, sys.argv[2])
import rawhttp as h
port = int(sys.argv[1])
obj = open(sys.argv[3], "rb").read()
monitor = h.request(b"GET", b"/x/monitor", close=True)

def closed_within(s, secs):
	"""Seconds until the daemon closed s without an answer, or None."""
	t = time.monotonic()
	raw, closed = h.readall(s, t + secs)
	if raw:
		h.fail("an answer where none was due: %r" % raw[:100])
	return time.monotonic() - t if closed else None

def trickle(s, data):
	"""Send data every 0.3 s, for 12 s at most; the seconds until the
	daemon closed s, or None."""
	t0 = time.monotonic()
	try:
		for i in range(40):
			time.sleep(0.3)
			s.send(data)
			s.setblocking(False)
			try:
				if s.recv(100) == b"":
					return time.monotonic() - t0
			except BlockingIOError:
				pass
			s.setblocking(True)
	except OSError:
		return time.monotonic() - t0
	finally:
		s.close()
	return None

def ordinary(name, source):
	t = time.monotonic()
	h.expect(name, h.exchange(port, monitor, wait=5, source=source),
	    200, b"OK", close=True)
	return time.monotonic() - t

# The per-address cap: the fifth idle connection from one address is
# closed at once; another address, and the exempt one, are served.
idle = [h.connect(port, source="127.0.0.4") for i in range(4)]
time.sleep(0.3)
fifth = h.connect(port, source="127.0.0.4")
t = closed_within(fifth, 2)
if t is None or t > 1:
	h.fail("the fifth connection from one address was not closed at once")
else:
	h.note("per-address cap: the fifth connection closed after %.2f s" % t)
ordinary("another address beside a capped one", "127.0.0.5")
ex = [h.connect(port, source="127.0.0.3") for i in range(5)]
time.sleep(0.3)
for s in ex:
	s.sendall(monitor)
for i, s in enumerate(ex):
	raw, closed = h.readall(s, time.monotonic() + 5)
	a, rest = h.parse(raw)
	if len(a) != 1 or a[0].code != 200:
		h.fail("exempt address, connection %d: %r" % (i, raw[:100]))
	s.close()
for s in idle + [fifth]:
	s.close()
time.sleep(0.3)

# Eviction: 8 idle connections fill the table; a second later an
# ordinary request is answered at once, and the oldest idle one is gone.
idle = []
for i in range(8):
	idle.append(h.connect(port, source="127.0.1.%d" % (i + 1)))
	time.sleep(0.05)
time.sleep(1.2)
t = ordinary("into a full table", "127.0.0.6")
h.note("a full table: an ordinary request answered in %.2f s" % t)
if t > 1:
	h.fail("a full table held an ordinary request for %.2f s" % t)
if closed_within(idle[0], 0.5) is None:
	h.fail("the oldest idle connection was not evicted")
for s in idle:
	s.close()
time.sleep(0.3)

# The head deadline: a byte every 0.3 s keeps every read well inside the
# 30 s timeout, but the whole head gets 4 s.
s = h.connect(port, source="127.0.0.7")
s.sendall(b"GET /x/monitor HTTP/1.1\r\nHost: a\r\n")
closed = trickle(s, b"X")
if closed is None or not 3 <= closed <= 6:
	h.fail("a trickling head was closed after %s s, want about 4" % closed)
else:
	h.note("head deadline: a trickling head closed after %.1f s" % closed)

# The body: 100 bytes every 0.3 s is below 1K a second, and is closed
# after about 1 s plus a second per 1K received; the object sent in
# four parts over 1.5 s is on time.
run = b"POST /x/run?kernel=playground HTTP/1.1\r\nHost: a\r\n"
s = h.connect(port, source="127.0.0.8")
s.sendall(run + b"Content-Length: 100000\r\n\r\n")
closed = trickle(s, b"x" * 100)
if closed is None or not 1 <= closed <= 3.5:
	h.fail("a slow body was closed after %s s, want about 1.5" % closed)
else:
	h.note("body deadline: 333 bytes/s closed after %.1f s" % closed)
s = h.connect(port, source="127.0.0.8")
s.sendall(run + b"Content-Length: %d\r\n\r\n" % len(obj))
q = (len(obj) + 3) // 4
for i in range(4):
	time.sleep(0.375)
	s.sendall(obj[i * q:(i + 1) * q])
raw, closed = h.readall(s, time.monotonic() + 10)
a, rest = h.parse(raw)
if len(a) != 1 or a[0].code != 200:
	h.fail("a body sent over 1.5 s: %r" % raw[:200])
s.close()

# The answer: a client that asks for many pages and reads none is closed
# once an answer has waited 1 s to be written.
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.bind(("127.0.0.9", 0))
s.connect((h.HOST, port))
page = h.request(b"GET", b"/x/config")
try:
	s.settimeout(5)
	for i in range(1000):
		s.send(page)
except OSError:
	pass
time.sleep(3)
raw, closed = h.readall(s, time.monotonic() + 10)
a, rest = h.parse(raw) if raw else ([], b"")
h.note("send deadline: %d of 1000 answers read, then %s" % (len(a),
    "closed" if closed else "still open"))
if not closed or len(a) >= 1000:
	h.fail("a reader that does not read was not closed")
s.close()
ordinary("after all that", "127.0.0.10")
h.done()
PY
curl -s "http://127.0.0.1:$MPORT/metrics" > "$OBJ/m"
for r in per-address-cap evicted head-deadline body-deadline send-deadline; do
	n=$(sed -n "s/^webrunnerd_http_connections_closed_total{reason=\"$r\"} //p" "$OBJ/m")
	echo "closed, $r: $n"
	[ "${n:-0}" -ge 1 ] || fail "no $r counted in /metrics"
done
grep -q 'connections closed by the daemon .*per-address-cap=1' "$LOG" ||
    fail "no summary of closed connections in the access log"
[ "$(child_pid webrunnerd-net)" = "$npid" ] || fail "network process restarted"
pass
