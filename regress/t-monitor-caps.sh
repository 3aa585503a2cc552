# The monitor keeps only the capabilities webrunnerd(8) lists, in its
# bounding set and in its own sets, and still serves runs: at start,
# after its network process is restarted, after a SIGHUP reload, and
# when started under no_new_privs as the systemd unit does.
. "$(dirname "$0")/test-exec.sh"

# Bit numbers from <linux/capability.h>.
CAP_DAC_OVERRIDE=1
CAP_KILL=5
CAP_SETGID=6
CAP_SETUID=7
CAP_SETPCAP=8
CAP_NET_BIND_SERVICE=10
CAP_NET_RAW=13
CAP_SYS_MODULE=16
CAP_SYS_CHROOT=18
CAP_SYS_PTRACE=19
CAP_SYS_ADMIN=21
CAP_SYS_BOOT=22
CAP_SYS_NICE=23

mask() {
	m=0
	for b in "$@"; do m=$((m | (1 << b))); done
	echo $m
}
# What the monitor uses itself, and that with what its children use;
# the latter stay permitted for the children to get under no_new_privs.
SELF=$(mask $CAP_SYS_ADMIN $CAP_KILL $CAP_SYS_NICE)
BOUND=$(mask $CAP_SYS_ADMIN $CAP_KILL $CAP_SYS_NICE $CAP_SETUID \
    $CAP_SETGID $CAP_SYS_CHROOT $CAP_SETPCAP)
# Where no hardware PMU counts instructions, the stepper's ptrace(2)
# needs CAP_SYS_PTRACE; where one does, nothing may hold it.
PTRACE=0
if ! perf_counts; then
	PTRACE=1
	BOUND=$((BOUND | (1 << CAP_SYS_PTRACE)))
fi

# The table in the code and the list in webrunnerd(8) say the same.
names="CAP_KILL CAP_SETGID CAP_SETPCAP CAP_SETUID CAP_SYS_ADMIN \
CAP_SYS_CHROOT CAP_SYS_NICE CAP_SYS_PTRACE"
code=$(sed -n '/^} caps_kept\[\] = {/,/^};/s/^	{ \(CAP_[A-Z_]*\),.*/\1/p' \
    "$TOP/monitor/caps.c" | sort | tr '\n' ' ')
[ "$code" = "$names " ] || fail "monitor/caps.c keeps $code, not $names"
man=$(sed -n '/it or a process it$/,/^\.El/s/^\.It //p' \
    "$TOP/man/webrunnerd.8" | grep -o 'CAP_[A-Z_]*' | sort | tr '\n' ' ')
[ "$man" = "$names " ] || fail "webrunnerd(8) lists $man, not $names"

# The names, for a failure message a person can read.
decode() {
	if command -v capsh >/dev/null; then
		capsh --decode="$1" | sed 's/^0x[0-9a-f]*=//'
	else
		echo "$1"
	fi
}

capset() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# expect PID FIELD MASK
expect() {
	v=$(capset "$1" "$2")
	[ -n "$v" ] || fail "no $2 in /proc/$1/status"
	[ $((0x$v)) = $(($3)) ] || fail "$2 of pid $1 is" \
	    "$(decode "0x$v"), want $(decode "$(printf '0x%x' $(($3)))")"
}

check_monitor() {
	expect "$DPID" CapBnd "$BOUND"
	expect "$DPID" CapPrm "$BOUND"
	expect "$DPID" CapEff "$SELF"
	expect "$DPID" CapInh 0
	expect "$DPID" CapAmb 0
	# What an attacker in the monitor would want most, spelled out.
	bnd=$((0x$(capset "$DPID" CapBnd)))
	for c in CAP_SYS_MODULE CAP_SYS_BOOT CAP_NET_RAW CAP_DAC_OVERRIDE \
	    CAP_NET_BIND_SERVICE $([ $PTRACE = 1 ] || echo CAP_SYS_PTRACE); do
		eval b=\$$c
		[ $((bnd & (1 << b))) = 0 ] || fail "$c left in the bounding set"
	done
}

check_run() {
	code=$(post "$TOP/kernels/sdot.o" "kernel=sdot&n=1000")
	[ "$code" = 200 ] || fail "$1: sdot gave $code: $(cat "$OBJ/body")"
	grep -q '^Task clock (ns): [0-9]' "$OBJ/body" ||
	    fail "$1: no task clock: $(cat "$OBJ/body")"
}

start_daemon
# As started by root, the monitor had all of them to lose.
check_monitor
# The template was exec'd with the monitor's bounding set.
tpid=$(template_pid) || fail "no runner template"
expect "$tpid" CapBnd "$BOUND"
check_run "before a reload"

# A restarted network process is started from the reduced set and
# still drops everything.
npid=$(child_pid webrunnerd-net) || fail "no network process"
kill -KILL "$npid"
i=0
while [ $i -lt 100 ]; do
	n2=$(child_pid webrunnerd-net) && [ "$n2" != "$npid" ] &&
	    [ "$(capset "$n2" CapBnd)" = 0000000000000000 ] && break
	sleep 0.1
	i=$((i + 1))
done
[ $i -lt 100 ] || fail "no new network process with an empty bounding set"
wait_monitor 200 || fail "not serving after the network process restarted"
check_monitor
check_run "after the network process restarted"

echo 'machine-id "caps-1"' >> "$CONF"
kill -HUP "$DPID"
i=0
while [ $i -lt 50 ]; do
	grep -q '^monitor\[[0-9]*\]: reloaded$' "$LOG" && break
	sleep 0.1
	i=$((i + 1))
done
[ $i -lt 50 ] || fail "no reload"
check_monitor
# Runs go to the new machine-id now.
code=$(curl -s -o "$OBJ/body" -w '%{http_code}' --max-time 30 \
    -H 'Content-Type: application/octet-stream' \
    --data-binary @"$TOP/kernels/sdot.o" \
    "$(url "/caps-1/run?kernel=sdot&n=1000")")
[ "$code" = 200 ] || fail "after a reload: sdot gave $code: $(cat "$OBJ/body")"

# Under no_new_privs, as the systemd unit starts it, a program the
# monitor executes gets no capability the monitor has not kept in its
# permitted set: the network process and the runners still start.
stop_daemon
if command -v setpriv >/dev/null; then
	sed -i '/^machine-id/d' "$CONF"
	WRAP="setpriv --no-new-privs"
	start_daemon
	grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$DPID/status" ||
	    fail "setpriv did not set no_new_privs"
	check_monitor
	check_run "under no_new_privs"
else
	echo "note: no setpriv, not tried under no_new_privs"
fi
pass
