# A forged signal report with an unterminated reason full of control
# bytes: one clean line, cut short with "...".
. "$(dirname "$0")/attack.sh"
attack_daemon
code=$(post "$A/k_forged_reason.o" "kernel=playground" -D "$OBJ/headers")
[ "$code" = 422 ] || fail "got $code: $(cat "$OBJ/body")"
[ "$(wc -l < "$OBJ/body")" = 1 ] || fail "body: $(cat "$OBJ/body")"
grep -Eq "^Signalled: SIGFAKE\?X-Injected: yes\?\[2JA+\.\.\.$" "$OBJ/body" ||
    fail "body: $(cat "$OBJ/body")"
! grep -qi "^X-Injected" "$OBJ/headers" || fail "header injected"
host_clean
pass
