# Load on program mode as a judge makes it: LOAD_N jobs (default 200,
# about half a minute on 2 cores) from 4 clients at once, each job a C
# program of its own compiled by gcc with the binary cached
# (copyOutCached), run by its fileId on an input of its own, and the
# fileId deleted.  Every compile and every run is Accepted, every output
# exactly the job's; afterwards nothing is left: no program runner
# beyond the idle pool (twice `program runners'), no process of a
# program runner's uid beyond it, no cgroup but the idle runners', no
# mount, and the file store is empty.  The time taken is printed, never
# asserted.
. "$(dirname "$0")/test-exec.sh"
[ -x /usr/bin/gcc ] || skip "no /usr/bin/gcc"
N=${LOAD_N:-200}
POOL=8
PROGRAM=yes
mounts0=$(wc -l < /proc/self/mountinfo)
start_daemon "program runners 4" "program runner-uid 64400"

# Program runners of our monitor, and the runner cgroups of program
# slots (runner-PID-pSLOT-N), each of which must hold a runner.
prog_runners() {
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = wr-prog ] || continue
		[ "$(awk '/^PPid:/ { print $2 }' "$p/status" 2>/dev/null)" = \
		    "$DPID" ] && echo "${p#/proc/}"
	done | wc -l
}
prog_cgroups() {
	find /sys/fs/cgroup -maxdepth 6 -type d -path "*webrunnerd/runner-$DPID-p*" \
	    2>/dev/null
}
# Program cgroups that hold no process.
empty_cgroups() {
	for d in $(prog_cgroups); do
		# A cgroup file's size is 0 whatever it holds.
		[ -n "$(cat "$d/cgroup.procs")" ] || echo "$d"
	done
}
# Settled: the pool is whole, each runner in its cgroup, and nothing
# more.  A runner that is starting may have a cgroup not yet joined.
settle() {
	i=0
	while [ $i -lt 100 ]; do
		[ "$(prog_runners)" = $POOL ] &&
		    [ "$(prog_cgroups | xargs -r -n1 basename | sort -u | wc -l)" = \
		    $POOL ] && [ -z "$(empty_cgroups)" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
settle || fail "the pool of $POOL program runners did not start:" \
    "$(prog_runners) runners, $(prog_cgroups | wc -l) cgroups"
procs0=$(descendants | wc -l)

python3 -B - "$PORT" "$N" > "$OBJ/out" 2>&1 <<'PY' || fail "$(cat "$OBJ/out")"
import http.client, json, random, sys, threading, time
port, n = int(sys.argv[1]), int(sys.argv[2])
ENV = ["PATH=/usr/bin:/bin", ""]
SEC = 1000 * 1000 * 1000
SRC = """#include <stdio.h>
int main(void) {
	long a;
	if (scanf("%%ld", &a) != 1)
		return 1;
	printf("%%ld %d\\n", a * a);
	return 0;
}
"""

def call(method, path, body=None):
	c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
	h = {"Content-Type": "application/json"} if body is not None else {}
	c.request(method, path, body, h)
	r = c.getresponse()
	out = r.read()
	c.close()
	return r.status, out

def run(cmd):
	code, out = call("POST", "/run", json.dumps({"cmd": [cmd]}).encode())
	if code != 200:
		raise RuntimeError("HTTP %d: %r" % (code, out[:300]))
	return json.loads(out)[0]

def collectors(stdin):
	return [{"content": stdin}, {"name": "stdout", "max": 10240},
	    {"name": "stderr", "max": 10240}]

def job(i, a):
	r = run({"args": ["/usr/bin/gcc", "-O2", "-o", "a", "a.c"],
	    "env": ENV, "files": collectors(""),
	    "copyIn": {"a.c": {"content": SRC % i}}, "copyOutCached": ["a"],
	    "cpuLimit": 10 * SEC, "clockLimit": 60 * SEC,
	    "memoryLimit": 256 << 20, "procLimit": 32})
	fid = r.get("fileIds", {}).get("a")
	if r.get("status") != "Accepted" or not fid:
		return "compile: %s" % json.dumps(r)[:400]
	try:
		r = run({"args": ["a"], "env": ENV,
		    "files": collectors("%d\n" % a),
		    "copyIn": {"a": {"fileId": fid}}, "cpuLimit": SEC,
		    "clockLimit": 20 * SEC, "memoryLimit": 64 << 20,
		    "procLimit": 1})
		want = "%d %d\n" % (a * a, i)
		if r.get("status") != "Accepted" or \
		    r.get("files", {}).get("stdout") != want:
			return "run: %s, not %r" % (json.dumps(r)[:400], want)
	finally:
		code, out = call("DELETE", "/file/" + fid)
		if code != 200:
			return "DELETE: HTTP %d %r" % (code, out[:200])
	return None

rng = random.Random(7)
inputs = [rng.randrange(-3000000000, 3000000000) for i in range(n)]
lock = threading.Lock()
nextjob = [0]
bad = []
right = [0]

def client():
	while True:
		with lock:
			i = nextjob[0]
			if i >= n:
				return
			nextjob[0] += 1
		try:
			why = job(i, inputs[i])
		except Exception as e:
			why = "%s: %s" % (type(e).__name__, e)
		with lock:
			if why:
				bad.append("job %d: %s" % (i, why))
			else:
				right[0] += 1

t0 = time.monotonic()
ts = [threading.Thread(target=client) for i in range(4)]
for t in ts:
	t.start()
for t in ts:
	t.join()
el = time.monotonic() - t0
print("# %d compile-and-run jobs from 4 clients in %.1f s (%.2f jobs/s), "
    "%d right" % (n, el, n / el, right[0]))
for b in bad[:10]:
	print(b)
code, out = call("GET", "/file")
if code != 200 or json.loads(out) != {}:
	print("GET /file after the load: HTTP %d %r" % (code, out[:300]))
	sys.exit(1)
sys.exit(1 if bad or right[0] != n else 0)
PY
head -1 "$OBJ/out"

# The pool refills as the runners of the last jobs go.
settle || fail "after the load: $(prog_runners) program runners and" \
    "$(prog_cgroups | xargs -r -n1 basename | sort -u | wc -l) program" \
    "cgroups for a pool of $POOL; cgroups of no process:" \
    "$(empty_cgroups | xargs -r -n1 basename | sort -u | tr '\n' ' ')"
n=$(descendants | wc -l)
[ "$n" -le "$procs0" ] ||
    fail "$n processes below the monitor, $procs0 before the load"
# A process of a program runner's uid that is not one of the idle
# runners has escaped its run.  (Those whose parent is a monitor are
# another daemon's runners: other tests may run at the same time.)
left=$(ps -eo uid=,pid=,ppid=,comm= | awk '$1 >= 64400 && $1 < 64912' |
    while read -r uid pid ppid comm; do
	[ "$ppid" = "$DPID" ] && [ "$comm" = wr-prog ] && continue
	case "$(readlink "/proc/$ppid/exe" 2>/dev/null)" in
	*/webrunnerd) continue ;;
	esac
	echo "$pid ($comm, uid $uid, parent $ppid)"
    done)
[ -z "$left" ] || fail "processes of program runner uids left: $left"
[ "$(wc -l < /proc/self/mountinfo)" = "$mounts0" ] ||
    fail "$mounts0 mounts before, $(wc -l < /proc/self/mountinfo) after:" \
    "$(tail -1 /proc/self/mountinfo)"
code=$(curl -s -o "$OBJ/files" -w '%{http_code}' "$(url /file)")
[ "$code" = 200 ] && [ "$(cat "$OBJ/files")" = "{}" ] ||
    fail "GET /file: $code $(cat "$OBJ/files")"
pass
