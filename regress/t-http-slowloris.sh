# Slowloris: 100 connections from 127.0.0.1 trickle header bytes, one
# every half second, never finishing.  Ordinary requests from another
# address, 127.0.0.2 (the monitor route and a run), are still answered,
# each within the client's timeout; their latency with and without the
# trickling is printed, never asserted.  Past the per-address cap (64)
# the trickling connections are closed at once, and the rest at the
# head deadline (header-timeout, 10 s by default).
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 2" "timeout 5s"
npid=$(child_pid webrunnerd-net) || fail "no network process"
python3 -B - "$PORT" "$TOP/regress" "$TOP/kernels/playground.o" <<'PY' || fail "see above"
import sys, threading, time
sys.path.insert(0, sys.argv[2])
import rawhttp as h
port = int(sys.argv[1])
obj = open(sys.argv[3], "rb").read()
NSLOW = 100

def ordinary(label):
	"""Sequential requests, each on a new connection; prints the median
	and the worst latency of each kind."""
	for kind, req, want in (("monitor", h.request(b"GET", b"/x/monitor",
	    close=True), b"OK"), ("run", h.request(b"POST",
	    b"/x/run?kernel=playground", body=obj, close=True), b"Cycles: ")):
		times = []
		for i in range(20):
			t = time.monotonic()
			a = h.expect("%s %s %d" % (label, kind, i),
			    h.exchange(port, req, wait=10,
			    source="127.0.0.2"), 200, want,
			    close=True)
			times.append(time.monotonic() - t)
			if not a:
				break
		times.sort()
		h.note("%-16s %-7s median %6.1f ms, worst %6.1f ms (%d requests)"
		    % (label, kind, 1000 * times[len(times) // 2],
		    1000 * times[-1], len(times)))

ordinary("without slowloris")

stop = threading.Event()
alive = [0]

def loris():
	socks = []
	for i in range(NSLOW):
		s = h.connect(port)
		s.sendall(b"GET /x/monitor HTTP/1.1\r\nHost: a\r\n")
		socks.append(s)
	trickle = b"X-Slow: " + b"a" * 4000
	j = 0
	while not stop.wait(0.5) and j < len(trickle):
		for s in socks:
			try:
				s.send(trickle[j:j + 1])
			except OSError:
				pass
		j += 1
	n = 0
	for s in socks:
		try:
			s.send(trickle[j:j + 1])
			s.setblocking(False)
			try:
				n += s.recv(1) != b""
			except BlockingIOError:
				n += 1
		except OSError:
			pass
		s.close()
	alive[0] = n

t = threading.Thread(target=loris)
t.start()
time.sleep(2)
ordinary("with slowloris")
stop.set()
t.join()
h.note("%d of %d slowloris connections were still open at the end" %
    (alive[0], NSLOW))
h.done()
PY
wait_monitor 200 || fail "monitor route does not answer afterwards"
[ "$(child_pid webrunnerd-net)" = "$npid" ] || fail "network process restarted"
pass
