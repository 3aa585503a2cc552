# POST /run (go-judge's API): bad JSON of every shape gets a 400 in JSON,
# whatever the client accepts, whose reason names the field; what the next
# step brings is refused as not supported yet.  The route wants the token
# like the kernel route, is counted in the metrics under its own name and
# logged.  GET gets 405, OPTIONS 204.  The same network process goes on
# serving throughout, and a valid request is not refused.
. "$(dirname "$0")/test-exec.sh"
TOKEN=another-s3cr3t-for_the_regress-suite
umask 077
echo "$TOKEN" > "$OBJ/token"
MPORT=$(free_port)
PROGRAM=yes
write_config "runners 1" "auth token file \"$OBJ/token\"" \
    "metrics listen on 127.0.0.1 port $MPORT"
start_daemon
npid=$(child_pid webrunnerd-net) || fail "no network process"

# prun BODY [curl args]: POST /run with the token; code printed, body in
# $OBJ/body, headers in $OBJ/h.
prun() {
	b=$1
	shift
	printf '%s' "$b" > "$OBJ/req"
	curl -s -o "$OBJ/body" -D "$OBJ/h" -w '%{http_code}' --max-time 30 \
	    -H "Authorization: Bearer $TOKEN" \
	    -H 'Content-Type: application/json' --data-binary @"$OBJ/req" \
	    "$@" "$(url /run)"
}


# bad BODY REASON: a 400 in JSON with exactly that reason.
bad() {
	code=$(prun "$1")
	[ "$code" = 400 ] || fail "'$1': $code $(cat "$OBJ/body")"
	grep -qi '^Content-Type: application/json' "$OBJ/h" ||
	    fail "'$1': not JSON: $(cat "$OBJ/h")"
	python3 - "$OBJ/body" "$2" <<'PY' || fail "'$1': $(cat "$OBJ/body")"
import json, sys
a = json.load(open(sys.argv[1]))
sys.exit(a != {"status": "Bad request", "code": 400, "reason": sys.argv[2]})
PY
}

bad '' 'empty body: POST a JSON request'
bad '{"cmd":[}' "not valid JSON: unexpected token near '}' at line 1 column 9"
bad '{"cmd":[{"args":["a"]}]} trailing' \
    "not valid JSON: end of file expected near 'trailing' at line 1 column 33"
bad '[{"args":["a"]}]' 'request: not a JSON object'
bad '{"cmd":[]}' 'cmd: must be a non-empty array'
bad '{"cmd":[{"args":["a",1]}]}' 'cmd[0].args[1]: not a string'
bad '{"cmd":[{"args":["a\u0000"]}]}' 'cmd[0].args[0]: contains a NUL byte'
bad '{"cmd":[{"args":["a"],"cpuLimit":-1}]}' \
    'cmd[0].cpuLimit: not a non-negative integer'
bad '{"cmd":[{"args":["a"],"files":[{"src":"/etc/shadow"}]}]}' \
    'src /etc/shadow: not beneath a directory allowed by program src-allow'
bad '{"cmd":[{"args":["a"],"copyIn":{"a":{"fileId":1}}}]}' \
    'cmd[0].copyIn["a"].fileId: not a string'
bad '{"cmd":[{"args":["a"],"copyOut":["../../etc/shadow"]}]}' \
    'cmd[0].copyOut[0]: has a . or .. part'
bad '{"cmd":[{"args":["a"],"files":[{"content":""}]},{"args":["b"]}],"pipeMapping":[{"in":{"index":1,"fd":1},"out":{"index":0,"fd":0}}]}' \
    'pipeMapping[0]: cmd[0].files[0] must be null for a pipe'
bad "{\"cmd\":[{\"args\":[\"a\"],\"x\":$(printf '[%.0s' $(seq 40))$(printf ']%.0s' $(seq 40))}]}" \
    'request: nested deeper than 32 levels'
# JSON even to a client that asks for text.
bad '{"cmd":1}' 'cmd: must be a non-empty array' -H 'Accept: text/plain'

code=$(curl -s -o "$OBJ/body" -w '%{http_code}' --data-binary '{}' "$(url /run)")
[ "$code" = 401 ] || fail "/run without the token: $code $(cat "$OBJ/body")"
code=$(curl -s -o "$OBJ/body" -D "$OBJ/h" -w '%{http_code}' \
    -H "Authorization: Bearer $TOKEN" "$(url /run)")
