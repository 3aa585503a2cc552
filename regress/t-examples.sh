# The EXAMPLES of webrunnerd(8), webrunnerd-api(7) and webrunnerd-kernel(5)
# work as written.  Every command shown with a prompt is run, in page
# order, from a scratch copy of what the pages assume (the top of a built
# source tree), against a daemon started by the page's own command with
# the sample configuration:
#
#   - the only changes are the port, 8081 -> a free one, in the sample
#     configuration and in the commands, and the installed kernel
#     directory of webrunnerd-api(7) -> the tree's kernels/;
#   - "pkill -HUP -x webrunnerd" would reach other daemons on this host,
#     so our daemon alone gets the SIGHUP;
#   - commands that install or administer the system (make install,
#     useradd, systemctl, ...) are not run here; t-install covers them;
#   - a literal block right after ".Pa FILE :" is written to FILE, as a
#     reader would save it.
#
# Each command must succeed and print what the page shows: the same
# header lines, JSON with the same keys and parameters, counter lines with
# the same first counter (the counts themselves vary), other lines word
# for word ("..." ends a prefix).  A command the test does not know fails
# it, so a new example cannot go unchecked.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
[ -x "$TOP/webrunnerd" ] || fail "build the tree first"

W=$OBJ/work
PORT=$(free_port)
mkdir -p "$W/monitor" || fail "mkdir"
ln -s "$TOP/webrunnerd" "$W/webrunnerd"
cp -R "$TOP/kernels" "$W/kernels" || fail "copying kernels"
sed "s/ port 8081\$/ port $PORT/" "$TOP/monitor/webrunnerd.conf" \
    > "$W/monitor/webrunnerd.conf"
grep -q "port $PORT\$" "$W/monitor/webrunnerd.conf" ||
    fail "the sample configuration has no 'port 8081' to change"

# python3-peachpy installs into Debian's own python3.
PATH=/usr/bin:$PATH
export PATH

TOP=$TOP W=$W PORT=$PORT LOG=$LOG python3 - \
    "$TOP/man/webrunnerd.8" "$TOP/man/webrunnerd-api.7" \
    "$TOP/man/webrunnerd-kernel.5" > "$OBJ/out" 2>&1 <<'EOF'
import json, os, re, shlex, signal, subprocess, sys, time

W, PORT, LOG = os.environ["W"], os.environ["PORT"], os.environ["LOG"]
NOT_RUN = ("make install", "useradd ", "mkdir -p /var/empty", "cp ", "vi ",
    "webrunnerd -n", "systemctl ")
RUN = ("curl ", "cc ", "python3 ", "./webrunnerd -n ")
daemon = None
logf = open(LOG, "a")


class Fail(Exception):
	pass


def unescape(line):
	return line.replace("\\e", "\\").replace("\\&", "").replace("\\(em", "-")


def examples(page):
	"""(kind, text, output lines) in page order, from EXAMPLES."""
	lines = open(page).read().split("\n")
	try:
		start = lines.index(".Sh EXAMPLES")
	except ValueError:
		raise Fail(f"{page}: no EXAMPLES")
	out, i, prev = [], start + 1, ""
	while i < len(lines) and not lines[i].startswith(".Sh "):
		if lines[i].startswith(".Bd -literal"):
			block = []
			i += 1
			while lines[i] != ".Ed":
				block.append(unescape(lines[i]))
				i += 1
			m = re.match(r"^\.Pa (\S+) :$", prev)
			if m:
				out.append(("file", m.group(1), block))
			else:
				out.extend(commands(block))
		elif lines[i].startswith("."):
			prev = lines[i]
		i += 1
	return out


def commands(block):
	out, cur = [], None
	j = 0
	while j < len(block):
		line = block[j]
		if line[:2] in ("$ ", "# "):
			cmd = line[2:]
			while cmd.endswith("\\"):
				j += 1
				cmd = cmd[:-1] + " " + block[j].strip()
			cur = ("cmd", " ".join(cmd.split()), [])
			out.append(cur)
		elif cur is not None and line.strip():
			cur[2].append(line.rstrip())
		j += 1
	return out


def adjust(cmd):
	cmd = cmd.replace("127.0.0.1:8081", "127.0.0.1:" + PORT)
	cmd = cmd.replace("localhost:8081", "localhost:" + PORT)
	return cmd.replace("/usr/local/share/webrunnerd/kernels/", "kernels/")


def monitor_code():
	return subprocess.run(["curl", "-s", "-o", "/dev/null", "-w",
	    "%{http_code}", "-I", f"http://127.0.0.1:{PORT}/x/monitor"],
	    capture_output=True, text=True).stdout


def start(cmd):
	global daemon
	daemon = subprocess.Popen(shlex.split(cmd), cwd=W, stdout=logf,
	    stderr=subprocess.STDOUT)
	for _ in range(100):
		if monitor_code() == "200":
			return
		if daemon.poll() is not None:
			raise Fail(f"{cmd}: exited with {daemon.returncode}")
		time.sleep(0.1)
	raise Fail(f"{cmd}: not ready")


