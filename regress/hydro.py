# Hydro's judge (packages/hydrojudge) against the daemon: the checks
# behind t-hydro.sh.
#
#	python3 hydro.py PORT DATADIR
#
# Every request is built as hydrojudge builds it (src/sandbox.ts: proc(),
# with its default settings from src/config.ts), and every answer is read
# as it reads it (adaptResult() and the judges that call it), so what is
# asserted is what Hydro would conclude: a compile error, Accepted, Wrong
# Answer, Time or Memory Limit Exceeded.  DATADIR is the problem's
# folder, which the daemon allows as `program src-allow': the tests'
# inputs and answers are read from it by src, as Hydro gives them.
# Prints one line per failure, and lines starting with "#" that only
# inform; exits 1 if anything failed.
import http.client
import json
import math
import os
import re
import shlex
import sys
import threading

PORT = int(sys.argv[1])
DATA = sys.argv[2]
failures = []

# hydrojudge's defaults (src/config.ts): env, stdio_size 32m,
# memoryMax 512m, processLimit 32, rate 1, strict_memory false,
# pipe_proxy true, singleTaskParallelism 2.
ENV_SETTING = """\
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/w
# modify to your python version installed
PYTHONPATH=/lib/python3.13/site-packages
"""
STDIO_SIZE_MB = 32
MEMORY_MAX_MB = 512
PROCESS_LIMIT = 32
RATE = 1
STRICT_MEMORY = False
PIPE_PROXY = True
UA = "HydroJudge/4.0.0 (regres)"

# @hydrooj/common's STATUS, and sandbox.ts's map from go-judge's status.
ACCEPTED, WRONG_ANSWER, TLE, MLE, RUNTIME_ERROR, SYSTEM_ERROR = 1, 2, 3, 4, \
    6, 8
NAMES = {1: "Accepted", 2: "Wrong Answer", 3: "Time Exceeded",
         4: "Memory Exceeded", 6: "Runtime Error", 8: "System Error"}
STATUS_MAP = {
    "Time Limit Exceeded": TLE,
    "Memory Limit Exceeded": MLE,
    "Output Limit Exceeded": RUNTIME_ERROR,
    "Accepted": ACCEPTED,
    "Nonzero Exit Status": RUNTIME_ERROR,
    "Internal Error": SYSTEM_ERROR,
    "File Error": SYSTEM_ERROR,
    "Signalled": RUNTIME_ERROR,
}

# langs.yaml: cc, with the defaults of @hydrooj/common's parseLang().
CC_COMPILE = "/usr/bin/g++ -O2 -Wall -std=c++11 -o foo foo.cc -lm"
CC_CODE_FILE = "foo.cc"
CC_TARGET = "foo"
CC_EXECUTE = "/w/foo"

# An interactive pair: a submission that guesses by halves, and an
# interactor as testlib's are called (in, tout, ans as arguments, the
# verdict on stderr).
GUESS_CC = r"""#include <cstdio>
#include <cstring>
int main() {
    int lo = 1, hi = 100;
    char a[8];
    for (;;) {
        int g = (lo + hi) / 2;
        printf("%d\n", g);
        fflush(stdout);
        if (scanf("%7s", a) != 1) return 1;
        if (strcmp(a, "=") == 0) return 0;
        if (strcmp(a, "<") == 0) lo = g + 1; else hi = g - 1;
    }
}
"""
INTERACTOR_CC = r"""#include <cstdio>
int main(int argc, char **argv) {
    int secret, g, n = 0;
    FILE *in = fopen(argv[1], "r"), *tout = fopen(argv[2], "w");
    if (in == NULL || tout == NULL || fscanf(in, "%d", &secret) != 1) {
        fprintf(stderr, "fail no input\n");
        return 3;
    }
    fprintf(tout, "tout\n");
    fclose(tout);
    while (scanf("%d", &g) == 1) {
        n++;
        if (n > 10) {
            fprintf(stderr, "wrong answer too many guesses\n");
            return 1;
        }
        printf("%s\n", g == secret ? "=" : g < secret ? "<" : ">");
        fflush(stdout);
        if (g == secret) {
            fprintf(stderr, "ok found %d in %d guesses\n", secret, n);
            return 0;
        }
    }
    fprintf(stderr, "wrong answer no guess\n");
    return 1;
}
"""

