# -n checks the configuration: a broken one names file:line and fails.
. "$(dirname "$0")/test-exec.sh"
write_config
"$TOP/webrunnerd" -n -f "$CONF" > "$OBJ/out" 2>&1 || fail "good config refused: $(cat "$OBJ/out")"
printf 'listen on 127.0.0.1 port 1\nuser _webrunner\nbogus keyword here\nlisten on 127.0.0.1 port 99999\n' > "$OBJ/bad.conf"
if "$TOP/webrunnerd" -n -f "$OBJ/bad.conf" > "$OBJ/out" 2>&1; then
	fail "broken config accepted"
fi
grep -q "bad.conf:3:" "$OBJ/out" || fail "no file:line for line 3: $(cat "$OBJ/out")"
grep -q "bad.conf:4: port 99999 out of range" "$OBJ/out" || fail "no error for line 4: $(cat "$OBJ/out")"
printf 'kernels "%s"\nmax-body 12Q\n' "$TOP/kernels" > "$OBJ/bad2.conf"
"$TOP/webrunnerd" -n -f "$OBJ/bad2.conf" > "$OBJ/out" 2>&1 && fail "bad size accepted"
grep -q "bad2.conf:2: bad size '12Q'" "$OBJ/out" || fail "bad size: $(cat "$OBJ/out")"
# A broken kernel spec is reported by -n too.
mkdir "$OBJ/k" && echo '{"name": "x", "bogus": 1}' > "$OBJ/k/x.json"
printf 'kernels "%s"\n' "$OBJ/k" > "$OBJ/bad3.conf"
"$TOP/webrunnerd" -n -f "$OBJ/bad3.conf" > "$OBJ/out" 2>&1 && fail "bad spec accepted"
grep -q "x.json" "$OBJ/out" || fail "bad spec not named: $(cat "$OBJ/out")"
pass
