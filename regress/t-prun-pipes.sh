# Several commands of one request run together, each in a runner of its
# own, joined by go-judge's pipeMapping: straight pipes, and proxies
# through the monitor that keep the first bytes by name.  Hydro's
# interactive shape (a program and an interactor, each one's stdout the
# other's stdin) works; a pair stuck reading each other ends at its
# clock limit; more commands than runners is a 400.  Nothing is left.
. "$(dirname "$0")/test-exec.sh"
command -v python3 > /dev/null || skip "no python3"
PROGRAM=yes
start_daemon "program runners 3"
sleep 1
n0=$(runner_count)
c0=$(leftover_cgroups)
python3 "$TOP/regress/prun.py" "$PORT" pipes > "$OBJ/out" 2>&1 ||
    fail "$(cat "$OBJ/out")"
# As many runners and cgroups as before: nothing of the runs is left.
sleep 1
n=$(runner_count)
c=$(leftover_cgroups)
[ "$n" -le "$n0" ] || fail "$n runners after the runs, $n0 before"
[ "$c" -le "$c0" ] || fail "$c runner cgroups after the runs, $c0 before"
pass
