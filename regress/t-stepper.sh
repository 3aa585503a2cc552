# The stepper, seen from outside while it single-steps a kernel: its own
# program, the monitor's child, the stepped runner's uid and no
# capability, nothing open but its pipe to the monitor; the count it
# gives is exact, and once it has reported it is gone.
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
case "$ruid" in 0|"$(id -u _webrunner)") fail "the stepper runs as $ruid" ;; esac
[ "$(awk '/^Gid:/ { print $2 $3 $4 $5 }' "$st")" = "$ruid$ruid$ruid$ruid" ] ||
    fail "the stepper's groups: $(grep ^Gid: "$st")"
for c in CapEff CapPrm CapInh CapAmb; do
	grep -q "^$c:[[:space:]]*0000000000000000" "$st" ||
	    fail "the stepper's $(grep "^$c:" "$st")"
done
fds=$(ls /proc/$spid/fd | tr '\n' ' ')
[ "$fds" = "3 " ] || fail "the stepper holds descriptors $fds, not 3 alone"
case "$(readlink /proc/$spid/fd/3)" in
pipe:*) ;;
*) fail "the stepper's descriptor 3 is $(readlink /proc/$spid/fd/3)" ;;
esac
wait $CURL
[ "$(cat "$OBJ/code")" = 200 ] ||
    fail "the stepped run: $(cat "$OBJ/code"): $(cat "$OBJ/body")"
grep -qx "Instructions: $((5 * N + 3))" "$OBJ/body" ||
    fail "not the exact count: $(cat "$OBJ/body")"
# Reported, detached, reaped.
i=0
while [ -d "/proc/$spid" ] &&
    [ "$(cat "/proc/$spid/comm" 2>/dev/null)" = wr-stepper ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "the stepper is still there after the answer"
	sleep 0.1
done
pass
