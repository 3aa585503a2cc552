# Sourced by every regress/attacks/t-*.sh.  Each of those tests POSTs one
# hostile kernel and asserts two things: the client is told what happened
# (HTTP code and first line of the answer), and the host shows nothing of
# it afterwards (no process beyond the pool, no cgroup, no file, the target
# untouched, and the service still answers).
#
#	attack_daemon [config lines]	start a daemon with small limits
#	expect OBJECT QUERY CODE ERE	POST, check the code and first line
#	patched OBJECT VALUE		copy of OBJECT with its placeholder
#					replaced (see below), path printed;
#					use as k=$(patched ...) || fail ...
#	make_secret			$SECRET: a file only root may read
#	listener_start / listener_check	a loopback TCP listener that must
#					see no connection but our own
#	host_clean			everything a run must leave behind:
#					as many runner processes, processes
#					with a runner uid and cgroups as the
#					idle daemon had, no file, the secret
#					as it was, and the next run succeeds
#
# Kernels that aim at something on the host carry a 256-byte placeholder
# that starts with "@TARGET@"; `patched' overwrites it with a string (a
# path), "pid:N" (a 32-bit number) or "inet:PORT" (a sockaddr_in for
# 127.0.0.1:PORT), zero-padded, so the test picks the target at run time.

. "$(dirname "$0")/../test-exec.sh"

A=$TOP/regress/attacks
K=$TOP/regress/kernels
SECRET=$OBJ/secret
PWNED=$OBJ/pwned
LISTENER=
# Runner uids of our own (two, for the pool of two), so that no other
# daemon's runner is counted as ours: no other live process has our pid.
RUID=$((100000 + $$ * 2))

attack_daemon() {
	start_daemon "time-limit 1s" "memory-limit 64M" "runners 2" \
	    "runner-uid $RUID" "$@"
	settle || fail "the pool did not fill: $(attack_state)"
	BASE=$(attack_state)
}

# expect OBJECT QUERY CODE ERE: the answer's code, and its first line
# matched by the extended regular expression.
expect() {
	[ -s "$1" ] || fail "no object $1 (make test builds it)"
	code=$(post "$1" "$2")
	line=$(head -n 1 "$OBJ/body")
	[ "$code" = "$3" ] || fail "$(basename "$1"): got $code, want $3: $line"
	printf '%s\n' "$line" | grep -Eq "$4" ||
	    fail "$(basename "$1"): first line '$line' does not match '$4'"
}

patched() {
	out=$OBJ/$(basename "$1" .o)-patched.o
	python3 - "$1" "$out" "$2" <<'EOF' || return 1
import socket, struct, sys
src, dst, val = sys.argv[1:4]
data = bytearray(open(src, "rb").read())
at = data.find(b"@TARGET@")
if at < 0 or data.find(b"@TARGET@", at + 1) >= 0:
	sys.exit("%s: no single placeholder" % src)
if val.startswith("pid:"):
	new = struct.pack("<i", int(val[4:]))
elif val.startswith("inet:"):
	new = struct.pack("<HH4s8x", socket.AF_INET,
	    socket.htons(int(val[5:])), socket.inet_aton("127.0.0.1"))
else:
	new = val.encode() + b"\0"
if len(new) > 256:
	sys.exit("value too long")
data[at:at + 256] = new.ljust(256, b"\0")
open(dst, "wb").write(data)
EOF
	echo "$out"
}

make_secret() {
	echo "the host's secret $$" > "$SECRET"
	chmod 600 "$SECRET"
	cp -p "$SECRET" "$OBJ/secret.orig"
}

