# copyIn and copyOut (go-judge's files of a command in /w): copyIn
# contents are there before the command starts, parents made and
# executable; a copyIn that cannot be made is a File Error and nothing
# runs.  copyOut brings regular files of /w back, optional names (a
# trailing ?) may be missing, copyOutMax refuses or truncates, and no
# link, FIFO or directory a program leaves can make the daemon read
# anything else: each is a File Error of go-judge's type.  Paths that
# leave /w are a 400.  `src' host files are read only beneath the
# directory `program src-allow' names: a path outside it, or a way out
# by .. or a link, is a 400; a missing file a File Error.
. "$(dirname "$0")/test-exec.sh"
command -v python3 > /dev/null || skip "no python3"
PROGRAM=yes
SRCDIR=$OBJ/data
mkdir -p "$SRCDIR/sub"
printf '1 2\n' > "$SRCDIR/1.in"
echo s3cret > "$OBJ/secret"
ln -s /etc/passwd "$SRCDIR/esc"
ln -s ../secret "$SRCDIR/up"
ln -s 1.in "$SRCDIR/inside"
export SRCDIR
start_daemon "program runners 2" "program tmpfs-size 1M" \
    "program src-allow \"$SRCDIR/\""
python3 "$TOP/regress/prun.py" "$PORT" copyin copyout copyout_escape src \
    > "$OBJ/out" 2>&1 || fail "$(cat "$OBJ/out")"
pass
