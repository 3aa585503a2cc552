# sethostname(2): refused, and the host name the runners share with their
# template is still theirs.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_sethostname.o" "kernel=playground" 422 "^Dangerous syscall: sethostname \(170\)$"
tpid=$(template_pid) || fail "no runner template"
h=$(nsenter -t "$tpid" -u hostname)
[ "$h" = runner ] || fail "the runners' host name is '$h'"
host_clean
pass
