# Bad requests get a 4xx naming what was wrong; a bad object gets 422;
# in JSON, each is {"status": NAME, "code": CODE, "reason": ...}.
. "$(dirname "$0")/test-exec.sh"
start_daemon
o="$TOP/kernels/sdot.o"
check_run "$o" "kernel=nope" 404 "^Unknown kernel: no kernel 'nope' here; there are: .*sdot"
check_run "$o" "n=5" 400 "kernel"
check_run "$o" "kernel=sdot&offx=64" 400 "offx"
# Event names nobody knows are the request's fault, not the server's.
check_run "$o" "kernel=sdot&events=nosuchevent" 400 "^Bad request: no event can be counted: nosuchevent: unknown event 'nosuchevent'"
check_run "$o" "kernel=sdot&n=18446744073709551616" 400 "'n'"
check_run "$o" "kernel=sdot&n=-1" 400 "'n'"
check_run "$o" "kernel=sdot&n=0x10" 400 "'n'"
check_run "$o" "kernel=sdot&n=1&n=2" 400 "'n'"
check_run "$o" "kernel=sdot&bogus=1" 400 "bogus"
check_run "$o" "kernel=sdot&repeat=1000000000" 400 "repeat"
check_run "$o" "kernel=../etc" 400 "kernel"
check_run /etc/passwd "kernel=sdot" 422 "not an ELF object"
check_run "$TOP/kernels/playground.o" "kernel=sdot" 422 "no symbol 'sdot'"
: > "$OBJ/empty"
check_run "$OBJ/empty" "kernel=sdot" 400 "empty"
head -c 5000000 /dev/zero > "$OBJ/big"
code=$(post "$OBJ/big" "kernel=sdot")
[ "$code" = 413 ] || fail "5 MB body gave $code"
# Every error has one shape, whichever process answers it.
shape() {
	code=$(post "$1" "$2" -H 'Accept: application/json')
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert sorted(d) == ["code", "reason", "status"], d
assert (d["status"], d["code"]) == (sys.argv[2], int(sys.argv[3])), d
assert sys.argv[4] in d["reason"], d' "$OBJ/body" "$3" "$code" "$4" ||
	    fail "$2: JSON error $code: $(cat "$OBJ/body")"
}
shape "$o" "kernel=nope" "Unknown kernel" "no kernel 'nope'"
shape "$o" "kernel=../etc" "Bad request" "bad kernel name"
shape "$o" "kernel=sdot&n=0x10" "Bad request" "not a decimal integer"
shape /etc/passwd "kernel=sdot" "Load error" "not an ELF object"
# The service is still fine after all of that.
code=$(post "$o" "kernel=sdot")
[ "$code" = 200 ] || fail "good request after bad ones gave $code"
pass
