# A kernel runner's slot keeps its cgroup for its next runner instead of
# making and removing one per runner: nothing of one request may reach
# the next through it.  A memory-limit kill is not told of the slot's
# next runner, a lowered limit is raised again, and a cgroup with
# anything still in it is replaced, what is in it killed.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
start_daemon "runners 1" "memory-limit 128M" "time-limit 5s"
K=$TOP/regress/kernels
check_run "$TOP/kernels/sdot.o" "kernel=sdot" 200 "^Cycles: "
sleep 0.3
before=$(runner_cgroups)
[ "$(echo "$before" | wc -l)" = 2 ] ||
    fail "runners 1 keeps 2 runners, in 2 cgroups: $before"

# Two slots serve in turn: four rounds give each of them a kill by the
# memory limit, a full-limit run and a runner killed after it.
for r in 1 2 3 4; do
	check_run "$TOP/kernels/triad.o" \
	    "kernel=triad&n=2000000&repeat=1&memory-limit=32M" 422 \
	    "^Memory limit exceeded: used more than 33554432 bytes"
	# 48M of buffers: the slot's next runner has 128M again.
	check_run "$TOP/kernels/triad.o" "kernel=triad&n=2000000&repeat=1" 200 \
	    "^Cycles: "
	# A runner killed outright after a kill is told as itself, not as
	# the kill again (int 0x80: SIGSYS from its seccomp filter).
	check_run "$K/int80.o" "kernel=playground" 422 \
	    "^Dangerous syscall: .*int 0x80"
done
sleep 0.3
after=$(runner_cgroups)
[ "$after" = "$before" ] ||
    fail "the slots did not keep their cgroups: before $before, after $after"
echo "12 runs, each slot's cgroup kept:" $after

# Something put into a slot's cgroup from outside stays after its runner
# is gone: the cgroup is not reused but replaced, and what was in it
# is killed.
victim=$(echo "$before" | head -1)
# The memory hierarchy's on v1, where the monitor looks.
m=/sys/fs/cgroup/memory
[ -d $m ] || m=/sys/fs/cgroup
d=$(find $m -maxdepth 6 -type d -name "$victim" | head -1)
sleep 60 &
spid=$!
echo $spid > "$d/cgroup.procs" || fail "cannot move a process into $d"
for i in 1 2 3; do
	check_run "$TOP/kernels/sdot.o" "kernel=sdot" 200 "^Cycles: "
done
sleep 0.3
grep -q "cgroup .*$victim still has processes; a new one takes its place" \
    "$LOG" || fail "the replacement is not logged"
kill -0 $spid 2>/dev/null && fail "the process left in $victim lives on"
runner_cgroups | grep -qx "$victim" && fail "$victim is still there"
[ "$(runner_cgroups | wc -l)" = 2 ] || fail "cgroups now: $(runner_cgroups)"
wait $spid 2>/dev/null
echo "replaced: $victim, by" $(runner_cgroups | grep -vxF "$before")
check_run "$TOP/kernels/sdot.o" "kernel=sdot" 200 "^Cycles: "
stop_daemon
[ "$(leftover_cgroups)" = 0 ] || fail "cgroups left: $(leftover_cgroups)"
pass
