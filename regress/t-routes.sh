# Unknown paths 404, wrong methods 405 with Allow, OPTIONS with CORS.
. "$(dirname "$0")/test-exec.sh"
start_daemon
code=$(curl -s -o /dev/null -w '%{http_code}' "$(url /local/nothing)")
[ "$code" = 404 ] || fail "unknown command gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$(url /)")
[ "$code" = 404 ] || fail "/ gave $code"
curl -s -D "$OBJ/h" -o /dev/null -X POST "$(url /local/monitor)"
grep -q '^HTTP/1.1 405' "$OBJ/h" || fail "POST on monitor is not 405"
grep -qi '^Allow: GET, HEAD, OPTIONS' "$OBJ/h" || fail "405 without Allow"
curl -s -D "$OBJ/h" -o /dev/null "$(url /local/run?kernel=sdot)"
grep -q '^HTTP/1.1 405' "$OBJ/h" || fail "GET on run is not 405"
grep -qi '^Allow: POST, OPTIONS' "$OBJ/h" || fail "run's 405 without Allow"
curl -s -D "$OBJ/h" -o /dev/null -X OPTIONS \
    -H 'Origin: https://example.org' \
    -H 'Access-Control-Request-Method: POST' "$(url /local/run)"
grep -q '^HTTP/1.1 204' "$OBJ/h" || fail "OPTIONS is not 204"
grep -qi '^Access-Control-Allow-Origin: \*' "$OBJ/h" || fail "no CORS origin"
grep -qi '^Access-Control-Allow-Methods:.*POST' "$OBJ/h" || fail "no CORS methods"
pass