# A TCP listener on 127.0.0.1 that logs every connection it accepts and
# gives up after 60 s; its port in $LPORT.  One connection of our own
# proves that it listens.
listener_start() {
	: > "$OBJ/seen"
	python3 - "$OBJ/seen" > "$OBJ/lport" <<'EOF' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
s.settimeout(0.2)
print(s.getsockname()[1], flush=True)
log = open(sys.argv[1], "a")
end = time.time() + 60
while time.time() < end:
	try:
		c, peer = s.accept()
	except socket.timeout:
		continue
	c.settimeout(1)
	try:
		d = c.recv(64)
	except OSError:
		d = b""
	log.write("%r\n" % d)
	log.flush()
	c.close()
EOF
	LISTENER=$!
	i=0
	while [ ! -s "$OBJ/lport" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	LPORT=$(cat "$OBJ/lport")
	[ -n "$LPORT" ] || fail "the listener did not start"
	python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.sendall(b"ours")
s.close()' "$LPORT" || fail "cannot reach our own listener"
}

# Only our own connection reached the listener.
listener_check() {
	sleep 0.3
	kill "$LISTENER" 2>/dev/null
	wait "$LISTENER" 2>/dev/null
	LISTENER=
	[ "$(cat "$OBJ/seen")" = "b'ours'" ] ||
	    fail "the listener saw: $(cat "$OBJ/seen")"
}

# Processes running as one of our runner uids, but the steppers: a
# slot's stepper takes its runner uid and stays for its next runners.
uid_pids() {
	ps -e -o pid=,ruid=,comm= | awk -v u="$RUID" '
	    ($2 == u || $2 == u + 1) && $3 != "wr-stepper" { print $1 }'
}

# Runners anywhere below the monitor.
runner_pids() {
	ps -e -o pid=,ppid=,comm= | awk -v top="$DPID" '
	    { parent[$1] = $2; name[$1] = $3 }
	    END {
		for (p in parent) {
			if (name[p] != "wr-runner")
				continue
			q = parent[p]
			while (q != top && q in parent && q > 1)
				q = parent[q]
			if (q == top)
				print p
		}
	    }'
}

# What an idle daemon has: its runner processes, the processes with a
# runner uid (each pool runner has one), the runner cgroups.
attack_state() {
	echo "$(runner_pids | wc -l) runner processes," \
	    "$(uid_pids | wc -l) with a runner uid," \
	    "$(leftover_cgroups) runner cgroups"
}

# Wait for the pool: both runners confined under their uids, and the
# state the same twice in a row.
settle() {
	prev=
	i=0
	while [ $i -lt 100 ]; do
		cur=$(attack_state)
		case "$cur" in
		*" 2 with a runner uid,"*)
			[ "$cur" = "$prev" ] && return 0 ;;
		esac
		prev=$cur
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

host_clean() {
	kill -0 "$DPID" 2>/dev/null || fail "the monitor is gone"
	# The secret, if there is one, is as it was.
	if [ -f "$OBJ/secret.orig" ]; then
		cmp -s "$SECRET" "$OBJ/secret.orig" || fail "the secret changed"
		[ "$(stat -c '%a %u %Y' "$SECRET")" = \
		    "$(stat -c '%a %u %Y' "$OBJ/secret.orig")" ] ||
		    fail "the secret's mode, owner or time changed"
	fi
	[ ! -e "$PWNED" ] || fail "the attack created $PWNED"
	# The pool refills to what it was: no process, no process with a
	# runner uid and no cgroup more than before the attack.
	i=0
	while [ $i -lt 50 ]; do
		cur=$(attack_state)
		[ "$cur" = "$BASE" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ "$cur" = "$BASE" ] ||
	    fail "before: $BASE; after: $cur; uids: $(uid_pids | xargs)"
	# A stepper per slot at most (a pool of two runners has four), each
	# the monitor's child.  Given as long as the pool to settle: the
	# steppers of the test before, whose monitor was stopped, may still
	# be on their way out, reparented.
	i=0
	while :; do
		n=$(ps -e -o ppid=,comm= | awk -v m="$DPID" '
		    $2 == "wr-stepper" { n++; if ($1 != m) n += 100 }
		    END { print n + 0 }')
		[ "$n" -le 4 ] && break
		[ $i -lt 50 ] || fail "$n steppers, or one not the monitor's" \
		    "child: $(ps -e -o pid=,ppid=,stat=,comm= |
		    awk '$4 == "wr-stepper"' | xargs)"
		sleep 0.1
		i=$((i + 1))
	done
	# And the service goes on.
	expect "$TOP/kernels/playground.o" "kernel=playground" 200 "^Cycles: "
}

# Stop what we started before test-exec.sh cleans up.
attack_cleanup() {
	[ -z "$LISTENER" ] || kill "$LISTENER" 2>/dev/null
	[ -z "$ATTACK_MNT" ] || umount "$ATTACK_MNT" 2>/dev/null
	cleanup
}
ATTACK_MNT=
trap attack_cleanup EXIT
