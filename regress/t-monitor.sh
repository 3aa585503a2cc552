# HEAD and GET /<machine-id>/monitor answer 200 over IPv4 and IPv6.
. "$(dirname "$0")/test-exec.sh"
write_config "listen on ::1 port PORT6"
sed -i "s/PORT6/$PORT/" "$CONF"
start_daemon
code=$(curl -s -o /dev/null -w '%{http_code}' -I "$(url /local/monitor)")
[ "$code" = 200 ] || fail "HEAD over IPv4 gave $code"
code=$(curl -s -g -o /dev/null -w '%{http_code}' -I "http://[::1]:$PORT/local/monitor")
[ "$code" = 200 ] || fail "HEAD over IPv6 gave $code"
body=$(curl -s "$(url /any-id.1/monitor)" | head -1)
[ "$body" = OK ] || fail "GET body starts with '$body'"
pass
