# Sourced by every regress/t-*.sh test.  Starts the in-tree daemon as root
# in the foreground on a free loopback port with a temporary config, waits
# for it, shows its log when the test fails, and stops it cleanly.
#
#	start_daemon [extra config lines]	port in $PORT, pid in $DPID
#						(run through $WRAP if set)
#
# The daemon starts with program mode off, so that what a kernel-mode
# test counts (runners, cgroups, processes) is the kernel runners'; a
# program-mode test sets PROGRAM=yes before start_daemon.
#	fail "why"				test fails, log shown
#	skip "why"				test skipped (exit 77)
#	pass					test passed (exit 0)
#	check_run OBJECT QUERY CODE PATTERN	a kernel run's answer

# The tree's top: the nearest folder above the test that holds this file,
# so tests in subfolders of regress/ find it too.
TOP=$(cd "$(dirname "$0")" && while [ ! -f regress/test-exec.sh ] &&
    [ "$PWD" != / ]; do cd ..; done && pwd)
OBJ=$(mktemp -d /tmp/webrunnerd-regress.XXXXXX)
CONF=$OBJ/webrunnerd.conf
LOG=$OBJ/log
DPID=
PORT=
TESTNAME=$(basename "$0" .sh)

cleanup() {
	stop_daemon
	rm -rf "$OBJ"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $TESTNAME: $*"
	if [ -s "$LOG" ]; then
		echo "--- daemon log (access lines left out) ---"
		grep -v '^net\[[0-9]*\]: access ' "$LOG" | tail -40
		echo "------------------"
	fi
	exit 1
}

skip() {
	echo "SKIP: $TESTNAME: $*"
	exit 77
}

pass() {
	exit 0
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Processes whose executable is one of ours (monitor, net, runners,
# steppers).
daemon_pids() {
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		case "$exe" in
		"$TOP"/webrunnerd|"$TOP"/webrunnerd-net|"$TOP"/webrunnerd-runner|\
		"$TOP"/webrunnerd-stepper)
			echo "${p#/proc/}" ;;
		esac
	done
}

# The runner templates run webrunnerd-runner too, but are not runners.
is_template() {
	case "$(cat "/proc/$1/comm" 2>/dev/null)" in
	wr-template|wr-ptemplate) return 0 ;;
	esac
	return 1
}

# The pid of the monitor's runner template.
template_pid() {
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = wr-template ] || continue
		[ "$(awk '/^PPid:/ { print $2 }' "$p/status")" = "$DPID" ] &&
		    { echo "${p#/proc/}"; return 0; }
	done
	return 1
}

# The pid of a child of the monitor running the given executable (for
# webrunnerd-runner: a runner, not the template).
child_pid() {
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		[ "$exe" = "$TOP/$1" ] || continue
		is_template "${p#/proc/}" && continue
		ppid=$(awk '/^PPid:/ { print $2 }' "$p/status" 2>/dev/null)
		[ "$ppid" = "$DPID" ] && { echo "${p#/proc/}"; return 0; }
	done
	return 1
}

write_config() {
	PORT=$(free_port)
	{
		echo "listen on 127.0.0.1 port $PORT"
		echo "kernels \"$TOP/kernels\""
		echo "program ${PROGRAM:-no}"
		for line in "$@"; do echo "$line"; done
	} > "$CONF"
}

# Wait up to 5 s until a GET of the path gives the wanted code, as a
# reload takes effect; the last code in $code.
wait_code() {
	i=0
	while [ $i -lt 50 ]; do
		code=$(curl -s -o /dev/null -w '%{http_code}' "$(url "$2")")
		[ "$code" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Wait until `curl -I` on the monitor route gives the wanted code.
wait_monitor() {
	want=${1:-200}
	i=0
	while [ $i -lt 100 ]; do
		code=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' -I \
		    "http://127.0.0.1:$PORT/x/monitor")
		[ "$code" = "$want" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Whether a hardware counter of instructions opens here, as the monitor
# asks (monitor/stepper.c, host_pmu()): perf_event_open(2) of
# PERF_COUNT_HW_INSTRUCTIONS, user space only.
perf_counts() {
	python3 - <<'EOF'
import ctypes, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
attr = bytearray(128)
struct.pack_into("IIQ", attr, 0, 0, len(attr), 1)
# disabled, exclude_kernel, exclude_hv
struct.pack_into("Q", attr, 40, 1 | 1 << 5 | 1 << 6)
buf = ctypes.create_string_buffer(bytes(attr), len(attr))
sys.exit(0 if libc.syscall(298, buf, 0, -1, -1, 0) >= 0 else 1)
EOF
}

start_daemon() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -n "$PORT" ] || write_config "$@"
	# Unquoted: WRAP is a command with its arguments.
	$WRAP "$TOP/webrunnerd" -d -f "$CONF" > "$LOG" 2>&1 &
	DPID=$!
	wait_monitor 200 || fail "daemon did not become ready on port $PORT"
}

stop_daemon() {
	[ -n "$DPID" ] || return 0
	kill -TERM "$DPID" 2>/dev/null
	i=0
	while kill -0 "$DPID" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null
	DPID=
}

url() {
	echo "http://127.0.0.1:$PORT$1"
}

# POST an object: post OBJECT QUERY [curl args]; body in $OBJ/body,
# status code printed.
post() {
	o=$1
	q=$2
	shift 2
	curl -s -o "$OBJ/body" -w '%{http_code}' --max-time 30 \
	    -H 'Content-Type: application/octet-stream' \
	    --data-binary @"$o" "$@" "$(url "/local/run?$q")"
}

# check_run OBJECT QUERY CODE PATTERN: post the object; the answer must
# have that HTTP code and a line matching the pattern.
check_run() {
	code=$(post "$1" "$2")
	[ "$code" = "$3" ] || fail "$(basename "$1") $2: got $code, want $3:" \
	    "$(cat "$OBJ/body")"
	grep -q "$4" "$OBJ/body" || fail "$(basename "$1") $2: body" \
	    "'$(cat "$OBJ/body")' lacks '$4'"
}

# Runner processes of our monitor, the template not counted.
runner_count() {
	n=0
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		[ "$exe" = "$TOP/webrunnerd-runner" ] || continue
		is_template "${p#/proc/}" && continue
		ppid=$(awk '/^PPid:/ { print $2 }' "$p/status" 2>/dev/null)
		[ "$ppid" = "$DPID" ] && n=$((n + 1))
	done
	echo $n
}

# The names of a monitor's runner cgroups (default: ours), one a line.
runner_cgroups() {
	find /sys/fs/cgroup -maxdepth 6 -type d \
	    -path "*webrunnerd/runner-${1:-$DPID}-*" \
	    2>/dev/null | xargs -r -n1 basename | sort -u
}

# How many runner cgroups are left under the daemon's cgroup directory.
leftover_cgroups() {
	runner_cgroups "$@" | wc -l
}

# Every process below the given one (default: the monitor), one a line.
descendants() {
	ps -e -o pid=,ppid= | awk -v top="${1:-$DPID}" '
	    { parent[$1] = $2 }
	    END {
		for (p in parent) {
			q = parent[p]
			while (q != top && q in parent && q > 1)
				q = parent[q]
			if (q == top)
				print p
		}
	    }'
}

# A process's open descriptors, those of them that are memfds, its RSS.
fd_count() {
	ls "/proc/$1/fd" 2>/dev/null | wc -l
}
memfd_count() {
	for f in /proc/"$1"/fd/*; do readlink "$f"; done 2>/dev/null |
	    grep -c '^/memfd:'
}
rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}