support_optional = False


def fail(what, why):
    failures.append("%s: %s" % (what, why))


def note(msg):
    print("# " + msg, flush=True)


def call(method, path, body=None, ctype=None):
    """superagent as client.ts calls it; a status of 400 or more is an
    error that it throws."""
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    h = {"User-Agent": UA}
    if body is not None:
        h["Content-Type"] = ctype or "application/json"
    c.request(method, path, body, h)
    r = c.getresponse()
    out = r.read()
    c.close()
    return r.status, r.getheader("Content-Type", ""), out


def get_json(path):
    code, ctype, out = call("GET", path)
    if code != 200 or not ctype.startswith("application/json"):
        raise RuntimeError("GET %s: HTTP %d %s: %r" % (path, code, ctype,
                                                        out[:200]))
    return json.loads(out)


def mb(x):
    return math.floor(x * 1024 * 1024)


def proc(p):
    """sandbox.ts's proc(): one Cmd from hydrojudge's parameters (no
    `filename': the problems here read stdin)."""
    copy_out = list(p.get("copyOut", []))
    if not support_optional:
        copy_out = [i[:-1] if i.endswith("?") else i for i in copy_out]
    stdio_size = STDIO_SIZE_MB if p.get("cacheStdoutAndStderr") else 4
    cached = list(p.get("copyOutCached", []))
    if p.get("cacheStdoutAndStderr"):
        cached += ["stdout", "stderr"]
    time = p.get("time") or 16000
    cpu = math.floor(time * 1000 * 1000 * RATE)
    memory = p.get("memory") or MEMORY_MAX_MB
    env = [i.strip() for i in ENV_SETTING.split("\n")]
    env = [i for i in env if not i.startswith("#")]
    env += ["%s=%s" % (k, v.replace("=", "\\="))
            for k, v in p.get("env", {}).items()]
    c = {
        "args": shlex.split(p.get("execute", "")),
        "env": env,
        "files": [p.get("stdin", {"content": ""}),
                  {"name": "stdout", "max": mb(stdio_size)},
                  {"name": "stderr", "max": mb(stdio_size)}],
        "cpuLimit": cpu,
        "clockLimit": 3 * cpu,
        "memoryLimit": mb(memory),
        "strictMemoryLimit": STRICT_MEMORY,
    }
    # JSON.stringify leaves out a field that is undefined.
    if p.get("addressSpaceLimit") is not None:
        c["addressSpaceLimit"] = p["addressSpaceLimit"]
    c.update({
        "stackLimit": mb(memory) if STRICT_MEMORY else 0,
        "procLimit": p.get("processLimit") or PROCESS_LIMIT,
        "copyOutMax": mb(STDIO_SIZE_MB * 3),
        "copyIn": dict(p.get("copyIn", {})),
        "copyOut": copy_out,
        "copyOutCached": cached,
    })
    return c


def adapt(r, p):
    """sandbox.ts's adaptResult()."""
    a = {
        "status": STATUS_MAP.get(r.get("status"), ACCEPTED),
        "signalled": r.get("status") == "Signalled",
        "time": r.get("time", 0) / 1000000 / RATE,
        "memory": r.get("memory", 0) / 1024,
        "code": r.get("exitStatus"),
    }
    if a["time"] > (p.get("time") or 16000):
        a["status"] = TLE
    if a["memory"] > 1024 * (p.get("memory") or MEMORY_MAX_MB):
        a["status"] = MLE
    a["files"] = r.get("files") or {}
    a["fileIds"] = r.get("fileIds") or {}
    a["stdout"] = a["files"].get("stdout") or ""
    a["stderr"] = a["files"].get("stderr") or r.get("error") or ""
    if r.get("error"):
        a["error"] = r["error"]
    a["raw"] = r
    return a


