# A process that ends in a fault says why, in the log, under its own
# seccomp filter.  regress/rundriver plays the monitor and sends a runner,
# once it is under its stage-1 filter, a message it must refuse instead of
# its job: the runner's fatal line must reach syslog (a socket of this
# test's own on /dev/log) and stderr, not end in a SIGSYS that hides it.
# The template's last words too, and the network process's lines.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
command -v unshare >/dev/null || skip "no unshare(1)"
D=$TOP/regress/rundriver
run() {
	"$D" "$@" -k "$TOP/kernels" -o "$TOP/kernels/loop.o" 'kernel=loop'
}

# Foreground: the runner's stderr is a pipe, as under systemd (a runner
# may grow no file, RLIMIT_FSIZE 0, so a file would not do).
run -X runner 2>&1 >"$OBJ/out" | cat >"$OBJ/err"
grep -q 'runner exited with 1' "$OBJ/out" ||
    fail "runner did not end by fatal(): $(cat "$OBJ/out")"
grep -q '^runner\[1\]: unexpected message [0-9]* from the monitor$' \
    "$OBJ/err" || fail "no last words on stderr: $(cat "$OBJ/err")"

# Syslog: /dev/log is this test's socket, in a mount namespace of its own
# with a /dev of its own, so the host's /dev stays as it is.
python3 - "$OBJ/log.sock" "$LOG" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(4096) + b"\n")
PY
LPID=$!
trap 'kill $LPID 2>/dev/null; cleanup' EXIT
i=0
while [ ! -S "$OBJ/log.sock" ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "log listener did not start"
	sleep 0.1
done
syslogged() {
	unshare -m sh -c '
	    set -e
	    mount --make-rprivate /
	    mkdir -p "$0/dev"
	    mount --rbind /dev "$0/dev"
	    mount -t tmpfs tmpfs /dev
	    for n in null zero full random urandom; do
		    touch "/dev/$n"
		    mount --bind "$0/dev/$n" "/dev/$n"
	    done
	    touch /dev/log
	    mount --bind "$0/log.sock" /dev/log
	    exec "$@"' "$OBJ" "$@"
}
syslogged "$D" -s -X runner -k "$TOP/kernels" -o "$TOP/kernels/loop.o" \
    'kernel=loop' >"$OBJ/out" 2>&1
grep -q 'runner exited with 1' "$OBJ/out" ||
    fail "runner did not end by fatal() in syslog mode: $(cat "$OBJ/out")"
syslogged "$D" -s -X template -k "$TOP/kernels" -o "$TOP/kernels/loop.o" \
    'kernel=loop' >"$OBJ/out" 2>&1
grep -q 'template exited with 1' "$OBJ/out" ||
    fail "template did not end by fatal(): $(cat "$OBJ/out")"
syslogged "$D" -s -k "$TOP/kernels" -o "$TOP/kernels/loop.o" \
    'kernel=loop&iterations=5' >"$OBJ/out" 2>&1 ||
    fail "a job in syslog mode: $(cat "$OBJ/out")"
# The whole daemon in syslog mode: the network process writes its lines
# under its own filter too (one access line per request).
write_config
syslogged "$TOP/webrunnerd" -f "$CONF" >"$OBJ/out" 2>&1 ||
    fail "daemon did not start: $(cat "$OBJ/out")"
for p in $(daemon_pids); do
	[ "$(readlink "/proc/$p/exe")" = "$TOP/webrunnerd" ] && DPID=$p
done
[ -n "$DPID" ] || fail "no monitor"
wait_monitor 200 || fail "daemon in syslog mode did not become ready"
curl -s -o /dev/null "http://127.0.0.1:$PORT/x/nowhere"
sleep 0.2
grep -q '^<30>.* webrunnerd\[[0-9]*\]: net: access .*"GET /x/nowhere" 404' \
    "$LOG" || fail "network process's access line not in syslog"
# LOG_DAEMON at LOG_CRIT is <26>; the runner is pid 1 of its namespace.
grep -q '^<26>.* webrunnerd\[1\]: runner: unexpected message [0-9]* from the monitor$' \
    "$LOG" || fail "runner's last words not in syslog"
grep -q '^<26>.* webrunnerd\[[0-9]*\]: template: unexpected message [0-9]* from the monitor$' \
    "$LOG" || fail "template's last words not in syslog"
pass
