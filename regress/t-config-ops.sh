# The operations keywords: good values pass -n, bad ones are refused
# with file:line and a reason.
. "$(dirname "$0")/test-exec.sh"
umask 077
echo "Config-ops-token-0123456789" > "$OBJ/token"
write_config "self-test interval 90s" "auth token file \"$OBJ/token\"" \
    "auth monitor token" "auth monitor open" "access-log off" \
    "access-log syslog" "access-log \"$OBJ/a.log\"" "error-log syslog" \
    "error-log \"$OBJ/e.log\"" "metrics listen on 127.0.0.1 port 9999" \
    "metrics listen on ::1 port 9999"
"$TOP/webrunnerd" -n -f "$CONF" > "$OBJ/out" 2>&1 || fail "good config refused: $(cat "$OBJ/out")"
[ -e "$OBJ/a.log" ] && fail "-n created the access log"
bad() {
	printf '%s\n' "$1" > "$OBJ/bad.conf"
	"$TOP/webrunnerd" -n -f "$OBJ/bad.conf" > "$OBJ/out" 2>&1 &&
	    fail "'$1' accepted"
	grep -q "bad.conf:1: $2" "$OBJ/out" || fail "'$1': $(cat "$OBJ/out")"
}
bad "self-test interval 0s" "self-test interval must be between 1s and 86400s"
bad "self-test interval 2d" "bad duration"
bad "auth token file \"$OBJ/nonexistent\"" "auth token file .*No such file"
bad "auth monitor closed" "auth monitor: open or token"
bad "access-log relative.log" "access-log: syslog, off or an absolute path"
bad "error-log off" "error-log cannot be off"
bad "metrics listen on localhost port 9999" "listen on localhost"
bad "metrics listen on 127.0.0.1 port 0" "port 0 out of range"
pass