def version_flags():
    global support_optional
    if not support_optional:
        support_optional = bool(get_json("/version").get("copyOutOptional"))


def post_run(body):
    code, ctype, out = call("POST", "/run", json.dumps(body).encode())
    return code, ctype, out


def run_queued(execute, p, what):
    """runQueued() with one command: runPiped()'s body, adapted.  None
    where Hydro would have thrown "Sandbox Error"."""
    version_flags()
    body = {"cmd": [proc(dict(p, execute=execute))], "pipeMapping": []}
    code, ctype, out = post_run(body)
    if code != 200 or not ctype.startswith("application/json"):
        fail(what, "HTTP %d %s: %r (a Sandbox Error to Hydro)" % (
             code, ctype, out[:300]))
        return None
    res = json.loads(out)
    if not isinstance(res, list) or len(res) != 1:
        fail(what, "not one result: %r" % out[:300])
        return None
    return adapt(res[0], p)


def dispose(a, what):
    """runQueued()'s [Symbol.asyncDispose]: delete every fileId."""
    for fid in (a or {}).get("fileIds", {}).values():
        code, _, out = call("DELETE", "/file/" + fid)
        if code != 200:
            fail(what, "DELETE /file/%s: HTTP %d %r" % (fid, code, out[:200]))


class CompileError(Exception):
    pass


def compile_cc(code, what):
    """compile.ts with langs.yaml's cc; returns (execute, copyIn, result)
    or raises CompileError with what Hydro would show."""
    a = run_queued(CC_COMPILE, {
        "copyIn": {CC_CODE_FILE: code},
        "copyOutCached": [CC_TARGET],
        "env": {"HYDRO_LANG": "cc"},
        "time": 10000,
        "memory": 512,
    }, what)
    if a is None:
        raise CompileError("Sandbox Error")
    if a["status"] != ACCEPTED:
        raise CompileError(a)
    if not a["fileIds"].get(CC_TARGET):
        raise CompileError("Executable file not found.")
    return CC_EXECUTE, {CC_TARGET: {"fileId": a["fileIds"][CC_TARGET]}}, a


# checkers.ts's compare.sh, the `default' and `strict' checkers; the
# template's ${' '.repeat(64)} written out.
COMPARE_SH = r"""#!/bin/bash
set -e
process_file() {
  cat $1 | awk '
    {sub(/\r+$/,"")}
    /^$/{n=n RS};
    /./{
      printf "%s",n; n="";
      for (i=length; i>0; i--) {
        c = substr($0, i, 1);
        if (c != " " && c != "\t" && c != "\r") break
      }
      if (i == 0) print ""
      else print substr($0, 1, i);
    }' >$2
}
if [ "$1" = "BZ" ]; then
  process_file usrout usrout.processed
  process_file answer answer.processed
else
  cat usrout | awk '{sub(/\r+$/, ""); print $0;}' >usrout.processed
  cat answer | awk '{sub(/\r+$/, ""); print $0;}' >answer.processed
fi
usrsize=$(wc -c < usrout.processed)
stdsize=$(wc -c < answer.processed)
if [ "$usrsize" -gt "$stdsize" ]; then
  echo " (EOF)SPACES" >>answer.processed
elif [ "$usrsize" -lt "$stdsize" ]; then
  echo " (EOF)SPACES" >>usrout.processed
fi
result=$(cmp usrout.processed answer.processed || true)
linenum=$(echo "$result" | awk '{print $NF}')
if [ -n "$linenum" ]; then
  echo "L=$linenum"
  awk "NR==$linenum" usrout.processed
  awk "NR==$linenum" answer.processed
elif [ -n "$result" ]; then
  # cmp: EOF on [filename] which is empty
  echo "L=EOF"
  echo "$result"
fi
""".replace("SPACES", " " * 64)