[ "$code" = 405 ] || fail "GET /run: $code"
grep -qi '^Allow: POST, OPTIONS' "$OBJ/h" || fail "GET /run: $(cat "$OBJ/h")"
grep -q '"code": 405' "$OBJ/body" || fail "GET /run: $(cat "$OBJ/body")"
code=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS "$(url /run)")
[ "$code" = 204 ] || fail "OPTIONS /run: $code"

curl -s "http://127.0.0.1:$MPORT/metrics" > "$OBJ/m"
grep -q '^webrunnerd_http_requests_total{route="program-run",code="400"} 14$' \
    "$OBJ/m" || fail "metrics: $(grep program-run "$OBJ/m")"
grep -q 'access .*"POST /run" 400 ' "$LOG" || fail "no access line for /run"
grep -q 'a\\u0000\|/etc/shadow' "$LOG" && fail "a request body is in the log"

wait_monitor 200 || fail "monitor route does not answer afterwards"
[ "$(child_pid webrunnerd-net)" = "$npid" ] || fail "network process restarted"

# Hydro's request for a compile and run in one command: run, answered.
code=$(prun '{"cmd":[{"args":["/bin/sh","-c","echo 3"],"env":["PATH=/usr/bin:/bin","HOME=/w",""],"files":[{"content":"1 2\n"},{"name":"stdout","max":33554432},{"name":"stderr","max":33554432}],"cpuLimit":1000000000,"clockLimit":3000000000,"memoryLimit":268435456,"strictMemoryLimit":false,"stackLimit":0,"procLimit":32,"copyOutMax":100663296,"copyIn":{},"copyOut":[],"copyOutCached":[]}],"pipeMapping":[]}')
[ "$code" = 200 ] || fail "a valid request: $code $(cat "$OBJ/body")"
grep -q '"status":"Accepted".*"stdout":"3\\n"' "$OBJ/body" ||
    fail "a valid request: $(cat "$OBJ/body")"
# The monitor counts it by go-judge's status.
curl -s "http://127.0.0.1:$MPORT/metrics" > "$OBJ/m"
grep -q '^webrunnerd_program_runs_total{status="Accepted"} 1$' "$OBJ/m" ||
    fail "metrics: $(grep program_ "$OBJ/m")"
grep -q '^webrunnerd_program_runners{state="idle"} [0-9]' "$OBJ/m" ||
    fail "metrics: no program runners line"
wait_monitor 200 || fail "monitor route does not answer after a valid request"

# go-judge's /version and /config: open without the token (Hydro sends
# none), JSON, and what a judge checks: a version Hydro's semver reads
# after the v, the flags true only for what works.
for p in version config; do
	code=$(curl -s -o "$OBJ/$p" -D "$OBJ/h" -w '%{http_code}' "$(url /$p)")
	[ "$code" = 200 ] || fail "GET /$p: $code $(cat "$OBJ/$p")"
	grep -qi '^Content-Type: application/json' "$OBJ/h" ||
	    fail "GET /$p: not JSON"
done
python3 - "$OBJ/version" "$OBJ/config" <<'PY' || fail "$(cat "$OBJ/version" "$OBJ/config")"
import json, re, sys
v = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))
# Hydro: buildVersion.split("v")[1] must be semver at least 1.8.6.
m = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)\+webrunnerd\.[0-9.]+",
                 v["buildVersion"])
assert m and tuple(map(int, m.groups())) >= (1, 8, 6), v
assert v["buildVersion"].count("v") == 1, v
for o in (v, c):
    for k in ("copyOutOptional", "fixSymlinkEscape", "procPeak",
              "addressSpaceLimit", "copyOutTruncate", "pipeProxy",
              "symlink"):
        assert o[k] is True, k
    for k in ("pipeProxyZeroCopy", "stream"):
        assert o[k] is False, k
assert c["runnerConfig"]["cgroupType"] in (1, 2), c
assert "memory" in c["runnerConfig"]["cgroupControllers"], c
assert isinstance(c["fileStorePath"], str), c
PY
# Not configured, the program runners are the CPUs, and two at least: an
# interactive pair needs two at once.
curl -s -H "Authorization: Bearer $TOKEN" "$(url /local/config)" > "$OBJ/lconfig"
python3 - "$OBJ/lconfig" "$(getconf _NPROCESSORS_ONLN)" <<'PY' ||
import json, sys
r = json.load(open(sys.argv[1]))["program"]["runners"]
assert r == max(int(sys.argv[2]), 2), r
PY
    fail "program runners by default: $(cat "$OBJ/lconfig")"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$(url /version)")
[ "$code" = 405 ] || fail "POST /version: $code"
pass
