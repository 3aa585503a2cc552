# Hostile bodies: huge and malformed lengths, bad chunk sizes, bodies
# beyond max-body, and bodies shorter than their length whose client
# goes away or falls silent.  Each is refused with a 4xx or closed; the
# connections are all given back (the daemon, held to 16 of them, still
# answers), the network process keeps its descriptors and its pid.
. "$(dirname "$0")/test-exec.sh"
start_daemon "max-body 64K" "max-connections 16" "timeout 2s" "runners 2" \
    "time-limit 1s"
npid=$(child_pid webrunnerd-net) || fail "no network process"
nfd0=$(ls /proc/$npid/fd | wc -l)
python3 -B - "$PORT" "$TOP/regress" "$TOP/kernels/sdot.o" \
    "$TOP/regress/kernels/spin.o" <<'PY' || fail "see above"
import sys, time
sys.path.insert(0, sys.argv[2])
import rawhttp as h
port = int(sys.argv[1])
obj = open(sys.argv[3], "rb").read()
spin = open(sys.argv[4], "rb").read()
ex = lambda data, **kw: h.exchange(port, data, **kw)
run = b"POST /x/run?kernel=sdot HTTP/1.1\r\nHost: a\r\n"

# Lengths.
for name, cl, codes, reason in (
    ("10^14", b"100000000000000", 413, b"Too Large"),
    ("2^63", b"9223372036854775808", (400, 413), b"Bad Request|Too Large"),
    ("2^64", b"18446744073709551616", (400, 413), b"Bad Request|Too Large"),
    ("2^64 - 1", b"18446744073709551615", (400, 413),
	b"Bad Request|Too Large"),
    ("negative", b"-5", 400, b"Bad Request"),
    ("max-body + 1", b"65537", 413, b"Too Large"),
    ("not a number", b"abc", 400, b"Bad Request")):
	h.expect("Content-Length " + name, ex(run + b"Content-Length: " + cl +
	    b"\r\n\r\n" + b"x" * 100), codes, reason, close=True)
h.expect("body beyond max-body", ex(run + b"Content-Length: %d\r\n\r\n" %
    (100 << 10) + b"\0" * (100 << 10)), 413, b"Too Large", close=True)
h.expect("empty body", ex(run + b"Content-Length: 0\r\nConnection: close"
    b"\r\n\r\n"), 400, b"empty body")

# Chunk sizes; evhttp answers a corrupt one with 413.
te = run + b"Transfer-Encoding: chunked\r\n\r\n"
for name, body in (("not hex", b"zz\r\nabc\r\n0\r\n\r\n"),
    ("negative", b"-3\r\nabc\r\n0\r\n\r\n"),
    ("2^64 + 3", b"10000000000000003\r\nabc\r\n0\r\n\r\n"),
    ("2^64 - 1", b"ffffffffffffffff\r\nabc\r\n0\r\n\r\n"),
    ("2^63 - 1", b"7fffffffffffffff\r\nabc\r\n0\r\n\r\n"),
    ("beyond max-body", b"10001\r\n" + b"a" * 65537 + b"\r\n0\r\n\r\n"),
    ("many beyond max-body", (b"1000\r\n" + b"a" * 4096 + b"\r\n") * 17 +
	b"0\r\n\r\n"),
    ("size and junk", b"3x\r\nabc\r\n0\r\n\r\n"),
    ("data without CRLF", b"3\r\nabcX0\r\n\r\n")):
	h.expect("chunk size " + name, ex(te + body), (400, 413),
	    b"Bad Request|Too Large", close=True)

# Bodies shorter than their length: the client closes, half-closes, or
# falls silent (timeout 2s).  Far more of them than max-connections:
# a connection that was not given back would stop the daemon accepting.
half = run + b"Content-Length: 4000\r\n\r\n" + obj[:1000]
t0 = time.monotonic()
for i in range(100):
	s = h.connect(port)
	s.sendall(half)
	s.close()
for i in range(50):
	h.expect("short body, half-closed", ex(half, shut=True, wait=5),
	    (), count=0, close=True)
t = time.monotonic()
h.expect("short body, silent", ex(half, wait=10), (), count=0, close=True)
t = time.monotonic() - t
h.note("a silent client is dropped after %.1f s (timeout 2s)" % t)
if t > 8:
	h.fail("silent client held for %.1f s" % t)
slow = [h.connect(port) for i in range(8)]
for s in slow:
	s.sendall(half)
h.expect("beside 8 silent clients", ex(h.request(b"GET", b"/x/monitor",
    close=True)), 200, b"OK", close=True)
for s in slow:
	s.close()

# A run whose client leaves while the kernel spins: nothing waits for it.
for i in range(3):
	s = h.connect(port)
	s.sendall(b"POST /x/run?kernel=playground HTTP/1.1\r\nHost: a\r\n"
	    b"Content-Length: %d\r\n\r\n" % len(spin) + spin)
	time.sleep(0.2)
	s.close()
time.sleep(1.5)
h.expect("after all that", ex(h.request(b"POST", b"/x/run?kernel=sdot",
    body=obj, close=True), wait=20), 200, b"Cycles: ", close=True)
h.done()
PY
wait_monitor 200 || fail "monitor route does not answer afterwards"
[ "$(child_pid webrunnerd-net)" = "$npid" ] || fail "network process restarted"
sleep 0.5
nfd1=$(ls /proc/$npid/fd | wc -l)
echo "network process descriptors: $nfd0 before, $nfd1 after"
[ "$nfd1" -le "$((nfd0 + 2))" ] || fail "descriptors grew from $nfd0 to $nfd1"
[ "$(runner_count)" -le 4 ] || fail "$(runner_count) runners, pool is 4 (runners 2)"
pass
