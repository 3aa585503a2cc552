# shmget(2) of a System V segment: refused, and the IPC namespace the
# runners share with their template still holds none.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_shmget.o" "kernel=playground" 422 "^Dangerous syscall: shmget \(29\)$"
tpid=$(template_pid) || fail "no runner template"
n=$(nsenter -t "$tpid" -i cat /proc/sysvipc/shm | wc -l)
[ "$n" = 1 ] || fail "the runners' IPC namespace holds a segment: $(nsenter -t "$tpid" -i cat /proc/sysvipc/shm)"
host_clean
pass
