# Objects from gcc, clang, PeachPy, nasm and GNU as all load and run in a
# real sandboxed runner, cloned by the runner template as the monitor has
# it cloned (regress/rundriver), and the three sdot builds compute the same
# dot product.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
D=$TOP/regress/rundriver
src=$TOP/kernels/sdot.c
gcc -O2 -c -o "$OBJ/sdot-gcc.o" "$src" || fail "gcc"
clang -O2 -c -o "$OBJ/sdot-clang.o" "$src" || fail "clang"
/usr/bin/python3 -m peachpy.x86_64 -mabi=sysv -mimage-format=elf \
    -o "$OBJ/sdot-peachpy.o" "$TOP/kernels/sdot_peachpy.py" || fail "peachpy"
for c in gcc clang peachpy; do
	"$D" -j -k "$TOP/kernels" -o "$OBJ/sdot-$c.o" 'kernel=sdot&n=1000&repeat=3' \
	    > "$OBJ/$c.json" || fail "$c object: $(cat "$OBJ/$c.json")"
done
python3 - "$OBJ" <<'PY' || fail "results differ"
import json, sys
r = [json.load(open(f"{sys.argv[1]}/{c}.json"))["return"] for c in ("gcc", "clang", "peachpy")]
assert all(abs(x - r[0]) <= 1e-3 * abs(r[0]) for x in r), r
PY
"$D" -k "$TOP/kernels" -o "$TOP/kernels/triad.o" 'kernel=triad' > "$OBJ/out" || fail "nasm object: $(cat "$OBJ/out")"
"$D" -j -k "$TOP/kernels" -o "$TOP/kernels/loop.o" 'kernel=loop&iterations=77' > "$OBJ/out" || fail "as object: $(cat "$OBJ/out")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["status"] == "OK", d' "$OBJ/out" || fail "loop: $(cat "$OBJ/out")"
pass
