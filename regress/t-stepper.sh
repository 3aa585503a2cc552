# The stepper, seen from outside while it single-steps a kernel: its own
# program, the monitor's child, the stepped runner's uid, CAP_SYS_PTRACE
# and no other capability, even in its bounding set, no_new_privs, a
# seccomp filter, nothing open but its socket to the monitor; the count
# it gives is exact.  It stays for the slot's next runners, detached
# between them, at most one per slot; one that dies is started again;
# they go with the daemon.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
perf_counts && skip "a hardware PMU counts instructions here, so nothing" \
    "is single-stepped (regress/unit/t_counters steps kernels itself)"
start_daemon "runners 1" "time-limit 60s" "single-step-limit 1000000"
# loop: 5 * iterations + 3, some tens of microseconds a step.
N=20000
post "$TOP/kernels/loop.o" "kernel=loop&iterations=$N" > "$OBJ/code" &
CURL=$!
spid=
i=0
while [ $i -lt 1000 ]; do
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = wr-stepper ] || continue
		[ "$(awk '/^PPid:/ { print $2 }' "$p/status" 2>/dev/null)" = \
		    "$DPID" ] || continue
		# Past its attach: a runner it traces has its uid.
		r=$(grep -l "^TracerPid:[[:space:]]*${p#/proc/}\$" \
		    /proc/[0-9]*/status 2>/dev/null | head -1)
		[ -n "$r" ] || continue
		ruid=$(awk '/^Uid:/ { print $2 }' "$r")
		[ "$(awk '/^Uid:/ { print $2 $3 $4 $5 }' "$p/status")" = \
		    "$ruid$ruid$ruid$ruid" ] || continue
		spid=${p#/proc/}
		break
	done
	[ -n "$spid" ] && break
	kill -0 $CURL 2>/dev/null || break
	i=$((i + 1))
	sleep 0.01
done
[ -n "$spid" ] || fail "no stepper seen attached to a runner"
st=/proc/$spid/status
[ "$(readlink "/proc/$spid/exe")" = "$TOP/webrunnerd-stepper" ] ||
    fail "the stepper runs $(readlink "/proc/$spid/exe")"
r=${r%/status}
[ "$(readlink "$r/exe")" = "$TOP/webrunnerd-runner" ] ||
    fail "the stepper traces $(readlink "$r/exe"), not a runner"
[ "$(awk '/^PPid:/ { print $2 }' "$r/status")" = "$DPID" ] ||
    fail "the traced runner is not the monitor's"
case "$ruid" in
0|"$(id -u _webrunner)") fail "the stepper runs as $ruid" ;;
esac
[ "$(awk '/^Gid:/ { print $2 $3 $4 $5 }' "$st")" = "$ruid$ruid$ruid$ruid" ] ||
    fail "the stepper's groups: $(grep ^Gid: "$st")"
# CAP_SYS_PTRACE is bit 19.
for c in CapEff CapPrm CapBnd; do
	grep -q "^$c:[[:space:]]*0000000000080000" "$st" ||
	    fail "the stepper's $(grep "^$c:" "$st")"
done
for c in CapInh CapAmb; do
	grep -q "^$c:[[:space:]]*0000000000000000" "$st" ||
	    fail "the stepper's $(grep "^$c:" "$st")"
done
grep -q '^NoNewPrivs:[[:space:]]*1' "$st" || fail "the stepper's NoNewPrivs"
grep -q '^Seccomp:[[:space:]]*2' "$st" || fail "the stepper has no filter"
fds=$(ls /proc/$spid/fd | tr '\n' ' ')
[ "$fds" = "3 " ] || fail "the stepper holds descriptors $fds, not 3 alone"
case "$(readlink /proc/$spid/fd/3)" in
socket:*) ;;
*) fail "the stepper's descriptor 3 is $(readlink /proc/$spid/fd/3)" ;;
esac
wait $CURL
[ "$(cat "$OBJ/code")" = 200 ] ||
    fail "the stepped run: $(cat "$OBJ/code"): $(cat "$OBJ/body")"
grep -qx "Instructions: $((5 * N + 3))" "$OBJ/body" ||
    fail "not the exact count: $(cat "$OBJ/body")"
# Reported and detached; kept for the next runners, one per slot at most
# (a pool of one runner has two slots).
for i in 1 2 3 4 5 6; do
	check_run "$TOP/kernels/loop.o" "kernel=loop&iterations=10" 200 \
	    '^Instructions: 53$'
done
[ "$(cat "/proc/$spid/comm" 2>/dev/null)" = wr-stepper ] ||
    fail "the stepper did not stay for the slot's next runner"
steppers() {
	ps -e -o pid=,ppid=,comm= | awk -v m="$DPID" \
	    '$2 == m && $3 == "wr-stepper" { print $1 }'
}
[ "$(steppers | wc -l)" -le 2 ] || fail "steppers: $(steppers | xargs)"
traced=$(grep -l "^TracerPid:[[:space:]]*[1-9]" /proc/[0-9]*/status \
    2>/dev/null | while read -r f; do
	    t=$(awk '/^TracerPid:/ { print $2 }' "$f")
	    steppers | grep -qx "$t" && echo "${f%/status}"
    done)
[ -z "$traced" ] || fail "a stepper still traces $traced between jobs"
# A stepper that dies is logged and started again for its slot's next
# job; the counts stay exact.
kill -KILL $(steppers)
for i in 1 2 3 4; do
	check_run "$TOP/kernels/loop.o" "kernel=loop&iterations=10" 200 \
	    '^Instructions: 53$'
done
grep -q "runner slot [0-9]*: the stepper ended" "$LOG" ||
    fail "a stepper's end was not logged"
[ -n "$(steppers)" ] || fail "no stepper after the others were killed"
all=$(steppers)
stop_daemon
for p in $all; do
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" != wr-stepper ] ||
	    fail "stepper $p outlived the daemon"
done
pass
