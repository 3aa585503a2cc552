# Hydro's judge, request for request (regress/hydro.py builds them as
# hydrojudge's sandbox.ts does and reads the answers as it does): the
# /version and /config it checks at its start; a C++ submission and a
# checker compiled with the real g++, the binaries cached by fileId;
# three tests whose inputs and answers are files of the problem's folder
# (src), run by fileId with stdout and stderr cached, read back with
# GET /file/<id>, and judged by a compiled hustoj checker and by Hydro's
# built-in compare.sh: two Accepted, one Wrong Answer (its answer file is
# wrong on purpose); a compile error with g++'s message; Time and Memory
# Limit Exceeded; an interactive problem, the submission and the
# interactor compiled and joined by proxied pipes, judged by what the
# interactor writes; and, every fileId deleted as Hydro deletes them, an
# empty store.
. "$(dirname "$0")/test-exec.sh"
[ -x /usr/bin/g++ ] || skip "no /usr/bin/g++, which Hydro's cc compiles with"
PROGRAM=yes
DATA=$OBJ/problem
mkdir -p "$DATA"
start_daemon "program runners 2" "program src-allow \"$DATA/\""
python3 "$TOP/regress/hydro.py" "$PORT" "$DATA" > "$OBJ/out" 2>&1 ||
    fail "$(cat "$OBJ/out")"
cat "$OBJ/out"
pass
