# The cgroup v2 code path, on this host's cgroup2 hierarchy: runners live
# in their own v2 cgroups below the daemon's, the time limit kills through
# them, a slot's next runner takes its cgroup over, and they are removed
# at shutdown.
. "$(dirname "$0")/test-exec.sh"
# A mount of our own with nsdelegate, as systemd mounts cgroup2: the
# kernel then lets a process into a cgroup only if its cgroup namespace
# can see both ends.  The option holds for the whole hierarchy, so a
# hierarchy that lacked it gets it back off at the end.
CG2=$OBJ/cg2
mkdir -p "$CG2"
had=$(awk '$3 == "cgroup2" && $4 ~ /nsdelegate/ { print "yes"; exit }' \
    /proc/mounts)
mount -t cgroup2 -o nsdelegate none "$CG2" 2>/dev/null ||
    skip "cannot mount cgroup2 with nsdelegate"
# The daemon runs in a cgroup of its own below ours, as a systemd unit
# with Delegate=yes does: it must move itself into a leaf (<own>/monitor)
# before it may hand controllers down, and runners then go below
# <own>/webrunnerd, beside the monitor and the template rather than
# below them.
top=$(sed -n 's/^0:://p' /proc/self/cgroup)
[ "$top" = / ] && top=
own=$top/webrunnerd-test-$$
mkdir "$CG2$own" || fail "cannot make $CG2$own"
# Read-only to its owner, as a container runtime mounts the hierarchy's
# root: only root's CAP_DAC_OVERRIDE makes directories there, so the
# monitor makes its own before it gives that capability up.
chmod 0555 "$CG2$own" || fail "cannot chmod $CG2$own"
trap 'stop_daemon; rmdir "$CG2$own/monitor" "$CG2$own/webrunnerd" "$CG2$own"
    [ -n "$had" ] || mount -o remount none "$CG2"
    umount "$CG2"; rm -rf "$OBJ"' EXIT
cat > "$OBJ/incg" <<EOF
echo \$\$ > "$CG2$own/cgroup.procs" || exit 1
exec "\$@"
EOF
WRAP="sh $OBJ/incg"
start_daemon "cgroup-v2 \"$CG2\"" "runners 2" "time-limit 1s"
grep -qx "$DPID" "$CG2$own/monitor/cgroup.procs" ||
    fail "the monitor is not in the leaf $CG2$own/monitor"
t=$(template_pid) || fail "no template"
grep -qx "0::$own/monitor" "/proc/$t/cgroup" ||
    fail "template in $(cat "/proc/$t/cgroup"), not in $own/monitor"
# A hierarchy without the memory controller (v1 holds it here) is said.
if ! grep -qw memory "$CG2$own/cgroup.controllers"; then
	grep -q "cgroup v2 at $CG2$own has no memory.* not enforced" "$LOG" ||
	    fail "no warning about the missing memory controller"
fi
r=$(child_pid webrunnerd-runner) || fail "no runner waiting"
line=$(grep '^0::' /proc/$r/cgroup)
case "$line" in
"0::$own/webrunnerd/runner-$DPID-"*) ;;
*) fail "runner $r is in '$line', not below $own/webrunnerd" ;;
esac
dir=$CG2${line#0::}
[ -d "$dir" ] || fail "no directory $dir"
grep -qx "$r" "$dir/cgroup.procs" || fail "runner not in $dir/cgroup.procs"
# v2 only: the runner is not put into a v1 memory cgroup of ours.
grep -q ':memory:.*webrunnerd' /proc/$r/cgroup && fail "runner also in v1"
# Runs work, and the time limit kills through the v2 cgroup.
code=$(post "$TOP/kernels/sdot.o" "kernel=sdot")
[ "$code" = 200 ] || fail "sdot: $code $(cat "$OBJ/body")"
code=$(post "$TOP/regress/kernels/spin.o" "kernel=playground")
[ "$code" = 422 ] || fail "spin: $code $(cat "$OBJ/body")"
grep -q '^Time limit exceeded' "$OBJ/body" || fail "spin: $(cat "$OBJ/body")"
# A used runner's cgroup is kept for its slot's next runner, which is
# then all it holds; no more cgroups than slots.  Half the pool waits
# while the other half runs: use runners until the one looked at above
# has served.
i=0
while [ -d "/proc/$r" ] && [ $i -lt 10 ]; do
	post "$TOP/kernels/sdot.o" "kernel=sdot" > /dev/null
	i=$((i + 1))
done
[ -d "/proc/$r" ] && fail "runner $r served none of $i runs"
sleep 0.5
[ -d "$dir" ] || fail "$dir not kept for its slot's next runner"
procs=$(cat "$dir/cgroup.procs")
[ "$(echo "$procs" | wc -w)" = 1 ] && [ "$procs" != "$r" ] ||
    fail "$dir holds '$procs' after runner $r, not one new runner"
grep -qx "0::${dir#$CG2}" "/proc/$procs/cgroup" ||
    fail "$procs is in $(cat /proc/$procs/cgroup), not in $dir"
n=$(ls -d "$CG2$own"/webrunnerd/runner-$DPID-* 2>/dev/null | wc -l)
[ "$n" -le 4 ] || fail "$n v2 runner cgroups for a pool of 4 (runners 2)"
stop_daemon
n=$(ls -d "$CG2$own"/webrunnerd/runner-$DPID-* 2>/dev/null | wc -l)
[ "$n" = 0 ] || fail "$n v2 runner cgroups left after shutdown"
pass
