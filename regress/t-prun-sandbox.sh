# The program runner's sandbox, as a submitted program finds it: the
# host's /usr, /etc, /root, / and /bin cannot be written, /w and /tmp
# can; the daemon's own port cannot be reached; /proc shows only the
# command's own processes; the working directory is /w; unshare(2) is a
# Dangerous Syscall named in `error'.  g++ compiles an a+b program in
# the sandbox and runs it.  Afterwards nothing of any run is left on the
# host: no process of a program runner's uid, no runner cgroup once the
# daemon is stopped, no file the runs tried to write.
. "$(dirname "$0")/test-exec.sh"
command -v python3 > /dev/null || skip "no python3"
command -v g++ > /dev/null || skip "no g++"
PROGRAM=yes
start_daemon "program runners 2" "program runner-uid 63000"
python3 "$TOP/regress/prun.py" "$PORT" sandbox gpp > "$OBJ/out" 2>&1 ||
    fail "$(cat "$OBJ/out")"
for d in /usr /etc /root / /bin; do
	[ -e "$d/webrunnerd-probe" ] && fail "a run wrote $d/webrunnerd-probe"
done
# Program runners exec what they run, with the host's address
# randomization; only kernel runners go without (monitor/spawn.c).
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = wr-ptemplate ] || continue
	[ $(( 0x$(cat $p/personality) & 0x40000 )) = 0 ] ||
	    fail "program template's personality is $(cat $p/personality)"
	pt=$p
done
[ -n "$pt" ] || fail "no program template"
mine=$DPID
stop_daemon
left=$(ps -eo uid=,pid=,comm= | awk '$1 >= 63000 && $1 < 63512')
[ -z "$left" ] || fail "processes left of program runners: $left"
for c in /sys/fs/cgroup/memory /sys/fs/cgroup/pids /sys/fs/cgroup; do
	[ -d "$c" ] || continue
	found=$(find "$c" -maxdepth 6 -type d -name "runner-$mine-p*" 2>/dev/null |
	    head -3)
	[ -z "$found" ] || fail "cgroups left: $found"
done
pass
