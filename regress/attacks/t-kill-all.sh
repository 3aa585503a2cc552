# kill(-1, SIGKILL): refused; a process of the host running as the
# runner's own uid lives on.
. "$(dirname "$0")/attack.sh"
command -v setpriv >/dev/null || skip "no setpriv"
attack_daemon
setpriv --reuid="$RUID" --regid="$RUID" --clear-groups sleep 30 &
victim=$!
k=$(patched "$A/k_kill.o" "pid:-1") || fail "cannot patch the kernel"
expect "$k" "kernel=playground" 422 "^Dangerous syscall: kill \(62\)$"
kill -0 "$victim" 2>/dev/null || fail "the process with the runner uid was killed"
kill "$victim"
wait "$victim" 2>/dev/null
host_clean
pass
