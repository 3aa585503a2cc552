"""Raw HTTP/1.1 to the daemon under test, for the t-http-*.sh scripts.

curl tidies up what it sends; these tests need the bytes exactly as
written: broken framing, pipelined requests, half-sent bodies, a
thousand sockets at once.  Everything goes to 127.0.0.1, every socket
has a timeout, and every loop is bounded.

	import rawhttp as h
	h.expect("name", h.exchange(port, b"GET ..."), 400, b"reason")
	h.done()		exits 1 if an expectation failed
"""
import re
import resource
import socket
import sys
import time

HOST = "127.0.0.1"
failures = 0


def note(msg):
	print(msg, flush=True)


def fail(msg):
	global failures
	failures += 1
	note("FAIL: " + msg)


def done():
	sys.exit(1 if failures else 0)


def connect(port, timeout=10.0, source=None):
	"""source: another loopback address to come from, a client of its
	own to the daemon's per-address cap."""
	s = socket.create_connection((HOST, port), timeout=timeout,
	    source_address=(source, 0) if source else None)
	s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
	return s


def readall(s, deadline):
	"""Read until the server closes, or until the deadline.  Returns the
	bytes and whether the server closed (False: still open, or reset)."""
	out = b""
	while True:
		left = deadline - time.monotonic()
		if left <= 0:
			return out, False
		s.settimeout(left)
		try:
			b = s.recv(65536)
		except socket.timeout:
			return out, False
		except ConnectionResetError:
			return out, True
		if not b:
			return out, True
		out += b


def exchange(port, data, wait=3.0, shut=False, source=None):
	"""Send data on a fresh connection and collect what comes back within
	wait seconds.  Returns (bytes, closed)."""
	s = connect(port, source=source)
	try:
		try:
			s.sendall(data)
		except (BrokenPipeError, ConnectionResetError):
			pass
		if shut:
			s.shutdown(socket.SHUT_WR)
		return readall(s, time.monotonic() + wait)
	finally:
		s.close()


def request(method, path, headers=(), body=None, close=False):
	"""One request as bytes; Content-Length added when there is a body."""
	lines = [b"%s %s HTTP/1.1" % (method, path), b"Host: 127.0.0.1"]
	lines += list(headers)
	if body is not None:
		lines.append(b"Content-Length: %d" % len(body))
	if close:
		lines.append(b"Connection: close")
	return b"\r\n".join(lines) + b"\r\n\r\n" + (body or b"")


class Response:
	def __init__(self, code, reason, headers, body):
		self.code = code
		self.reason = reason
		self.headers = headers
		self.body = body

	def __repr__(self):
		return "%d %s %r" % (self.code, self.reason, self.body[:120])


def parse(raw, methods=()):
	"""Split raw bytes into answers, framed by Content-Length (no body
	for an answer to HEAD, given in order in methods, nor for 1xx, 204
	and 304).  Stops at the first thing that is not an answer; returns
	(answers, leftover bytes)."""
	out = []
	methods = list(methods)
	while raw:
		end = raw.find(b"\r\n\r\n")
		if end == -1:
			break
		head = raw[:end].split(b"\r\n")
		m = re.match(rb"HTTP/1\.[01] (\d{3}) ?(.*)$", head[0])
		if m is None:
			break
		hdrs = {}
		for line in head[1:]:
			k, _, v = line.partition(b":")
			hdrs[k.strip().lower().decode("latin-1")] = v.strip()
		code = int(m.group(1))
		method = methods.pop(0) if methods else b"GET"
		n = 0
		if method != b"HEAD" and code >= 200 and code not in (204, 304):
			n = int(hdrs.get("content-length", b"0"))
		if len(raw) < end + 4 + n:
			break
		out.append(Response(code, m.group(2).decode("latin-1"), hdrs,
		    raw[end + 4:end + 4 + n]))
		raw = raw[end + 4 + n:]
	return out, raw


def expect(name, got, codes, reason=None, close=None, count=1,
    methods=()):
	"""Check what a client saw.  got is (bytes, closed) from exchange();
	codes one code or a tuple of acceptable ones for the first answer;
	reason a regular expression the first answer's body must match (for
	libevent's own error pages the status line's reason phrase is all
	the reason there is, so they are matched against it too); close
	whether the server must have closed the connection; count how many
	answers there must be."""
	raw, closed = got
	if isinstance(codes, int):
		codes = (codes,)
	answers, rest = parse(raw, methods)
	if len(answers) != count:
		fail("%s: %d answers, want %d: %r" % (name, len(answers), count,
		    raw[:300]))
		return answers
	if count == 0:
		if close is not None and closed != close:
			fail("%s: connection %s" % (name,
			    "left open" if close else "closed"))
		return answers
	a = answers[0]
	if a.code not in codes:
		fail("%s: answer %r, want %s" % (name, a, codes))
		return answers
	if reason is not None:
		text = a.body + b"\n" + a.reason.encode()
		if re.search(reason, text) is None:
			fail("%s: answer %r lacks %r" % (name, a, reason))
	if a.code >= 400 and not a.body.strip() and not a.reason:
		fail("%s: %d without a reason" % (name, a.code))
	if close is not None and closed != close:
		fail("%s: connection %s after %r" % (name,
		    "left open" if close else "closed", a))
	if rest:
		fail("%s: bytes after the answers: %r" % (name, rest[:100]))
	return answers


def raise_nofile(want):
	"""Allow want descriptors; False when the hard limit is lower."""
	soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
	if soft >= want:
		return True
	if hard != resource.RLIM_INFINITY and hard < want:
		return False
	resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
	return True


def many(port, n, data, deadline):
	"""n connections at once, each sending data and reading until the
	server closes.  Returns a list of (bytes, closed, seconds) in
	connection order; a connection that never got through has b"" and
	closed False."""
	import errno
	import selectors
	sel = selectors.DefaultSelector()
	t0 = time.monotonic()
	res = [[b"", False, 0.0] for i in range(n)]
	socks = []
	for i in range(n):
		s = socket.socket()
		s.setblocking(False)
		err = s.connect_ex((HOST, port))
		if err not in (0, errno.EINPROGRESS):
			res[i][1] = True
			s.close()
			socks.append(None)
			continue
		socks.append(s)
		sel.register(s, selectors.EVENT_WRITE, i)
	open_ = sum(1 for s in socks if s is not None)
	while open_ and time.monotonic() < deadline:
		for key, ev in sel.select(timeout=0.5):
			s, i = key.fileobj, key.data
			if ev & selectors.EVENT_WRITE:
				if s.getsockopt(socket.SOL_SOCKET,
				    socket.SO_ERROR) != 0:
					closed = True
				else:
					try:
						s.sendall(data)
						sel.modify(s, selectors.EVENT_READ, i)
						continue
					except OSError:
						closed = True
			else:
				try:
					b = s.recv(65536)
				except OSError:
					b = b""
				if b:
					res[i][0] += b
					continue
			res[i][1] = True
			res[i][2] = time.monotonic() - t0
			sel.unregister(s)
			s.close()
			open_ -= 1
	for s in socks:
		if s is not None and s.fileno() != -1:
			sel.unregister(s)
			s.close()
	return [tuple(r) for r in res]
