# copyIn and copyOut (go-judge's files of a command in /w): copyIn
# contents are there before the command starts, parents made and
# executable; a copyIn that cannot be made is a File Error and nothing
# runs.  copyOut brings regular files of /w back, optional names (a
# trailing ?) may be missing, copyOutMax refuses or truncates, and no
# link, FIFO or directory a program leaves can make the daemon read
# anything else: each is a File Error of go-judge's type.  Paths that
# leave /w are a 400.  Nothing of any run is left on the host.
. "$(dirname "$0")/test-exec.sh"
command -v python3 > /dev/null || skip "no python3"
PROGRAM=yes
start_daemon "program runners 2" "program tmpfs-size 1M"
python3 "$TOP/regress/prun.py" "$PORT" copyin copyout copyout_escape \
    > "$OBJ/out" 2>&1 || fail "$(cat "$OBJ/out")"
pass
