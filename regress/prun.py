# POST /run over HTTP, go-judge's way: the checks behind t-prun*.sh.
#
#	python3 prun.py PORT CASE...
#
# Each case posts real requests to the daemon on 127.0.0.1:PORT and
# asserts what a judge would see: the status string, the exit status,
# the collected output, the figures.  Prints one line per failure and
# exits 1 if there was any.
import http.client
import json
import sys
import threading

PORT = int(sys.argv[1])
ENV = ["PATH=/usr/local/bin:/usr/bin:/bin", ""]
MB = 1024 * 1024
SEC = 1000 * 1000 * 1000
failures = []


def post(body, path="/run", raw=False, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    data = body if raw else json.dumps(body).encode()
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    c.request("POST", path, data, h)
    r = c.getresponse()
    out = r.read()
    c.close()
    return r.status, r.getheader("Content-Type", ""), out


def cmd(args, stdin="", **kw):
    c = {"args": args, "env": ENV,
         "files": [{"content": stdin}, {"name": "stdout", "max": 10240},
                   {"name": "stderr", "max": 10240}],
         "cpuLimit": 5 * SEC, "memoryLimit": 256 * MB, "procLimit": 16}
    c.update(kw)
    return c


def run1(c, what):
    code, ctype, body = post({"cmd": [c]})
    if code != 200:
        fail(what, "HTTP %d: %s" % (code, body[:300]))
        return None
    if not ctype.startswith("application/json"):
        fail(what, "Content-Type %r" % ctype)
    r = json.loads(body)
    if not isinstance(r, list) or len(r) != 1:
        fail(what, "not an array of one result: %s" % body[:300])
        return None
    return r[0]


def fail(what, why):
    failures.append("%s: %s" % (what, why))


def expect(what, r, status, **fields):
    if r is None:
        return
    if r.get("status") != status:
        fail(what, "status %r, not %r (%s)" % (r.get("status"), status,
             json.dumps(r)[:400]))
        return
    for k, v in fields.items():
        got = r.get("files", {}).get(k[6:]) if k.startswith("files_") \
            else r.get(k)
        if callable(v):
            if not v(got):
                fail(what, "%s = %r is not right" % (k, got))
        elif got != v:
            fail(what, "%s = %r, not %r" % (k, got, v))


def case_basic():
    r = run1(cmd(["/bin/cat"], "hello\n"), "cat")
    expect("cat", r, "Accepted", exitStatus=0, files_stdout="hello\n",
           files_stderr="",
           time=lambda t: isinstance(t, int) and t >= 0,
           memory=lambda m: isinstance(m, int) and m > 0,
           runTime=lambda t: isinstance(t, int) and t > 0)
    r = run1(cmd(["cat"], "bare name\n"), "cat by PATH")
    expect("cat by PATH", r, "Accepted", files_stdout="bare name\n")
    r = run1(cmd(["/bin/sh", "-c", "exit 3"]), "exit 3")
    expect("exit 3", r, "Nonzero Exit Status", exitStatus=3)
    r = run1(cmd(["/bin/sh", "-c", "kill -SEGV $$"]), "kill -SEGV")
    expect("kill -SEGV", r, "Signalled", exitStatus=11)
    r = run1(cmd(["/nonexistent/program"]), "no such program")
    expect("no such program", r, "Internal Error",
           error=lambda e: isinstance(e, str) and "/nonexistent/program"
           in e)
    r = run1(cmd(["python3", "-c",
                  "print(sum(map(int, input().split())))"], "3 4\n"),
             "python3")
    expect("python3", r, "Accepted", files_stdout="7\n")
    # Hydro's env list ends with an empty string; a missing clockLimit.
    c = cmd(["/bin/sh", "-c", "echo $X"])
    c["env"] = ["X=hydro", ""]
    expect("empty env entry", run1(c, "empty env entry"), "Accepted",
           files_stdout="hydro\n")


def case_limits():
    r = run1(cmd(["/bin/sh", "-c", "while :; do :; done"],
                 cpuLimit=SEC // 2, clockLimit=10 * SEC), "cpu loop")
    expect("cpu loop", r, "Time Limit Exceeded",
           time=lambda t: t >= SEC // 2,
           runTime=lambda t: t < 8 * SEC)
    r = run1(cmd(["/bin/sleep", "10"], cpuLimit=SEC,
                 clockLimit=SEC // 2), "sleep")
    expect("sleep", r, "Time Limit Exceeded",
           runTime=lambda t: SEC // 2 <= t < 5 * SEC)
    r = run1(cmd(["python3", "-c", "s = 'x' * (400 << 20)"],
                 memoryLimit=64 * MB), "memory hog")
    expect("memory hog", r, "Memory Limit Exceeded",
           memory=lambda m: m >= 60 * MB)
    c = cmd(["/usr/bin/yes"])
    c["files"][1]["max"] = 1000
    r = run1(c, "yes")
    expect("yes", r, "Output Limit Exceeded",
           files_stdout=lambda s: s is not None and len(s) == 1000)
    # procLimit 1 runs a program and forbids its forks.
    r = run1(cmd(["/bin/sh", "-c", "/bin/true && echo forked"],
                 procLimit=1), "procLimit 1")
    if r is not None and "forked" in r.get("files", {}).get("stdout", ""):
        fail("procLimit 1", "a second process ran: %s" % json.dumps(r))
    r = run1(cmd(["/bin/echo", "one process"], procLimit=1),
             "procLimit 1 alone")
    expect("procLimit 1 alone", r, "Accepted",
           files_stdout="one process\n")
    # A fork bomb stays within its limit and ends with its clock.
    r = run1(cmd(["/bin/sh", "-c", "f() { f | f & }; f; sleep 5"],
                 procLimit=8, clockLimit=2 * SEC), "fork bomb")
    if r is not None and r.get("status") not in (
            "Time Limit Exceeded", "Nonzero Exit Status", "Accepted",
            "Signalled"):
        fail("fork bomb", json.dumps(r)[:300])
    if r is not None and r.get("procPeak", 0) > 8:
        fail("fork bomb", "procPeak %d over procLimit 8" % r["procPeak"])


def case_cpurate():
    # A quarter of a CPU: a loop that runs for a second of the clock
    # gets a quarter of a second of CPU time, give or take a period.
    r = run1(cmd(["/bin/sh", "-c", "while :; do :; done"],
                 cpuLimit=5 * SEC, clockLimit=SEC, cpuRateLimit=250),
             "cpuRateLimit 250")
    expect("cpuRateLimit 250", r, "Time Limit Exceeded",
           runTime=lambda t: SEC <= t < 3 * SEC,
           time=lambda t: 0 < t <= 0.45 * r["runTime"])
    if r is not None:
        print("cpuRateLimit 250: %d ms of CPU in %d ms" %
              (r["time"] // 10**6, r["runTime"] // 10**6))
    # The same loop without a rate has the CPU to itself.
    r = run1(cmd(["/bin/sh", "-c", "while :; do :; done"],
                 cpuLimit=5 * SEC, clockLimit=SEC), "no cpuRateLimit")
    expect("no cpuRateLimit", r, "Time Limit Exceeded",
           time=lambda t: t >= 0.6 * r["runTime"])
    if r is not None:
        print("no cpuRateLimit: %d ms of CPU in %d ms" %
              (r["time"] // 10**6, r["runTime"] // 10**6))


def case_big():
    # An input over the kernel route's max-body, and an answer far over
    # what one message holds: both travel as memfds.
    data = "x" * (6 << 20)
    r = run1(cmd(["/usr/bin/wc", "-c"], data), "6M of input")
    expect("6M of input", r, "Accepted", files_stdout="%d\n" % len(data))
    c = cmd(["python3", "-c", "import sys; sys.stdout.write('ab' * 150000)"])
    c["files"][1]["max"] = 1 << 20
    r = run1(c, "300K of output")
    expect("300K of output", r, "Accepted", files_stdout="ab" * 150000)


def case_sandbox():
    r = run1(cmd(["/bin/sh", "-c",
                  "for d in /usr /etc /root / /bin; do "
                  "(echo x > $d/webrunnerd-probe) 2>/dev/null && "
                  "echo wrote $d; done; "
                  "echo x > /w/ok && echo x > /tmp/ok && echo w-tmp-ok"]),
             "writes")
    expect("writes", r, "Accepted", files_stdout="w-tmp-ok\n")
    r = run1(cmd(["python3", "-c",
                  "import socket\n"
                  "try:\n"
                  "  socket.create_connection(('127.0.0.1', %d), 2)\n"
                  "  print('connected')\n"
                  "except OSError as e:\n"
                  "  print('refused')\n" % PORT]), "connect")
    expect("connect", r, "Accepted", files_stdout="refused\n")
    r = run1(cmd(["/bin/sh", "-c", "ls /proc | grep -c '^[0-9]'"]),
             "proc")
    expect("proc", r, "Accepted",
           files_stdout=lambda s: s is not None and s.strip().isdigit()
           and int(s) <= 4)
    r = run1(cmd(["/bin/sh", "-c", "pwd"]), "cwd")
    expect("cwd", r, "Accepted", files_stdout="/w\n")
    r = run1(cmd(["/usr/bin/unshare", "-U", "/bin/true"]), "unshare")
    expect("unshare", r, "Dangerous Syscall",
           error=lambda e: isinstance(e, str) and "unshare" in e)
    # Each run has mount, IPC and UTS namespaces of its own: a System V
    # segment one run makes is gone for the next, whose namespaces are
    # others.
    ns = "readlink /proc/self/ns/mnt /proc/self/ns/ipc /proc/self/ns/uts"
    r1 = run1(cmd(["/bin/sh", "-c", "ipcmk -M 4096 > /dev/null; "
                   "ipcs -m | grep -c '^0x'; " + ns]), "ipc first")
    expect("ipc first", r1, "Accepted",
           files_stdout=lambda s: s is not None and s.startswith("1\n"))
    r2 = run1(cmd(["/bin/sh", "-c", "ipcs -m | grep -c '^0x'; " + ns]),
              "ipc second")
    expect("ipc second", r2, "Accepted",
           files_stdout=lambda s: s is not None and s.startswith("0\n"))
    if r1 is not None and r2 is not None:
        a = r1.get("files", {}).get("stdout", "").split("\n")[1:4]
        b = r2.get("files", {}).get("stdout", "").split("\n")[1:4]
        if len(a) != 3 or any(x == y for x, y in zip(a, b)):
            fail("namespaces", "two runs share one: %r and %r" % (a, b))


def case_gpp():
    src = ("#include <iostream>\n"
           "int main() { long a, b; std::cin >> a >> b; "
           "std::cout << a + b << std::endl; }\n")
    script = ("cat > a.cc <<'EOF'\n" + src + "EOF\n"
              "g++ -O2 -o a a.cc && ./a")
    c = cmd(["/bin/sh", "-c", script], "40 2\n", cpuLimit=30 * SEC,
            clockLimit=60 * SEC, memoryLimit=512 * MB, procLimit=32)
    r = run1(c, "g++ a+b")
    expect("g++ a+b", r, "Accepted", files_stdout="42\n")


def case_concurrent():
    results = [None] * 8

    def one(i):
        results[i] = run1(cmd(["/bin/cat"], "request %d\n" % i),
                          "concurrent %d" % i)

    ts = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for i in range(8):
        expect("concurrent %d" % i, results[i], "Accepted",
               files_stdout="request %d\n" % i)


def bad(what, body, reason, raw=False):
    code, ctype, out = post(body, raw=raw)
    if code != 400:
        fail(what, "HTTP %d, not 400: %s" % (code, out[:200]))
        return
    try:
        e = json.loads(out)
    except ValueError:
        fail(what, "not JSON: %r" % out[:200])
        return
    if e.get("code") != 400 or reason not in e.get("reason", ""):
        fail(what, "reason %r lacks %r" % (e.get("reason"), reason))


def case_bad():
    bad("not JSON", b"{\"cmd\": [", "JSON", raw=True)
    bad("empty body", b"", "JSON", raw=True)
    bad("no cmd", {"requestId": "x"}, "cmd")
    bad("cmd not array", {"cmd": {}}, "cmd")
    bad("args not strings", {"cmd": [{"args": ["/bin/true", 3]}]},
        "args")
    bad("cpuLimit negative", {"cmd": [dict(cmd(["/bin/true"]),
                                           cpuLimit=-1)]}, "cpuLimit")
    bad("files wrong", {"cmd": [dict(cmd(["/bin/true"]),
                                     files=[{"content": 5}])]}, "files")
    r = run1(cmd(["/bin/echo", "still serving"]), "after bad input")
    expect("after bad input", r, "Accepted",
           files_stdout="still serving\n")


def ferr(r):
    """The fileError entries of a result, as (name, type) pairs."""
    return sorted((e.get("name"), e.get("type"))
                  for e in (r or {}).get("fileError", []))


def case_copyin():
    # Files in /w before the command starts, parents made, executable
    # as go-judge makes them; bytes of any value kept.
    r = run1(cmd(["./run.sh"], copyIn={
        "run.sh": {"content": "#!/bin/sh\ncat a.txt sub/dir/b.txt\n"},
        "a.txt": {"content": "first\n"},
        "sub/dir/b.txt": {"content": "second\n"}}), "copyIn")
    expect("copyIn", r, "Accepted", files_stdout="first\nsecond\n")
    r = run1(cmd(["/bin/sh", "-c", "od -An -tx1 bin | tr -d ' \n'"],
                 copyIn={"bin": {"content": "\u0000\u00ff"}}),
             "copyIn bytes")
    expect("copyIn bytes", r, "Accepted", files_stdout="00c3bf")
    # Symbolic links, made as asked and followed only by the program.
    r = run1(cmd(["/bin/sh", "-c", "cat l; readlink l; cat lib/x"],
                 copyIn={"f": {"content": "via link\n"},
                         "l": {"symlink": "f"},
                         "lib": {"symlink": "d"},
                         "d/x": {"content": "in d\n"}}), "copyIn symlink")
    expect("copyIn symlink", r, "Accepted",
           files_stdout="via link\nf\nin d\n")
    r = run1(cmd(["/bin/sh", "-c", "echo ran"], copyIn={
        "d/f": {"content": "x"}, "d": {"symlink": "/tmp"}}),
        "copyIn symlink taken")
    expect("copyIn symlink taken", r, "File Error",
           files_stdout=lambda o: not o)
    if ferr(r) != [("d", "Symlink")]:
        fail("copyIn symlink taken", json.dumps(r)[:300])
    # A file where a directory must go: File Error, and nothing ran.
    r = run1(cmd(["/bin/sh", "-c", "echo ran"], copyIn={
        "a": {"content": "x"}, "a/b": {"content": "y"}}), "copyIn mkdir")
    expect("copyIn mkdir", r, "File Error", files_stdout=lambda o: not o,
           error=lambda e: isinstance(e, str) and "a" in e)
    if ferr(r) != [("a/b", "CopyInCreateFile")]:
        fail("copyIn mkdir", "fileError %r" % r.get("fileError"))
    # More than /w holds (t-prun-files.sh gives it 1M).
    r = run1(cmd(["/bin/sh", "-c", "echo ran"],
                 copyIn={"big": {"content": "x" * (2 * MB)}}),
             "copyIn too big")
    expect("copyIn too big", r, "File Error", files_stdout=lambda o: not o)
    if ferr(r) != [("big", "CopyInCopyContent")]:
        fail("copyIn too big", "fileError %r" % (r or {}).get("fileError"))


def case_copyout():
    mk = "printf abc > out.txt; mkdir -p d/e; printf deep > d/e/f; " \
         "printf '\\000\\377' > bin"
    r = run1(cmd(["/bin/sh", "-c", mk],
                 copyOut=["out.txt", "d/e/f", "bin", "missing.txt?"]),
             "copyOut")
    expect("copyOut", r, "Accepted")
    files = (r or {}).get("files", {})
    want = {"out.txt": "abc", "d/e/f": "deep", "bin": "\u0000\ufffd",
            "stdout": "", "stderr": ""}
    if r is not None and (files != want or "fileError" in r):
        fail("copyOut", "files %r, fileError %r" % (files,
             r.get("fileError")))
    # webrunnerd-api(7)'s example.
    r = run1(cmd(["/usr/bin/python3", "gen.py"], copyIn={"gen.py": {
        "content": 'open("out.txt", "w").write("42")'}},
        copyOut=["out.txt", "debug.log?"]), "api example")
    expect("api example", r, "Accepted")
    if (r or {}).get("files", {}).get("out.txt") != "42":
        fail("api example", json.dumps(r)[:300])
    # /w/x is x, answered under the name given, as go-judge (Hydro's
    # interactor is told to write /w/tout).
    r = run1(cmd(["/bin/sh", "-c", "cat in > tout"],
                 copyIn={"/w/in": {"content": "abs"}},
                 copyOut=["/w/tout?", "/w/none?"]), "copyOut /w/")
    expect("copyOut /w/", r, "Accepted")
    if (r or {}).get("files", {}).get("/w/tout") != "abs" or \
            "fileError" in (r or {}):
        fail("copyOut /w/", json.dumps(r)[:300])
    # A name that is not there and not optional.
    r = run1(cmd(["/bin/true"], copyOut=["nope"]), "copyOut missing")
    expect("copyOut missing", r, "File Error",
           error=lambda e: isinstance(e, str) and "nope" in e)
    if ferr(r) != [("nope", "CopyOutOpen")]:
        fail("copyOut missing", "fileError %r" % (r or {}).get("fileError"))
    # Larger than copyOutMax: refused, or truncated when asked.
    big = ["/bin/sh", "-c", "head -c 100 /dev/zero | tr '\\0' z > big"]
    r = run1(cmd(big, copyOut=["big"], copyOutMax=10), "copyOutMax")
    expect("copyOutMax", r, "File Error")
    if ferr(r) != [("big", "CopyOutSizeExceeded")] or \
            "big" in (r or {}).get("files", {}):
        fail("copyOutMax", json.dumps(r)[:400])
    r = run1(cmd(big, copyOut=["big"], copyOutMax=10, copyOutTruncate=True),
             "copyOutTruncate")
    expect("copyOutTruncate", r, "File Error", files_big="z" * 10)
    if ferr(r) != [("big", "CopyOutSizeExceeded")]:
        fail("copyOutTruncate", json.dumps(r)[:400])
    # A command stopped by a limit hands over its files too, as go-judge's
    # do: its CPU, its clock, its output.
    for what, c in (
            ("cpu", cmd(["/bin/sh", "-c", "echo cpu > o; while :; do :; done"],
                        cpuLimit=SEC // 2, clockLimit=5 * SEC)),
            ("clock", cmd(["/bin/sh", "-c", "echo clock > o; sleep 10"],
                          cpuLimit=SEC, clockLimit=SEC // 2)),
            ("output", cmd(["/bin/sh", "-c", "echo output > o; yes"]))):
        if what == "output":
            c["files"][1]["max"] = 1000
        c["copyOut"] = ["o"]
        r = run1(c, "copyOut after " + what)
        expect("copyOut after " + what, r, "Output Limit Exceeded"
               if what == "output" else "Time Limit Exceeded",
               files_o=what + "\n")
    # A command that did not end well still hands over its files.
    r = run1(cmd(["/bin/sh", "-c", "echo partial > o; exit 4"],
                 copyOut=["o"]), "copyOut after exit 4")
    expect("copyOut after exit 4", r, "Nonzero Exit Status",
           files_o="partial\n")


def case_copyout_escape():
    # Whatever a program leaves in /w, no name can make the monitor read
    # anything but a regular file of /w: links to files and directories
    # outside it (in the sandbox or not), to a file of /w, a directory.
    # (A FIFO cannot be made: mknod is refused in the sandbox.)
    setup = "ln -s /etc/shadow shadow; ln -s /usr/bin/env env; " \
            "ln -s /usr usr; printf mine > real; ln -s real rel; " \
            "mkdir dir"
    names = ["shadow", "env", "usr/bin/env", "rel", "dir", "real"]
    r = run1(cmd(["/bin/sh", "-c", setup], copyOut=names), "escape")
    expect("escape", r, "File Error")
    if r is None:
        return
    files = r.get("files", {})
    if files != {"real": "mine", "stdout": "", "stderr": ""}:
        fail("escape", "files that must not be there: %r" %
             {k: v[:40] for k, v in files.items()})
    got = dict(ferr(r))
    for n in names[:-1]:
        if got.get(n) != "CopyOutNotRegularFile":
            fail("escape", "%s: %r, not CopyOutNotRegularFile (%s)" %
                 (n, got.get(n), json.dumps(r.get("fileError"))[:400]))
    # Names that leave /w never reach a runner.
    for n in ["../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "."]:
        code, _, body = post({"cmd": [cmd(["/bin/true"], copyOut=[n])]})
        if code != 400 or b"copyOut[0]" not in body:
            fail("escape", "copyOut %r: %d %s" % (n, code, body[:200]))
        code, _, body = post({"cmd": [cmd(["/bin/true"],
                                          copyIn={n: {"content": ""}})]})
        if code != 400 or b"copyIn" not in body:
            fail("escape", "copyIn %r: %d %s" % (n, code, body[:200]))


def case_src():
    # Host files by path, only beneath the directory t-prun-files.sh
    # allows (SRCDIR), and never by a way out of it.
    import os
    d = os.environ["SRCDIR"]
    r = run1(cmd(["/bin/cat"]) | {"files": [
        {"src": d + "/1.in"}, {"name": "stdout", "max": 100}]}, "src stdin")
    expect("src stdin", r, "Accepted", files_stdout="1 2\n")
    r = run1(cmd(["/bin/sh", "-c", "cat x y"], copyIn={
        "x": {"src": d + "/1.in"}, "y": {"src": d + "/inside"}}),
        "src copyIn")
    expect("src copyIn", r, "Accepted", files_stdout="1 2\n1 2\n")
    for what, src in [("outside", "/etc/passwd"),
                      ("a prefix of a name", d + "x/1.in"),
                      ("the directory itself", d),
                      ("..", d + "/../secret"),
                      ("an absolute link", d + "/esc"),
                      ("a relative link up", d + "/up")]:
        for c in (cmd(["/bin/cat"]) | {"files": [{"src": src}]},
                  cmd(["/bin/true"], copyIn={"x": {"src": src}})):
            code, _, body = post({"cmd": [c]})
            if code != 400 or b"src" not in body or b"s3cret" in body or \
                    b"root:" in body:
                fail("src " + what, "%d %s" % (code, body[:200]))
    for what, src, typ in [("missing", d + "/nope", "CopyInOpenFile"),
                           ("a directory", d + "/sub", "CopyInOpenFile")]:
        r = run1(cmd(["/bin/sh", "-c", "echo ran"],
                     copyIn={"x": {"src": src}}), "src " + what)
        expect("src " + what, r, "File Error", files_stdout=lambda o: not o)
        if ferr(r) != [("x", typ)]:
            fail("src " + what, "fileError %r" % (r or {}).get("fileError"))


def req(method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    c.request(method, path, body, headers or {})
    r = c.getresponse()
    out = r.read()
    c.close()
    return r.status, r, out


def is_id(v):
    return isinstance(v, str) and len(v) == 32 and \
        all(ch in "0123456789abcdef" for ch in v)


def err404(what, code, out):
    try:
        e = json.loads(out)
    except ValueError:
        e = {}
    if code != 404 or e.get("code") != 404 or not e.get("reason"):
        fail(what, "HTTP %d, not 404 in the error shape: %r" % (code,
             out[:200]))


def multipart(name, data, boundary="----wrtest7b3f"):
    """What a browser or requests sends for a form with one file."""
    b = boundary.encode()
    body = b"--" + b + b"\r\nContent-Disposition: form-data; name=\"note\"" \
        b"\r\n\r\nignored\r\n--" + b + b"\r\nContent-Disposition: " \
        b"form-data; name=\"file\"; filename=\"" + name.encode() + \
        b"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + data + \
        b"\r\n--" + b + b"--\r\n"
    return body, {"Content-Type": "multipart/form-data; boundary=" +
                  boundary}


def case_store():
    # Hydro's compile: the binary and stderr cached, stdout returned; the
    # go-judge README's copyOut of collector names is no File Error.
    mk = "printf '#!/bin/sh\\necho hi $1\\n' > a; chmod +x a; " \
         "echo out; echo err >&2"
    r = run1(cmd(["/bin/sh", "-c", mk], copyOut=["stdout"],
                 copyOutCached=["a", "stderr"]), "copyOutCached")
    expect("copyOutCached", r, "Accepted", files_stdout="out\n")
    ids = (r or {}).get("fileIds", {})
    if sorted(ids) != ["a", "stderr"] or not all(map(is_id, ids.values())) \
            or "stderr" in (r or {}).get("files", {}) or "fileError" in r:
        fail("copyOutCached", json.dumps(r)[:400])
        return
    r = run1(cmd(["/bin/true"], copyOut=["stdout", "stderr"]), "readme")
    expect("readme copyOut", r, "Accepted", files_stdout="",
           files_stderr="")
    code, _, out = req("GET", "/file")
    listing = json.loads(out) if code == 200 else {}
    if listing.get(ids["a"]) != "a" or listing.get(ids["stderr"]) != \
            "stderr":
        fail("GET /file", "HTTP %d: %r" % (code, out[:300]))
    code, resp, out = req("GET", "/file/" + ids["stderr"])
    if code != 200 or out != b"err\n" or \
            resp.getheader("Content-Type") != "application/octet-stream" or \
            resp.getheader("Content-Disposition") != \
            'attachment; filename="stderr"':
        fail("GET /file/id", "HTTP %d %r %r" % (code, out[:100],
             resp.getheaders()))
    # Later commands take them by id: as a copyIn file (executable) and
    # as stdin, twice, each reader from the start.
    r = run1(cmd(["./a", "x"], copyIn={"a": {"fileId": ids["a"]}}),
             "copyIn fileId")
    expect("copyIn fileId", r, "Accepted", files_stdout="hi x\n")
    for i in range(2):
        c = cmd(["/bin/cat"])
        c["files"][0] = {"fileId": ids["stderr"]}
        r = run1(c, "stdin fileId %d" % i)
        expect("stdin fileId %d" % i, r, "Accepted", files_stdout="err\n")
    # An id the store does not have: a File Error, nothing runs.
    r = run1(cmd(["/bin/sh", "-c", "echo ran"],
                 copyIn={"a": {"fileId": "0" * 32}}), "unknown fileId")
    expect("unknown fileId", r, "File Error", files_stdout=lambda o: not o,
           error=lambda e: isinstance(e, str) and "no such file" in e)
    if ferr(r) != [("a", "CopyInOpenFile")]:
        fail("unknown fileId", json.dumps(r)[:300])
    # POST /file: bytes of every value kept, the filename's last part.
    blob = bytes(range(256)) * 3 + b"\r\n--x\r\n"
    body, h = multipart("dir/up.bin", blob)
    code, resp, out = req("POST", "/file", body, h)
    up = json.loads(out) if code == 200 else None
    if not is_id(up) or not resp.getheader("Content-Type", "").startswith(
            "application/json"):
        fail("POST /file", "HTTP %d: %r" % (code, out[:200]))
    else:
        code, resp, out = req("GET", "/file/" + up)
        if code != 200 or out != blob or resp.getheader(
                "Content-Disposition") != 'attachment; filename="up.bin"':
            fail("GET uploaded", "HTTP %d, %d bytes" % (code, len(out)))
        r = run1(cmd(["/bin/sh", "-c", "od -An -tx1 u | tr -d ' \\n' | "
                      "head -c 8"], copyIn={"u": {"fileId": up}}),
                 "uploaded as copyIn")
        expect("uploaded as copyIn", r, "Accepted", files_stdout="00010203")
    for what, body, h in [
            ("no boundary", b"x", {"Content-Type": "multipart/form-data"}),
            ("not multipart", b"x", {"Content-Type": "text/plain"}),
            ("no file part", b"--b\r\nContent-Disposition: form-data; "
             b"name=\"x\"\r\n\r\n1\r\n--b--\r\n",
             {"Content-Type": "multipart/form-data; boundary=b"}),
            ("cut short", multipart("f", b"abc")[0][:-10],
             multipart("f", b"abc")[1])]:
        code, _, out = req("POST", "/file", body, h)
        e = json.loads(out) if out.startswith(b"{") else {}
        if code != 400 or e.get("code") != 400 or \
                "multipart" not in e.get("reason", ""):
            fail("POST /file " + what, "HTTP %d: %r" % (code, out[:200]))
    # Deleted: gone from the list, 404 after; ids that cannot be, 404.
    for i in [ids["a"], ids["stderr"]] + ([up] if is_id(up) else []):
        code, _, out = req("DELETE", "/file/" + i)
        if code != 200:
            fail("DELETE", "HTTP %d: %r" % (code, out[:200]))
        code, _, out = req("DELETE", "/file/" + i)
        err404("DELETE twice", code, out)
        code, _, out = req("GET", "/file/" + i)
        err404("GET deleted", code, out)
    code, _, out = req("GET", "/file")
    if code != 200 or json.loads(out) != {}:
        fail("GET /file after DELETE", "HTTP %d: %r" % (code, out[:200]))
    for bad_id in ["xyz", "0" * 31, "A" * 32, "0" * 33]:
        code, _, out = req("GET", "/file/" + bad_id)
        err404("GET /file/" + bad_id, code, out)
    code, resp, _ = req("POST", "/file/" + "0" * 32, b"")
    if code != 405 or "DELETE" not in resp.getheader("Allow", ""):
        fail("POST /file/id", "HTTP %d" % code)
    code, resp, _ = req("DELETE", "/file")
    if code != 405 or "POST" not in resp.getheader("Allow", ""):
        fail("DELETE /file", "HTTP %d" % code)


def case_store_full():
    # t-filestore.sh: store-limit 64K, store-files 4.  Past either, a 507
    # in the error shape and nothing stored is lost; one file larger than
    # the whole store, a 413.
    kept = {}
    for i in range(3):
        data = bytes([65 + i]) * (20 * 1024)
        body, h = multipart("f%d" % i, data)
        code, _, out = req("POST", "/file", body, h)
        if code != 200:
            fail("store f%d" % i, "HTTP %d: %r" % (code, out[:200]))
            return
        kept[json.loads(out)] = data
    body, h = multipart("f3", b"D" * (20 * 1024))
    code, _, out = req("POST", "/file", body, h)
    e = json.loads(out) if out.startswith(b"{") else {}
    if code != 507 or "store-limit" not in e.get("reason", ""):
        fail("over store-limit", "HTTP %d: %r" % (code, out[:200]))
    body, h = multipart("huge", b"E" * (65 * 1024))
    code, _, out = req("POST", "/file", body, h)
    if code != 413:
        fail("larger than the store", "HTTP %d: %r" % (code, out[:200]))
    body, h = multipart("small", b"s")
    code, _, out = req("POST", "/file", body, h)
    if code != 200:
        fail("fourth file", "HTTP %d: %r" % (code, out[:200]))
    else:
        kept[json.loads(out)] = b"s"
    code, _, out = req("POST", "/file", body, h)
    e = json.loads(out) if out.startswith(b"{") else {}
    if code != 507 or "store-files" not in e.get("reason", ""):
        fail("over store-files", "HTTP %d: %r" % (code, out[:200]))
    # copyOutCached into a full store: a File Error that says why.
    r = run1(cmd(["/bin/sh", "-c", "echo x > o"], copyOutCached=["o"]),
             "copyOutCached, store full")
    expect("copyOutCached, store full", r, "File Error",
           error=lambda e: isinstance(e, str) and "store" in e)
    if ferr(r) != [("o", "CopyOutCreateFile")]:
        fail("copyOutCached, store full", json.dumps(r)[:300])
    for i, data in kept.items():
        code, _, out = req("GET", "/file/" + i)
        if code != 200 or out != data:
            fail("kept " + i, "HTTP %d, %d bytes" % (code, len(out)))
    print(json.dumps(sorted(kept)))


def runn(cmds, pipes, what):
    """POST several commands joined by pipes; their results, or None."""
    code, ctype, body = post({"cmd": cmds, "pipeMapping": pipes})
    if code != 200:
        fail(what, "HTTP %d: %s" % (code, body[:300]))
        return None
    r = json.loads(body)
    if not isinstance(r, list) or len(r) != len(cmds):
        fail(what, "not %d results: %s" % (len(cmds), body[:300]))
        return None
    return r


def pipe(w, wfd, r, rfd, **kw):
    p = {"in": {"index": w, "fd": wfd}, "out": {"index": r, "fd": rfd}}
    p.update(kw)
    return p


INTERACTOR = """
import sys
secret, n = 37, 0
while True:
    g = int(sys.stdin.readline())
    n += 1
    if g == secret:
        print("=", flush=True)
        break
    print("<" if g < secret else ">", flush=True)
sys.stderr.write("found in %d\\n" % n)
"""
GUESSER = """
lo, hi = 1, 100
while True:
    g = (lo + hi) // 2
    print(g, flush=True)
    a = input()
    if a == "=":
        break
    if a == "<":
        lo = g + 1
    else:
        hi = g - 1
"""


def case_pipes():
    # One command's stdout the next one's stdin.
    a = cmd(["/bin/sh", "-c", "echo hello; echo two"])
    b = cmd(["/usr/bin/tr", "a-z", "A-Z"])
    a["files"][1] = None
    b["files"][0] = None
    r = runn([a, b], [pipe(0, 1, 1, 0)], "pipe")
    if r:
        expect("pipe writer", r[0], "Accepted")
        expect("pipe reader", r[1], "Accepted", files_stdout="HELLO\nTWO\n")
    # Through the monitor, which keeps the first max bytes by name.
    r = runn([a, b], [pipe(0, 1, 1, 0, proxy=True, name="p", max=5)],
             "proxy")
    if r:
        expect("proxy writer", r[0], "Accepted", files_p="hello")
        expect("proxy reader", r[1], "Accepted", files_stdout="HELLO\nTWO\n")
    # 20M through a proxy, and a name without proxy is not kept.
    big = cmd(["/bin/sh", "-c", "exec head -c 20971520 /dev/zero"])
    wc = cmd(["/usr/bin/wc", "-c"])
    big["files"][1] = None
    wc["files"][0] = None
    r = runn([big, wc], [pipe(0, 1, 1, 0, proxy=True, name="k", max=3)],
             "proxy 20M")
    if r:
        expect("proxy 20M", r[1], "Accepted", files_stdout="20971520\n")
        expect("proxy 20M kept", r[0], "Accepted", files_k="\u0000" * 3)
    # A reader that stops early: through a proxy the writer still ends
    # well; straight, it gets SIGPIPE (13), as anywhere else.
    head = cmd(["/usr/bin/head", "-c", "1"])
    head["files"][0] = None
    r = runn([big, head], [pipe(0, 1, 1, 0, proxy=True)], "early reader")
    if r:
        expect("early reader, proxy", r[0], "Accepted")
        expect("early reader", r[1], "Accepted", files_stdout="\u0000")
    r = runn([big, head], [pipe(0, 1, 1, 0, name="x")], "early, straight")
    if r:
        expect("early reader, straight", r[0], "Signalled", exitStatus=13)
        if "x" in r[0].get("files", {}):
            fail("name without proxy", json.dumps(r[0])[:300])
    # Hydro's interactive shape: each one's stdout the other's stdin.
    user = cmd(["/usr/bin/python3", "-c", GUESSER])
    inter = cmd(["/usr/bin/python3", "-c", INTERACTOR])
    for c in (user, inter):
        c["files"][0] = None
        c["files"][1] = None
    r = runn([user, inter],
             [pipe(0, 1, 1, 0, proxy=True, name="userToInteractor",
                   max=1024),
              pipe(1, 1, 0, 0, proxy=True, name="interactorToUser",
                   max=1024)], "interactive")
    if r:
        expect("interactive user", r[0], "Accepted",
               files_userToInteractor=lambda v: v is not None and
               v.split() == ["50", "25", "37"])
        expect("interactive interactor", r[1], "Accepted",
               files_stderr="found in 3\n",
               files_interactorToUser=">\n<\n=\n")
    # A pair that both wait to read: the clock ends each.  (Each waits
    # on after its input ends, or the one whose peer's clock ends first
    # would see the end of its input and exit just before its own.)
    stuck = []
    for i in range(2):
        c = cmd(["/bin/sh", "-c", "read x; sleep 10"], cpuLimit=SEC,
                clockLimit=SEC)
        c["files"][0] = None
        c["files"][1] = None
        stuck.append(c)
    r = runn(stuck, [pipe(0, 1, 1, 0), pipe(1, 1, 0, 0)], "stuck pair")
    if r:
        for i in range(2):
            expect("stuck pair %d" % i, r[i], "Time Limit Exceeded",
                   runTime=lambda t: t >= SEC)
    # More commands than program runners (t-prun-pipes.sh has 3).
    four = [cmd(["/bin/true"]) for i in range(4)]
    code, _, out = post({"cmd": four})
    if code != 400 or b"program runners" not in out:
        fail("4 commands, 3 runners", "HTTP %d: %r" % (code, out[:200]))
    # Commands without pipes run together too.
    r = runn([cmd(["/bin/echo", "a"]), cmd(["/bin/echo", "b"])], [],
             "two alone")
    if r:
        expect("two alone 0", r[0], "Accepted", files_stdout="a\n")
        expect("two alone 1", r[1], "Accepted", files_stdout="b\n")


def case_counters(have_pmu):
    r = run1(cmd(["/bin/true"]), "counters")
    if r is None:
        return
    if have_pmu:
        c = r.get("counters", {})
        if not isinstance(c.get("instructions"), int) or \
                c["instructions"] <= 0:
            fail("counters", "no instruction count: %s" % json.dumps(r))
        r = run1(cmd(["/bin/sh", "-c", "while :; do :; done"],
                     instructionLimit=10 ** 8, cpuLimit=20 * SEC,
                     clockLimit=30 * SEC), "instructionLimit")
        expect("instructionLimit", r, "Time Limit Exceeded",
               time=lambda t: t < 15 * SEC)
    else:
        if "counters" in r or not r.get("countersError"):
            fail("counters", "no PMU, yet: %s" % json.dumps(r))
        bad("instructionLimit", {"cmd": [dict(cmd(["/bin/true"]),
                                              instructionLimit=1000)]},
            "instructionLimit")


for name in sys.argv[2:]:
    if name == "counters-pmu":
        case_counters(True)
    elif name == "counters-nopmu":
        case_counters(False)
    else:
        globals()["case_" + name]()
for f in failures:
    print(f)
sys.exit(1 if failures else 0)