def checker_default(cfg, what):
    """checkers.default: compare.sh BZ, exit status an error, any
    output a Wrong Answer."""
    a = run_queued("/bin/bash compare.sh BZ", {
        "copyIn": dict({"usrout": cfg["user_stdout"],
                        "answer": cfg["output"]}, **cfg["copyIn"],
                       **{"compare.sh": {"content": COMPARE_SH}}),
        "processLimit": 32,
    }, what)
    if a is None:
        return None, ""
    dispose(a, what)
    if a["code"]:
        return SYSTEM_ERROR, "Checker returned with status %s: %s" % (
            a["code"], a["stderr"][:200])
    if a["stdout"]:
        return WRONG_ANSWER, a["stdout"]
    return ACCEPTED, ""


def checker_hustoj(cfg, what):
    """checkers.hustoj: `checker input answer usrout', a nonzero exit
    status is a Wrong Answer, stdout the message."""
    a = run_queued("%s input answer usrout" % cfg["execute"], {
        "copyIn": dict({"usrout": cfg["user_stdout"],
                        "answer": cfg["output"],
                        "input": cfg["input"]}, **cfg["copyIn"]),
    }, what)
    if a is None:
        return None, ""
    dispose(a, what)
    return (WRONG_ANSWER if a["code"] else ACCEPTED), a["stdout"]


SUM_CC = r"""#include <iostream>
int main() {
	long long s = 0, x;
	while (std::cin >> x)
		s += x;
	std::cout << s << std::endl;
	std::cerr << "summed" << std::endl;
	return 0;
}
"""

# A hustoj checker: argv[1] the input, argv[2] the answer, argv[3] the
# contestant's output; exit 0 accepts.
CHECKER_CC = r"""#include <cstdio>
#include <fstream>
#include <string>
int main(int argc, char **argv) {
	if (argc != 4)
		return 2;
	std::ifstream in(argv[1]), ans(argv[2]), out(argv[3]);
	std::string a, b;
	if (!in || !ans || !out)
		return 3;
	for (int i = 1;; i++) {
		bool ea = !(ans >> a), eb = !(out >> b);
		if (ea && eb)
			return 0;
		if (ea || eb || a != b) {
			std::printf("token %d: read %s, expected %s\n", i,
			    eb ? "EOF" : b.c_str(), ea ? "EOF" : a.c_str());
			return 1;
		}
	}
}
"""


