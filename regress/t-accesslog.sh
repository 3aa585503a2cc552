# The access log: one line per request with the client, the method, the
# path, the status, the body bytes, the duration, the kernel and the
# outcome; to syslog (stderr in the foreground) by default, to a file
# the monitor opens with "access-log PATH", nowhere with "access-log
# off".  Query strings and tokens are not logged.  "error-log PATH" puts
# both processes' own lines in a file.  SIGHUP opens the files again, so
# a rotated file is let go.
. "$(dirname "$0")/test-exec.sh"
[ -f "$TOP/regress/attacks/k_fork.o" ] || skip "regress/attacks/k_fork.o is not built"
start_daemon "runners 1"
post "$TOP/kernels/sdot.o" "kernel=sdot&n=64" >/dev/null
grep -q '^net\[[0-9]*\]: access 127\.0\.0\.1:[0-9]* "POST /local/run" 200 [1-9][0-9]* [0-9]*\.[0-9][0-9][0-9]ms kernel=sdot outcome=ok$' "$LOG" ||
    fail "no access line for a run on stderr"
grep -q '"HEAD /x/monitor" 200 0 .* kernel=- outcome=-$' "$LOG" || fail "no access line for HEAD"
stop_daemon

A=$TOP/regress/attacks
umask 077
echo "Access-log-token-0123456789" > "$OBJ/token"
PORT=
write_config "runners 1" "access-log \"$OBJ/access.log\"" \
    "error-log \"$OBJ/error.log\"" "auth token file \"$OBJ/token\""
start_daemon
AUTH="Authorization: Bearer Access-log-token-0123456789"
post "$TOP/kernels/sdot.o" "kernel=sdot&n=64" -H "$AUTH" >/dev/null
post "$A/k_fork.o" "kernel=playground" -H "$AUTH" >/dev/null
post "$TOP/kernels/sdot.o" "kernel=nosuch" -H "$AUTH" >/dev/null
post "$TOP/kernels/sdot.o" "kernel=sdot" >/dev/null
curl -s -o /dev/null "$(url /local/nothing)"
sleep 0.2
cat "$OBJ/access.log"
L=$OBJ/access.log
re='^20[0-9-]*T[0-9:]*Z 127\.0\.0\.1:[0-9]* '
grep -q "$re\"POST /local/run\" 200 [0-9]* [0-9.]*ms kernel=sdot outcome=ok$" "$L" || fail "no line for the run"
grep -q "$re\"POST /local/run\" 422 [0-9]* [0-9.]*ms kernel=playground outcome=syscall$" "$L" || fail "no line for the forbidden syscall"
grep -q "$re\"POST /local/run\" 404 [0-9]* [0-9.]*ms kernel=nosuch outcome=no-kernel$" "$L" || fail "no line for the unknown kernel"
grep -q "$re\"POST /local/run\" 401 [0-9]* [0-9.]*ms kernel=- outcome=-$" "$L" || fail "no line for the 401"
grep -q "$re\"GET /local/nothing\" 404 " "$L" || fail "no line for the 404"
grep -q "n=64" "$L" && fail "the query string is logged"
grep -q "Access-log-token" "$L" "$OBJ/error.log" "$LOG" && fail "the token is logged"
grep -q 'access ' "$LOG" && fail "access lines still go to stderr"
grep -q '^20[0-9-]*T[0-9:]*Z monitor\[[0-9]*\]: self-test passed' "$OBJ/error.log" ||
    fail "the monitor's lines are not in the error log: $(cat "$OBJ/error.log")"
grep -q '^20[0-9-]*T[0-9:]*Z net\[[0-9]*\]: configured' "$OBJ/error.log" ||
    fail "the network process's lines are not in the error log: $(cat "$OBJ/error.log")"

# Rotation: move the files away, SIGHUP, and the new ones fill.
mv "$L" "$L.0"
mv "$OBJ/error.log" "$OBJ/error.log.0"
kill -HUP "$DPID"
sleep 0.5
curl -s -o /dev/null -I "$(url /local/monitor)"
sleep 0.2
grep -q '"HEAD /local/monitor" 200' "$L" || fail "no new access log after SIGHUP"
grep -q '"HEAD /local/monitor" 200' "$L.0" && fail "the rotated access log still grows"
grep -q 'reloaded' "$OBJ/error.log" || fail "no new error log after SIGHUP"

# Off.
sed -i "s,^access-log .*,access-log off," "$CONF"
kill -HUP "$DPID"
sleep 0.5
n=$(wc -l < "$L")
curl -s -o /dev/null -I "$(url /local/monitor)"
sleep 0.2
[ "$(wc -l < "$L")" = "$n" ] || fail "access-log off still logs"
# Its sandbox let it do all of this.
grep -q "network process \(killed\|exited\)" "$LOG" "$OBJ/error.log" 2>/dev/null &&
    fail "the network process died"
pass
