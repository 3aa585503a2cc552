# A forged result with CR LF and an HTTP header in an event name: the
# events are not those the runner planned before the kernel ran, so the
# report is refused, and nothing of it reaches the answer's framing.
. "$(dirname "$0")/attack.sh"
attack_daemon
code=$(post "$A/k_forged_inject.o" "kernel=playground" -D "$OBJ/headers")
[ "$code" = 500 ] || fail "got $code: $(cat "$OBJ/body")"
[ "$(cat "$OBJ/body")" = "Internal error: counters disagree (the events are not those planned before the kernel ran)" ] ||
    fail "body: $(cat "$OBJ/body")"
! grep -qi "^X-Injected" "$OBJ/headers" || fail "header injected"
host_clean
pass
