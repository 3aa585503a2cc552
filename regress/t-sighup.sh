# SIGHUP reloads the configuration while requests keep being served.
. "$(dirname "$0")/test-exec.sh"
start_daemon
curl -s -o /dev/null "$(url /other/monitor)" || fail "monitor"
echo 'machine-id "epyc-1"' >> "$CONF"
kill -HUP "$DPID"
wait_code 404 /other/monitor ||
    fail "new machine-id not in force (got $code)"
code=$(curl -s -o /dev/null -w '%{http_code}' "$(url /epyc-1/monitor)")
[ "$code" = 200 ] || fail "configured machine-id gave $code"
# A broken file changes nothing.
echo 'nonsense' >> "$CONF"
kill -HUP "$DPID"
sleep 0.5
code=$(curl -s -o /dev/null -w '%{http_code}' "$(url /epyc-1/monitor)")
[ "$code" = 200 ] || fail "broken reload disturbed serving ($code)"
grep -q "reload failed" "$LOG" || fail "failed reload not logged"
kill -0 "$DPID" || fail "monitor died"
pass
