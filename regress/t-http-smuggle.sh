# Request smuggling: wherever a body's end is open to interpretation
# (Content-Length with Transfer-Encoding, two lengths, an odd length, a
# coding other than chunked, white space before the colon, a folded
# line, a body on HEAD or TRACE) the request is refused with 400 and a
# reason and the connection is closed, so the request hidden after the
# body is never answered.  Pipelined requests are each answered, in order.
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 2" "time-limit 2s"
npid=$(child_pid webrunnerd-net) || fail "no network process"
python3 -B - "$PORT" "$TOP/regress" "$TOP/kernels/sdot.o" <<'PY' || fail "see above"
import sys
sys.path.insert(0, sys.argv[2])
import rawhttp as h
port = int(sys.argv[1])
obj = open(sys.argv[3], "rb").read()
ex = lambda data, **kw: h.exchange(port, data, **kw)

# The request hidden in the body: answering it would show up as a 404.
hidden = h.request(b"GET", b"/x/hidden")
run = b"POST /x/run?kernel=sdot HTTP/1.1\r\nHost: a\r\n"
chunked = b"%x\r\n" % len(hidden) + hidden + b"\r\n0\r\n\r\n"
for name, hdrs, body, reason in (
    ("CL.TE", b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
	chunked, b"Bad Request|both"),
    ("TE.CL", b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
	chunked, b"Bad Request|both"),
    ("two lengths", b"Content-Length: 0\r\nContent-Length: %d\r\n" %
	len(hidden), hidden, b"more than one Content-Length"),
    ("same length twice", b"Content-Length: 0\r\nContent-Length: 0\r\n",
	hidden, b"more than one Content-Length"),
    ("signed length", b"Content-Length: +0\r\n", hidden,
	b"malformed Content-Length"),
    ("length list", b"Content-Length: 0, %d\r\n" % len(hidden), hidden,
	b"Bad Request|malformed Content-Length"),
    ("hex length", b"Content-Length: 0x0\r\n", hidden,
	b"Bad Request|malformed Content-Length"),
    ("gzip, chunked", b"Transfer-Encoding: gzip, chunked\r\n", chunked,
	b"only chunked"),
    ("chunked, gzip", b"Transfer-Encoding: chunked, gzip\r\n", chunked,
	b"Bad Request|only chunked"),
    ("xchunked", b"Transfer-Encoding: xchunked\r\n", chunked,
	b"only chunked"),
    ("identity", b"Transfer-Encoding: identity\r\n", hidden,
	b"Bad Request|only chunked"),
    ("two codings", b"Transfer-Encoding: chunked\r\n"
	b"Transfer-Encoding: chunked\r\n", chunked,
	b"Bad Request|more than one Transfer-Encoding"),
    ("space before colon", b"Transfer-Encoding : chunked\r\n", chunked,
	b"malformed header field name"),
    ("tab before colon", b"Transfer-Encoding\t: chunked\r\n", chunked,
	b"Bad Request|malformed header field name"),
    ("folded line", b"Transfer-Encoding: x\r\n chunked\r\n", chunked,
	b"Bad Request|only chunked"),
    ("folded length", b"Content-Length: 0\r\n %d\r\n" % len(hidden),
	hidden, b"Bad Request|malformed Content-Length")):
	h.expect(name, ex(run + hdrs + b"\r\n" + body), 400, reason,
	    close=True)
# An answer to HEAD has no body: its status line is all the reason.
for m, reason in ((b"HEAD", b"Bad Request"),
    (b"TRACE", b"this method takes no body")):
	h.expect("%s with a body" % m, ex(b"%s /x/monitor HTTP/1.1\r\n"
	    b"Host: a\r\nContent-Length: %d\r\n\r\n" % (m, len(hidden)) +
	    hidden), 400, reason, close=True, methods=(m,))
	h.expect("%s with a chunked body" % m, ex(b"%s /x/monitor HTTP/1.1\r\n"
	    b"Host: a\r\nTransfer-Encoding: chunked\r\n\r\n" % m + chunked),
	    400, reason, close=True, methods=(m,))

# Allowed spellings still work: any case, white space around the value.
for name, hdrs in (("Chunked", b"Transfer-Encoding: Chunked\r\n"),
    ("tab before chunked", b"Transfer-Encoding:\tchunked \r\n")):
	body = b"%x\r\n" % len(obj) + obj + b"\r\n0\r\n\r\n"
	h.expect(name, ex(run + hdrs + b"Connection: close\r\n\r\n" + body,
	    wait=20), 200, b"Cycles: ", close=True)
h.expect("length with spaces", ex(run + b"Content-Length:  %d \r\n"
    b"Connection: close\r\n\r\n" % len(obj) + obj, wait=20), 200,
    b"Cycles: ", close=True)

# A pipeline that stops mid-request: the complete ones are answered.
raw = ex(h.request(b"GET", b"/x/monitor") + h.request(b"GET", b"/x/monitor")
    + b"GET /x/mon", wait=2)
h.expect("pipeline cut short", raw, 200, close=False, count=2)

# Pipelining: every kind of answer, in order, on one connection; the
# last request closes it.
reqs = [(b"GET", h.request(b"GET", b"/x/monitor")),
    (b"POST", h.request(b"POST", b"/x/run?kernel=sdot&n=64", body=obj)),
    (b"HEAD", h.request(b"HEAD", b"/x/monitor")),
    (b"GET", h.request(b"GET", b"/x/nothing")),
    (b"POST", h.request(b"POST", b"/x/run?kernel=nosuch", body=obj)),
    (b"OPTIONS", h.request(b"OPTIONS", b"/x/run")),
    (b"POST", h.request(b"POST", b"/x/run?kernel=sdot&n=0", body=obj)),
    (b"DELETE", h.request(b"DELETE", b"/x/monitor")),
    (b"POST", b"POST /x/run?kernel=sdot HTTP/1.1\r\nHost: a\r\n"
	b"Transfer-Encoding: chunked\r\n\r\n%x\r\n" % len(obj) + obj +
	b"\r\n0\r\n\r\n"),
    (b"GET", h.request(b"GET", b"/x/monitor", close=True))]
want = [(200, b"OK"), (200, b"Cycles: "), (200, b""),
    (404, b"unknown command"), (404, b"nosuch"), (204, b""),
    (400, b"below the minimum"), (405, b"method not allowed"),
    (200, b"Cycles: "), (200, b"OK")]
raw = ex(b"".join(r for _, r in reqs), wait=30)
a = h.expect("pipelined", raw, 200, close=True, count=len(reqs),
    methods=[m for m, _ in reqs])
for i, (code, text) in enumerate(want):
	if i < len(a) and (a[i].code != code or text not in a[i].body):
		h.fail("pipelined answer %d: %r, want %d %r" % (i, a[i], code,
		    text))

h.done()
PY
wait_monitor 200 || fail "monitor route does not answer afterwards"
[ "$(child_pid webrunnerd-net)" = "$npid" ] || fail "network process restarted"
pass
