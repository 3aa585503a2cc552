# SIGKILL of the network process: the monitor starts a new one.
. "$(dirname "$0")/test-exec.sh"
start_daemon
npid=$(child_pid webrunnerd-net) || fail "no network process"
kill -KILL "$npid"
sleep 0.2
wait_monitor 200 || fail "monitor route does not answer after the restart"
npid2=$(child_pid webrunnerd-net) || fail "no new network process"
[ "$npid2" != "$npid" ] || fail "same pid"
grep -q "network process killed by KILL" "$LOG" || fail "restart not logged"
pass
