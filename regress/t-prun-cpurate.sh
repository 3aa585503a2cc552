# cpuRateLimit: a program gets that share of a CPU and no more, through
# the cpu controller of its runner's cgroup (v1: the cpu hierarchy, with
# cpu.cfs_quota_us; v2: cpu.max), and the same program without it has
# the CPU to itself.  On v1 the daemon runs in a cpu cgroup of its own,
# as systemd's Delegate=yes gives a unit one: the daemon keeps no
# CAP_DAC_OVERRIDE, so it could not make its directory at a root owned
# by another mode.
. "$(dirname "$0")/test-exec.sh"
command -v python3 > /dev/null || skip "no python3"
[ "$(id -u)" = 0 ] || skip "needs root"
CPU=/sys/fs/cgroup/cpu
own=
if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ] && [ -d $CPU ]; then
	own=$CPU/webrunnerd-test-$$
	mkdir "$own" || skip "cannot make $own"
	trap 'stop_daemon; rmdir "$own/webrunnerd" "$own"; rm -rf "$OBJ"' EXIT
	cat > "$OBJ/incg" <<EOS
echo \$\$ > "$own/cgroup.procs" || exit 1
exec "\$@"
EOS
	WRAP="sh $OBJ/incg"
fi
PROGRAM=yes
start_daemon "program runners 2"
grep -q "cpuRateLimit is not enforced" "$LOG" &&
    skip "$(grep -m1 "cpuRateLimit is not enforced" "$LOG")"
python3 "$TOP/regress/prun.py" "$PORT" cpurate > "$OBJ/out" 2>&1 ||
    fail "$(cat "$OBJ/out")"
cat "$OBJ/out"
if [ -n "$own" ]; then
	n=$(ls -d "$own"/webrunnerd/runner-$DPID-* 2>/dev/null | wc -l)
	[ "$n" -le 4 ] || fail "$n runner cgroups in $own for 4 slots"
	stop_daemon
	n=$(ls -d "$own"/webrunnerd/runner-* 2>/dev/null | wc -l)
	[ "$n" = 0 ] || fail "$n runner cgroups left in $own"
fi
pass
