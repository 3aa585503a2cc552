# Bearer-token auth: with "auth token file", a run without the token, with
# a wrong one, or with the right one and more gets 401 and
# WWW-Authenticate; with the token it runs.  The monitor route stays open
# for load balancers by default, and wants the token with "auth monitor
# token".  OPTIONS needs none.  The token is never in the log, and a token
# file that others can read is refused.
. "$(dirname "$0")/test-exec.sh"
TOKEN=s3cr3t-Token.for_the_regress-suite
umask 077
echo "$TOKEN" > "$OBJ/token"
start_daemon "auth token file \"$OBJ/token\"" "runners 1"

code=$(post "$TOP/kernels/sdot.o" "kernel=sdot" -D "$OBJ/h")
[ "$code" = 401 ] || fail "a run without a token: $code $(cat "$OBJ/body")"
grep -qi '^WWW-Authenticate: Bearer realm="webrunnerd"' "$OBJ/h" ||
    fail "401 without WWW-Authenticate: $(cat "$OBJ/h")"
for bad in "Bearer wrong" "Bearer ${TOKEN}x" "Bearer ${TOKEN%?}" \
    "Basic $TOKEN" "Bearer"; do
	code=$(post "$TOP/kernels/sdot.o" "kernel=sdot" -H "Authorization: $bad")
	[ "$code" = 401 ] || fail "'$bad' gave $code"
done
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot" -H "Authorization: Bearer $TOKEN")
[ "$code" = 200 ] || fail "a run with the token: $code $(cat "$OBJ/body")"
code=$(curl -s -o /dev/null -w '%{http_code}' "$(url /local/config)")
[ "$code" = 401 ] || fail "config without a token: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$(url /local/version)")
[ "$code" = 200 ] || fail "version with the token: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X OPTIONS "$(url /local/run)")
[ "$code" = 204 ] || fail "OPTIONS: $code"
# The monitor route is open by default.
code=$(curl -s -o /dev/null -w '%{http_code}' "$(url /local/monitor)")
[ "$code" = 200 ] || fail "monitor route without a token: $code"
curl -s -o /dev/null "$(url /local/config)" -H "Authorization: Bearer $TOKEN-nope"
grep -q "$TOKEN" "$LOG" && fail "the token is in the log"

# The monitor route closed too.
echo "auth monitor token" >> "$CONF"
kill -HUP "$DPID"
i=0
while [ $i -lt 50 ]; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -I "$(url /local/monitor)")
	[ "$code" = 401 ] && break
	sleep 0.1
	i=$((i + 1))
done
[ "$code" = 401 ] || fail "monitor route after 'auth monitor token': $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -I -H "Authorization: Bearer $TOKEN" "$(url /local/monitor)")
[ "$code" = 200 ] || fail "monitor route with the token: $code"
grep -q "$TOKEN" "$LOG" && fail "the token is in the log"
stop_daemon

# A token file others may read is refused, and its content not shown.
chmod 644 "$OBJ/token"
out=$("$TOP/webrunnerd" -n -f "$CONF" 2>&1) && fail "a readable token file was accepted"
echo "$out" | grep -q "readable by others" || fail "no reason: $out"
echo "$out" | grep -q "$TOKEN" && fail "the token is shown"
printf 'short\n' > "$OBJ/token"
chmod 600 "$OBJ/token"
out=$("$TOP/webrunnerd" -n -f "$CONF" 2>&1) && fail "a short token was accepted"
echo "$out" | grep -q "short" && fail "the token is shown: $out"
pass
