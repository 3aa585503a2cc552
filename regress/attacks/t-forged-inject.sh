# A forged result that passes every check, with CR LF and an HTTP header
# in an event name: the counts may lie, but the answer keeps its framing.
. "$(dirname "$0")/attack.sh"
attack_daemon
code=$(post "$A/k_forged_inject.o" "kernel=playground" -D "$OBJ/headers")
[ "$code" = 200 ] || fail "got $code: $(cat "$OBJ/body")"
[ "$(cat "$OBJ/body")" = "Cycles??X-Injected: yes????<html>: 1" ] ||
    fail "body: $(cat "$OBJ/body")"
! grep -qi "^X-Injected" "$OBJ/headers" || fail "header injected"
host_clean
pass