def reload():
	if daemon is None:
		raise Fail("SIGHUP before the daemon was started")
	n = open(LOG).read().count("reloaded")
	daemon.send_signal(signal.SIGHUP)
	for _ in range(100):
		if open(LOG).read().count("reloaded") > n:
			return
		time.sleep(0.1)
	raise Fail("no 'reloaded' in the log after SIGHUP")


# Without a hardware PMU (many virtual machines) an example that counts
# only hardware events gets Counter error (503): it is checked where there
# is one, as on the CI machine.
HAVE_PMU = any(os.path.exists("/sys/bus/event_source/devices/" + d)
    for d in ("cpu", "cpu_core", "cpu_atom"))


def no_pmu(got):
	if HAVE_PMU:
		return False
	if got.startswith("Counter error"):
		return True
	try:
		return json.loads(got).get("status") == "Counter error"
	except (ValueError, AttributeError):
		return False


COUNTER = re.compile(r"^([A-Z][^:]*): (-?[0-9.]+|unavailable \(.*\))$")


def check_json(cmd, doc, got):
	try:
		g = json.loads(got)
	except ValueError:
		raise Fail(f"{cmd}: not JSON: {got}")
	try:
		d = json.loads("\n".join(doc))
	except ValueError:
		d = None
	if d is None:
		# Elided with "...": the keys at the top level must be there.
		keys = re.findall(r'^  "([^"]+)":', "\n".join(doc), re.M)
		for k in keys:
			if k not in g:
				raise Fail(f"{cmd}: no '{k}' in {got}")
		return
	if set(d) != set(g):
		raise Fail(f"{cmd}: keys {sorted(g)}, the page shows {sorted(d)}")
	for k in ("status", "kernel", "repeat", "parameters"):
		if k in d and d[k] != g[k]:
			raise Fail(f"{cmd}: {k} is {g[k]}, the page shows {d[k]}")
	if "events" in d and set(d["events"]) != set(g["events"]):
		raise Fail(f"{cmd}: events {sorted(g['events'])}, the page "
		    f"shows {sorted(d['events'])}")


def check(cmd, doc, got):
	lines = [l.rstrip("\r") for l in got.split("\n") if l.strip()]
	if doc and doc[0].startswith("{"):
		check_json(cmd, doc, got)
		return
	doc = [l.strip() for l in doc if l.strip() != "..."]
	if not doc:
		return
	if doc[0].startswith("HTTP/"):
		for l in doc:
			if l.endswith("..."):
				ok = any(x.startswith(l[:-3]) for x in lines)
			else:
				ok = l in lines
			if not ok:
				raise Fail(f"{cmd}: no line '{l}' in:\n{got}")
		return
	if COUNTER.match(doc[0]):
		if not lines or not COUNTER.match(lines[0]) or \
		    lines[0].split(":")[0] != doc[0].split(":")[0]:
			raise Fail(f"{cmd}: the page starts with '{doc[0]}', "
			    f"the answer is:\n{got}")
		for l in lines:
			if not COUNTER.match(l):
				raise Fail(f"{cmd}: not a counter line: '{l}'")
		return
	for l in doc:
		if l.endswith("..."):
			ok = any(x.startswith(l[:-3]) for x in lines)
		else:
			ok = l in lines
		if not ok:
			raise Fail(f"{cmd}: no line '{l}' in:\n{got}")


def run(page):
	for kind, text, doc in examples(page):
		if kind == "file":
			with open(os.path.join(W, text), "w") as f:
				f.write("\n".join(doc) + "\n")
			continue
		cmd = text
		if cmd == "pkill -HUP -x webrunnerd":
			reload()
			print(f"ok, our daemon only: {cmd}")
		elif cmd.startswith("./webrunnerd -d "):
			start(cmd)
		elif cmd.startswith(NOT_RUN):
			print(f"not run: {cmd}")
		elif cmd.startswith(RUN):
			r = subprocess.run(["sh", "-c", adjust(cmd)], cwd=W,
			    capture_output=True, text=True, timeout=60)
			if r.returncode != 0:
				raise Fail(f"{cmd}: exit {r.returncode}: "
				    f"{r.stderr}{r.stdout}")
			if no_pmu(r.stdout):
				print(f"not checked, no hardware PMU: {cmd}")
				continue
			check(cmd, doc, r.stdout + r.stderr
			    if cmd.startswith("./webrunnerd") else r.stdout)
			print(f"ok: {cmd}")
		else:
			raise Fail(f"{page}: an example command this test does "
			    f"not know: {cmd}")


rc = 0
try:
	for page in sys.argv[1:]:
		run(page)
	if daemon is None:
		raise Fail("no example starts the daemon")
except Fail as e:
	print(f"{e}")
	rc = 1
finally:
	if daemon is not None:
		daemon.terminate()
		try:
			daemon.wait(10)
		except subprocess.TimeoutExpired:
			daemon.kill()
			daemon.wait()
sys.exit(rc)
EOF
[ $? = 0 ] || fail "$(cat "$OBJ/out")"
# VERBOSE=1 lists what was run, checked or left out.
[ -z "$VERBOSE" ] || cat "$OBJ/out"
pass
