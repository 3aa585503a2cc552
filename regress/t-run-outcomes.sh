# Each execution outcome, triggered by a purpose-built kernel, is told to
# the client with its cause, and nothing of the run remains.
. "$(dirname "$0")/test-exec.sh"
start_daemon "time-limit 1s" "memory-limit 64M" "runners 2"
K=$TOP/regress/kernels
check() {
	code=$(post "$1" "$2")
	[ "$code" = "$3" ] || fail "$1: got $code, want $3: $(cat "$OBJ/body")"
	grep -q "$4" "$OBJ/body" || fail "$1: body '$(cat "$OBJ/body")' lacks '$4'"
}
check "$K/spin.o" "kernel=playground" 422 "^Time limit exceeded"
check "$K/ud2.o" "kernel=playground" 422 "^Signalled: SIGILL at .text+0x0"
check "$K/selfwrite.o" "kernel=playground" 422 "^Signalled: SIGSEGV.* at .text+0x7"
check "$K/nullread.o" "kernel=playground" 422 "address 0x0 at .text+0x2"
check "$K/int3.o" "kernel=playground" 422 "^Signalled: SIGTRAP"
check "$K/sys_getpid.o" "kernel=playground" 422 "^Dangerous syscall: getpid (39)"
check "$K/sys_open.o" "kernel=playground" 422 "^Dangerous syscall: openat (257)"
check "$K/sys_socket.o" "kernel=playground" 422 "^Dangerous syscall: socket (41)"
check "$K/sys_fork.o" "kernel=playground" 422 "^Dangerous syscall: fork (57)"
check "$K/int80.o" "kernel=playground" 422 "^Dangerous syscall: .*int 0x80"
# Buffers beyond the runner's cgroup memory limit: 3 x 8M doubles = 192M.
check "$TOP/kernels/triad.o" "kernel=triad&n=8000000" 422 "^Memory limit exceeded"
# JSON carries the same outcome.
code=$(post "$K/ud2.o" "kernel=playground" -H 'Accept: application/json')
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["status"]=="Signalled", d' "$OBJ/body" || fail "JSON outcome: $(cat "$OBJ/body")"
# After all of that: the next request succeeds, nothing is left behind.
check "$TOP/kernels/playground.o" "kernel=playground" 200 "^Cycles: "
sleep 0.5
n=$(runner_count)
[ "$n" -le 4 ] || fail "$n runner processes, pool is 4 (runners 2)"
[ "$(leftover_cgroups)" -le 4 ] || fail "cgroups left: $(leftover_cgroups)"
pass
