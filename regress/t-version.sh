# GET /<machine-id>/version and /<machine-id>/config answer JSON: the
# version, build and library versions; the settings that are not secret
# and every kernel with its parameters.  HEAD gives the headers only.
. "$(dirname "$0")/test-exec.sh"
umask 077
echo "Not-to-be-shown-0123456789" > "$OBJ/token"
start_daemon "runners 1" "repeat 7" "auth token file \"$OBJ/token\""
AUTH="Authorization: Bearer Not-to-be-shown-0123456789"
curl -s -D "$OBJ/h" -H "$AUTH" "$(url /local/version)" > "$OBJ/v"
grep -q '^HTTP/1.1 200' "$OBJ/h" || fail "version: $(cat "$OBJ/h")"
grep -qi '^Content-Type: application/json' "$OBJ/h" || fail "version is not JSON"
python3 - "$OBJ/v" <<'PY' || fail "bad version: $(cat "$OBJ/v")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["version"], j
assert j["build"], j
for lib in ("libevent", "jansson", "libseccomp"):
    assert j["libraries"][lib][0].isdigit(), j
PY
curl -s -D "$OBJ/h" -H "$AUTH" "$(url /local/config)" > "$OBJ/c"
grep -q '^HTTP/1.1 200' "$OBJ/h" || fail "config: $(cat "$OBJ/h")"
python3 - "$OBJ/c" "$TOP/kernels" <<'PY' || fail "bad config: $(cat "$OBJ/c")"
import json, os, sys
j = json.load(open(sys.argv[1]))
assert j["repeat"] == 7 and j["runners"] == 1, j
assert j["auth"] is True and j["auth_monitor_open"] is True, j
assert j["self_test_interval"] == 60, j
assert j["single_step_limit"] == 20000, j
names = sorted(k["name"] for k in j["kernels"])
want = sorted(f[:-5] for f in os.listdir(sys.argv[2]) if f.endswith(".json"))
assert names == want, (names, want)
loop = [k for k in j["kernels"] if k["name"] == "loop"][0]
p = loop["parameters"][0]
assert p == {"name": "iterations", "type": "uint64", "min": 0,
    "max": 1000000000, "default": 1000}, p
assert loop["return"] == "uint64", loop
PY
grep -q "Not-to-be-shown" "$OBJ/c" && fail "the token is in the config"
curl -s -I -H "$AUTH" "$(url /local/config)" > "$OBJ/h"
grep -q '^HTTP/1.1 200' "$OBJ/h" || fail "HEAD config: $(cat "$OBJ/h")"
curl -s -D "$OBJ/h" -o /dev/null -X POST -H "$AUTH" "$(url /local/version)"
grep -q '^HTTP/1.1 405' "$OBJ/h" || fail "POST version is not 405"
pass
