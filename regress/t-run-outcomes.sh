# Each execution outcome, triggered by a purpose-built kernel, is told to
# the client with its cause, and nothing of the run remains.
. "$(dirname "$0")/test-exec.sh"
# A kernel's stack is as large as the daemon's RLIMIT_STACK.
ulimit -s 8192 || skip "cannot set RLIMIT_STACK to 8 MB"
start_daemon "time-limit 1s" "memory-limit 64M" "runners 2"
K=$TOP/regress/kernels
check_run "$K/spin.o" "kernel=playground" 422 "^Time limit exceeded"
check_run "$K/ud2.o" "kernel=playground" 422 "^Signalled: SIGILL at .text+0x0"
check_run "$K/selfwrite.o" "kernel=playground" 422 "^Signalled: SIGSEGV.* at .text+0x7"
check_run "$K/nullread.o" "kernel=playground" 422 "address 0x0 at .text+0x2"
check_run "$K/int3.o" "kernel=playground" 422 "^Signalled: SIGTRAP"
check_run "$K/sys_getpid.o" "kernel=playground" 422 "^Dangerous syscall: getpid (39)"
check_run "$K/sys_open.o" "kernel=playground" 422 "^Dangerous syscall: openat (257)"
check_run "$K/sys_socket.o" "kernel=playground" 422 "^Dangerous syscall: socket (41)"
check_run "$K/sys_fork.o" "kernel=playground" 422 "^Dangerous syscall: fork (57)"
check_run "$K/int80.o" "kernel=playground" 422 "^Dangerous syscall: .*int 0x80"
# 6 MB of its 8 MB of stack, then past its end: the page below faults.
check_run "$K/stackdeep.o" "kernel=playground" 200 "^Cycles: "
check_run "$K/stackover.o" "kernel=playground" 422 \
    "^Signalled: SIGSEGV: bad access to address 0x[0-9a-f]* at .text+0x9"
# Buffers beyond the runner's cgroup memory limit: 3 x 8M doubles = 192M.
check_run "$TOP/kernels/triad.o" "kernel=triad&n=8000000" 422 "^Memory limit exceeded"
# JSON carries the same outcome.
code=$(post "$K/ud2.o" "kernel=playground" -H 'Accept: application/json')
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["status"]=="Signalled", d' "$OBJ/body" || fail "JSON outcome: $(cat "$OBJ/body")"
# After all of that: the next request succeeds, nothing is left behind.
check_run "$TOP/kernels/playground.o" "kernel=playground" 200 "^Cycles: "
sleep 0.5
n=$(runner_count)
[ "$n" -le 4 ] || fail "$n runner processes, pool is 4 (runners 2)"
[ "$(leftover_cgroups)" -le 4 ] || fail "cgroups left: $(leftover_cgroups)"
pass
