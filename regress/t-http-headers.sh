# Hostile request lines and headers: oversized and too many headers, bad
# field names, bad methods and versions.  Each is refused with a 4xx (or
# 501 for a method nobody knows) and a reason; HEAD answers carry no
# body; the network process is never restarted.
. "$(dirname "$0")/test-exec.sh"
start_daemon "max-headers 16K"
npid=$(child_pid webrunnerd-net) || fail "no network process"
python3 -B - "$PORT" "$TOP/regress" <<'PY' || fail "see above"
import sys
sys.path.insert(0, sys.argv[2])
import rawhttp as h
port = int(sys.argv[1])
ex = lambda data, **kw: h.exchange(port, data, **kw)
mon = lambda *hdrs: h.request(b"GET", b"/x/monitor", hdrs, close=True)

# Sizes: one field beyond max-headers, many small ones beyond it, one
# of 1 MiB; many fields within the limit are fine.
h.expect("one 20K field", ex(mon(b"X-Big: " + b"a" * 20000)), 400,
    b"Bad Request", close=True)
h.expect("3000 fields", ex(mon(*[b"X-%d: 1" % i for i in range(3000)])),
    400, b"Bad Request", close=True)
h.expect("1 MiB field", ex(mon(b"X-Big: " + b"a" * (1 << 20))), 400,
    b"Bad Request", close=True)
h.expect("1 MiB field name", ex(mon(b"X" * (1 << 20) + b": 1")), 400,
    b"Bad Request", close=True)
h.expect("300 small fields", ex(mon(*[b"X-%d: 1" % i for i in range(300)])),
    200, b"OK")

# Field names: white space before the colon, none at all, empty, no colon.
h.expect("space before colon", ex(mon(b"Accept : text/plain")), 400,
    b"malformed header field name", close=True)
h.expect("empty field name", ex(mon(b": x")), 400,
    b"malformed header field name", close=True)
h.expect("field without colon", ex(mon(b"NoColon")), 400, b"Bad Request",
    close=True)
h.expect("NUL in a field name", ex(mon(b"X-\0A: 1")), 400,
    b"Bad Request|malformed header field name", close=True)
h.expect("control bytes in a value", ex(mon(b"X-A: \x01\x7f\xff")), 200,
    b"OK")

# Methods: unknown ones get 501 from evhttp (RFC 9110 15.6.2), known
# ones a route does not take 405 with Allow.
for m in (b"FOO", b"get", b"PROPFIND", b"A" * 8000):
	h.expect("method %.20r" % m, ex(h.request(m, b"/x/monitor",
	    close=True)), (400, 501), b"Not Implemented|Bad Request",
	    close=True)
for m, path, allow in ((b"PUT", b"/x/run?kernel=sdot", b"POST"),
    (b"DELETE", b"/x/monitor", b"GET, HEAD"),
    (b"TRACE", b"/x/monitor", b"GET, HEAD"),
    (b"PATCH", b"/x/run", b"POST"),
    (b"POST", b"/x/monitor", b"GET, HEAD"),
    (b"GET", b"/x/run?kernel=sdot", b"POST")):
	a = h.expect("%s %s" % (m, path), ex(h.request(m, path, close=True)),
	    405, b"method not allowed")
	if a and not a[0].headers.get("allow", b"").startswith(allow):
		h.fail("%s %s: Allow is %r" % (m, path, a[0].headers.get("allow")))
# evhttp leaves the length out of an answer to CONNECT and keeps the
# connection; the answer must still be framed so the next one can be read.
a = h.expect("CONNECT, then GET", ex(h.request(b"CONNECT", b"127.0.0.1:22") +
    h.request(b"GET", b"/x/monitor"), wait=1), 404, b"path must be",
    count=2)
if len(a) == 2 and a[1].code != 200:
	h.fail("answer after CONNECT: %r" % a[1])

# Request lines.
for name, line in (("NUL in the method", b"G\0ET /x/monitor HTTP/1.1"),
    ("NUL in the path", b"GET /x/mon\0itor HTTP/1.1"),
    ("HTTP/2.0", b"GET /x/monitor HTTP/2.0"),
    ("HTTP/9.9", b"GET /x/monitor HTTP/9.9"),
    ("no version", b"GET /x/monitor"),
    ("extra word", b"GET /x/monitor HTTP/1.1 extra"),
    ("tab separator", b"GET /x/monitor\tHTTP/1.1"),
    ("empty lines first", b"\r\n\r\nGET /x/monitor HTTP/1.1"),
    ("64K URI", b"GET /x/monitor?" + b"q" * 65536 + b" HTTP/1.1")):
	h.expect(name, ex(line + b"\r\nHost: a\r\nConnection: close\r\n\r\n"),
	    400, b"Bad Request", close=True)
for name, path, reason in (("dot-dot", b"/x/../monitor", b"path must be"),
    ("escaped dot-dot", b"/%2e%2e/monitor", b"bad machine-id"),
    ("up and out", b"/../../etc/passwd", b"path must be"),
    ("NUL in machine-id", b"/x%00/monitor", b"bad machine-id"),
    ("NUL after command", b"/x/monitor%00", b"unknown command"),
    ("long machine-id", b"/" + b"a" * 64 + b"/monitor", b"bad machine-id"),
    ("bad escape in the command", b"/x/mon%zzitor", b"unknown command"),
    ("bad escape in machine-id", b"/x%z/monitor", b"bad machine-id"),
    ("asterisk", b"*", b"path must be"),
    ("trailing slash", b"/x/monitor/", b"path must be")):
	h.expect(name, ex(h.request(b"GET", path, close=True)), 404, reason)

# HEAD: the length of the body, never the body itself, so that the next
# answer on the connection is read from its first byte.
raw = ex(h.request(b"HEAD", b"/x/monitor") + h.request(b"GET",
    b"/x/nothing", close=True))
a = h.expect("HEAD, then GET", raw, 200, count=2, methods=(b"HEAD", b"GET"))
if len(a) == 2:
	if a[0].body != b"" or a[0].headers.get("content-length") != b"3":
		h.fail("HEAD answer: %r %r" % (a[0], a[0].headers))
	if a[1].code != 404 or a[1].body != b"Not found: unknown command\n":
		h.fail("answer after HEAD: %r" % a[1])
h.done()
PY
wait_monitor 200 || fail "monitor route does not answer afterwards"
[ "$(child_pid webrunnerd-net)" = "$npid" ] || fail "network process restarted"
pass
