# Back-to-back runs on two keep-alive connections, with more runners than
# CPUs: every one is a 200.  A runner's exit could be handled before its
# result was read, which lost the result now and then under load.
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 8" "time-limit 5s"
python3 - "$PORT" "$TOP/kernels/playground.o" > "$OBJ/burst" <<'PY' ||
import collections, http.client, sys, threading
port, obj = int(sys.argv[1]), open(sys.argv[2], "rb").read()
seen = collections.Counter()
def client():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(150):
        c.request("POST", "/local/run?kernel=playground&iterations=1", obj,
                  {"Content-Type": "application/octet-stream"})
        r = c.getresponse()
        b = r.read()
        seen[r.status if r.status == 200 else (r.status, b[:80])] += 1
t = [threading.Thread(target=client) for _ in range(2)]
[x.start() for x in t]
[x.join() for x in t]
print(dict(seen))
sys.exit(0 if seen[200] == 300 else 1)
PY
    fail "burst: $(cat "$OBJ/burst")"
pass