def problem():
    """The problem's folder as Hydro caches it: three tests, the third
    answer wrong on purpose, and a checker source."""
    tests = [("1 2\n", "3\n"),
             (" ".join(str(i) for i in range(1, 100001)) + "\n",
              "%d\n" % (100000 * 100001 // 2)),
             ("-5 7\n", "3\n")]		# the right answer is 2
    for i, (inp, out) in enumerate(tests, 1):
        with open(os.path.join(DATA, "%d.in" % i), "w") as f:
            f.write(inp)
        with open(os.path.join(DATA, "%d.out" % i), "w") as f:
            f.write(out)
    with open(os.path.join(DATA, "checker.cc"), "w") as f:
        f.write(CHECKER_CC)
    return [{"id": i, "input": os.path.join(DATA, "%d.in" % i),
             "output": os.path.join(DATA, "%d.out" % i),
             "right": str(sum(int(x) for x in inp.split())) + "\n",
             "time": 1000, "memory": 256}
            for i, (inp, out) in enumerate(tests, 1)]


def check_version():
    """versionCheck() of sandbox.ts, at the judge's start."""
    v = get_json("/version")
    c = get_json("/config")
    parts = v.get("buildVersion", "").split("v")
    ver = parts[1] if len(parts) > 1 else None
    if ver is None or not re.fullmatch(
            r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?", ver):
        fail("version", "buildVersion %r is no semver after its v" %
             v.get("buildVersion"))
        return
    if v.get("copyOutOptional") is not True:
        fail("version", "copyOutOptional %r: Hydro strips the ? of "
             "optional copyOut names" % v.get("copyOutOptional"))
    if c.get("fixSymlinkEscape") is not True:
        fail("config", "fixSymlinkEscape %r: Hydro refuses the sandbox "
             "as vulnerable to symlink escape" % c.get("fixSymlinkEscape"))
    rc = c.get("runnerConfig") or {}
    if rc.get("cgroupType") not in (1, 2) or \
            "memory" not in (rc.get("cgroupControllers") or []):
        fail("config", "runnerConfig %r" % rc)
    # Hydro gates its memory warnings on go-judge's releases (1.6.10 for
    # memory peaks on cgroup v2, 1.8.6 for the memory controller): the
    # daemon does both, so it must not read as older.
    if tuple(map(int, re.split(r"[-+]", ver)[0].split("."))) < (1, 8, 6):
        fail("version", "buildVersion %s reads as older than go-judge "
             "1.8.6: Hydro warns that memory is measured wrong" %
             v["buildVersion"])


def judge_case(c, execute, copy_in, checker, what):
    """judge/default.ts's judgeCase(), with both checkers run on the
    output: the compiled hustoj one and the built-in default.  Returns
    Hydro's status of the case and the two checkers' messages, or None
    after a failure it has told."""
    p = {"stdin": {"src": c["input"]}, "copyIn": dict(copy_in),
         "time": c["time"], "memory": c["memory"],
         "cacheStdoutAndStderr": True}
    res = run_queued(execute, p, what)
    if res is None:
        return None
    try:
        ids = res["fileIds"]
        if res["status"] != ACCEPTED:
            fail(what, "%s, not Accepted: %s" % (NAMES.get(res["status"]),
                 json.dumps(res["raw"])[:400]))
            return None
        if res["time"] > c["time"] or res["memory"] > c["memory"] * 1024:
            fail(what, "time %s ms, memory %s KiB over the limits" % (
                 res["time"], res["memory"]))
        if res["memory"] <= 0:
            fail(what, "memory %r" % res["raw"].get("memory"))
        if sorted(ids) != ["stderr", "stdout"]:
            fail(what, "fileIds %r" % ids)
            return None
        # The outputs in the store, as the checker will read them.
        for name, want in (("stdout", c["right"]), ("stderr", "summed\n")):
            code, ctype, out = call("GET", "/file/" + ids[name])
            if code != 200 or out.decode() != want:
                fail(what, "GET /file/<%s>: HTTP %d %r, not %r" % (
                     name, code, out[:100], want))
        cfg = {"execute": checker["execute"], "copyIn": checker["copyIn"],
               "input": {"src": c["input"]},
               "output": {"src": c["output"]},
               "user_stdout": {"fileId": ids["stdout"]}}
        st, msg = checker_hustoj(cfg, what + " hustoj checker")
        st2, msg2 = checker_default(dict(cfg, copyIn={}),
                                    what + " default checker")
        if st != st2:
            fail(what, "the checkers disagree: %s (%r) and %s (%r)" % (
                 NAMES.get(st), msg, NAMES.get(st2), msg2))
        note("%s: %s, %d ms, %d KiB" % (what, NAMES.get(st), res["time"],
             res["memory"]))
        return st, msg, msg2
    finally:
        dispose(res, what)


def expect_verdict(what, got, status, msg=None, msg2=None):
    if got is None:
        return
    if got[0] != status:
        fail(what, "%s (%r), not %s" % (NAMES.get(got[0]), got[1:],
             NAMES[status]))
    elif msg is not None and (got[1] != msg or not
                              got[2].startswith(msg2)):
        fail(what, "messages %r and %r" % (got[1], got[2]))


def main():
    check_version()
    cases = problem()
    # The judge's compile: the submission and the checker at once, the
    # checker from the problem's folder by src.
    out = {}

    def both(key, code):
        try:
            out[key] = compile_cc(code, "compile " + key)
        except CompileError as e:
            out[key] = e

    ts = [threading.Thread(target=both, args=a) for a in (
        ("submission", {"content": SUM_CC}),
        ("checker", {"src": os.path.join(DATA, "checker.cc")}))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for k in ("submission", "checker"):
        if isinstance(out.get(k), CompileError):
            e = out[k].args[0]
            fail("compile " + k, e if isinstance(e, str) else
                 json.dumps(e["raw"])[:600])
            return
    execute, copy_in, sub = out["submission"]
    _, chk_in, chk = out["checker"]
    # compileLocalFile() keeps a compiled checker in the problem's
    # folder (GET /file/<id>) and runs it from there by src.
    code, _, binary = call("GET", "/file/" + chk_in["foo"]["fileId"])
    if code != 200 or not binary.startswith(b"\x7fELF"):
        fail("checker cache", "HTTP %d: %r" % (code, binary[:40]))
        return
    cache = os.path.join(DATA, "_checker.cache")
    with open(cache, "wb") as f:
        f.write(binary)
    checker = {"execute": CC_EXECUTE, "copyIn": {"foo": {"src": cache}}}

    # Two cases at a time, as singleTaskParallelism 2 runs them.
    verdicts = {}

    def one(c):
        verdicts[c["id"]] = judge_case(c, execute, copy_in, checker,
                                       "case %d" % c["id"])

    for group in (cases[:2], cases[2:]):
        ts = [threading.Thread(target=one, args=(c,)) for c in group]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    expect_verdict("case 1", verdicts.get(1), ACCEPTED)
    expect_verdict("case 2", verdicts.get(2), ACCEPTED)
    expect_verdict("case 3", verdicts.get(3), WRONG_ANSWER,
                   "token 1: read 2, expected 3\n", "L=1\n2\n3")

    # A compile error: Nonzero Exit Status to go-judge, a Runtime Error
    # to adaptResult(), and compile() shows g++'s message.
    try:
        compile_cc({"content": "int main() { return undeclared; }\n"},
                   "compile error")
        fail("compile error", "bad source compiled")
    except CompileError as e:
        a = e.args[0]
        if isinstance(a, str):
            fail("compile error", a)
        else:
            r = a["raw"]
            if r.get("status") != "Nonzero Exit Status" or \
                    a["status"] != RUNTIME_ERROR or \
                    "error:" not in a["stderr"] or \
                    "undeclared" not in a["stderr"] or \
                    a["fileIds"]:
                fail("compile error", json.dumps(r)[:600])
            # compile() throws before it disposes: nothing may be kept.
            dispose(a, "compile error")

    # A loop past cpuLimit 1 s and an allocation past memoryLimit 64M,
    # each compiled and run as a case is.
    for what, src, t, m, want, st in [
            ("TLE", "int main() { volatile unsigned long x = 0; "
             "for (;;) x++; }\n", 1000, 256, "Time Limit Exceeded", TLE),
            ("MLE", "#include <vector>\nint main() { std::vector<char> "
             "v(256 << 20, 1); return v[4096] + v[v.size() - 1] - 2; }\n",
             1000, 64, "Memory Limit Exceeded", MLE)]:
        try:
            ex, ci, comp = compile_cc({"content": src}, "compile " + what)
        except CompileError as e:
            fail("compile " + what, str(e)[:400])
            continue
        p = {"stdin": {"src": cases[0]["input"]}, "copyIn": ci, "time": t,
             "memory": m, "cacheStdoutAndStderr": True}
        a = run_queued(ex, p, what)
        if a is not None:
            r = a["raw"]
            if r.get("status") != want or a["status"] != st:
                fail(what, "%r (to Hydro %s), not %r (%s): %s" % (
                     r.get("status"), NAMES.get(a["status"]), want,
                     NAMES[st], json.dumps(r)[:400]))
            if not a["time"] > 0 or not a["memory"] > 0:
                fail(what, "time %r, memory %r" % (r.get("time"),
                     r.get("memory")))
            note("%s: %s, %d ms, %d KiB" % (what, NAMES.get(a["status"]),
                 a["time"], a["memory"]))
            dispose(a, what)
        dispose(comp, "compile " + what)

    # An interactive problem (judge/interactive.ts): the submission and
    # the interactor, both compiled as Hydro compiles them, joined by two
    # pipes; the interactor reads the secret from /w/in and writes its
    # verdict, testlib's way, to stderr, which Hydro's parse() reads.
    try:
        uex, uci, ucomp = compile_cc({"content": GUESS_CC}, "compile guess")
        iex, ici, icomp = compile_cc({"content": INTERACTOR_CC},
                                     "compile interactor")
    except CompileError as e:
        fail("compile interactive", str(e)[:400])
        uci = None
    if uci is not None:
        for secret, want in (("37", "ok found 37 in 3 guesses"),
                             ("1", "ok found 1 in 6 guesses")):
            user = proc({"execute": uex, "copyIn": uci, "time": 1000,
                         "memory": 256})
            inter = proc({"execute": iex + " /w/in /w/tout /w/out",
                          "copyIn": dict(ici, **{
                              "in": {"content": secret + "\n"},
                              "out": {"content": ""}}),
                          "time": 2000, "memory": 512,
                          "copyOut": ["/w/tout?"],
                          "copyOutCached": ["nextpass.in?", "state.txt?"],
                          "env": {"HYDRO_TESTCASE": "1"}})
            pipes = [{"in": {"index": 0, "fd": 1},
                      "out": {"index": 1, "fd": 0},
                      "name": "userToInteractor"},
                     {"in": {"index": 1, "fd": 1},
                      "out": {"index": 0, "fd": 0},
                      "name": "interactorToUser"}]
            body = {"cmd": [user, inter],
                    "pipeMapping": [dict({"proxy": PIPE_PROXY,
                                          "max": mb(STDIO_SIZE_MB)}, **pm)
                                    for pm in pipes]}
            for i, cm in enumerate(body["cmd"]):
                if any(pm["out"] == {"index": i, "fd": 0} for pm in pipes):
                    cm["files"][0] = None
                if any(pm["in"] == {"index": i, "fd": 1} for pm in pipes):
                    cm["files"][1] = None
            code, _, out = post_run(body)
            if code != 200:
                fail("interactive " + secret, "HTTP %d: %r" % (code,
                     out[:300]))
                continue
            r = json.loads(out)
            what = "interactive " + secret
            if len(r) != 2 or [x.get("status") for x in r] != \
                    ["Accepted", "Accepted"]:
                fail(what, json.dumps(r)[:500])
                continue
            # What Hydro's parse() makes of the interactor's stderr.
            err = r[1].get("files", {}).get("stderr", "")
            if not err.startswith(want):
                fail(what, "interactor said %r" % err)
            if r[1].get("files", {}).get("/w/tout") != "tout\n":
                fail(what, "/w/tout: %r" % r[1].get("files"))
            if r[1].get("fileIds"):
                fail(what, "no nextpass.in, yet fileIds %r" %
                     r[1]["fileIds"])
            note("%s: %s, %d guesses through the proxy" % (what, err.strip(),
                 len(r[0].get("files", {}).get("userToInteractor",
                                                "").split())))
        dispose(ucomp, "clean guess")
        dispose(icomp, "clean interactor")

    # The end of the submission: its compiles' clean().
    dispose(sub, "clean submission")
    dispose(chk, "clean checker")
    listing = get_json("/file")
    if listing != {}:
        fail("GET /file at the end", "%r left" % listing)


try:
    main()
except Exception as e:
    fail("hydro", "%s: %s" % (type(e).__name__, e))
for f in failures:
    print(f)
sys.exit(1 if failures else 0)
