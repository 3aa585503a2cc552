# Hostile query strings on /run: bad percent-encoding, overlong queries,
# parameters out of range or overflowing (2^64, negative, hex, spaces,
# repeated names) and kernel names that try to leave the spec directory
# (../, /, NUL).  Each gets 400, 404 or 414 with a reason naming what is
# wrong; nothing runs; the network process is never restarted.
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 2"
npid=$(child_pid webrunnerd-net) || fail "no network process"
python3 -B - "$PORT" "$TOP/regress" "$TOP/kernels/sdot.o" <<'PY' || fail "see above"
import json, sys
sys.path.insert(0, sys.argv[2])
import rawhttp as h
port = int(sys.argv[1])
obj = open(sys.argv[3], "rb").read()

def q(query, codes, reason, hdrs=()):
	h.expect(repr(query[:60]), h.exchange(port, h.request(b"POST",
	    b"/x/run?" + query, hdrs, body=obj, close=True)), codes, reason,
	    close=True)

# Numbers: sdot's n is uint64 in 1..16777216.
for v, reason in ((b"18446744073709551616", b"above the maximum"),
    (b"18446744073709551615", b"above the maximum"),
    (b"9223372036854775808", b"above the maximum"),
    (b"99999999999999999999999999", b"above the maximum|out of range"),
    (b"16777217", b"above the maximum"),
    (b"0", b"below the minimum"),
    (b"-1", b"negative"),
    (b"-18446744073709551616", b"negative|out of range"),
    (b"0x10", b"not a decimal integer"),
    (b"1e3", b"not a decimal integer"),
    (b"1.5", b"not a decimal integer"),
    (b"%2010", b"not a decimal integer"),
    (b"10%20", b"not a decimal integer"),
    (b"1%200", b"not a decimal integer"),
    (b"+10", b"not a decimal integer"),
    (b"%2B10", b"not a decimal integer"),
    (b"%ff", b"not a decimal integer"),
    (b"", b"empty value")):
	q(b"kernel=sdot&n=" + v, 400, b"'n'.*" + reason)
q(b"kernel=sdot&repeat=99999999999999999999", 400, b"'repeat'.*above")
q(b"kernel=sdot&repeat=-1", 400, b"'repeat'.*negative")
q(b"kernel=sdot&repeat=0", 400, b"'repeat'.*below")
q(b"kernel=sdot&n=10&n=20", 400, b"'n' given twice")
q(b"kernel=sdot&n=10&N=20", 400, b"unknown parameter 'N'")
q(b"kernel=sdot&bogus=1", 400, b"unknown parameter 'bogus'")
q(b"kernel=sdot&n", 400, b"malformed query")
q(b"kernel=sdot&&&n=1", 400, b"malformed query")

# Kernel names.
for k in (b"../sdot", b"..%2fsdot", b"%2e%2e%2fsdot", b"sd/ot", b"/sdot",
    b"%2fetc%2fpasswd", b"..", b"", b"%00", b"SDOT", b"sdot%zz", b"sdot%",
    b"sdot%2", b"sdot%20", b"sdot;n=5", b"a" * 64):
	q(b"kernel=" + k, 400, b"bad kernel name")
for k in (b"sdot%00", b"sdot%00x", b"sdot%00../../etc/passwd"):
	q(b"kernel=" + k, 400, b"NUL")
q(b"kernel=sdot&kernel=sdot", 400, b"more than once")
q(b"kernel=nosuch", 404, b"nosuch")
q(b"n=5", 400, b"missing kernel")
q(b"", 400, b"missing kernel")

# Percent-encoding: decoded where it is well formed, refused where not.
q(b"kernel=sd%6ft&n=64", 200, b"Cycles: ")
q(b"kernel=sdot&n=6%4", 400, b"not a decimal integer")
q(b"kernel=sdot&n%=6", 400, b"unknown parameter|malformed")
q(b"kernel=sdot&%zz=1", 400, b"unknown parameter|malformed")
q(b"kernel=sdot&n=%%36%34", 400, b"not a decimal integer")

# Length: the query limit, and a URI beyond the header limit.
q(b"kernel=sdot&x=" + b"a" * 2100, 414, b"query string longer than")
q(b"kernel=sdot&n=" + b"0" * 3000 + b"1", 414, b"query string longer")
q(b"kernel=sdot&x=" + b"a" * 20000, 400, b"Bad Request")

# The same refusals in JSON for clients that ask for it.
a = h.exchange(port, h.request(b"POST", b"/x/run?kernel=../sdot",
    (b"Accept: application/json",), body=obj, close=True))
r = h.expect("JSON refusal", a, 400, b"bad kernel name", close=True)
if r:
	try:
		d = json.loads(r[0].body)
		if d.get("status") != "Bad request" or d.get("code") != 400 \
		    or "kernel" not in d.get("reason", ""):
			h.fail("JSON refusal: %r" % d)
	except ValueError as e:
		h.fail("JSON refusal is not JSON: %r (%s)" % (r[0].body, e))
h.done()
PY
wait_monitor 200 || fail "monitor route does not answer afterwards"
[ "$(child_pid webrunnerd-net)" = "$npid" ] || fail "network process restarted"
pass
