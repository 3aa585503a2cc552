# The network process runs unprivileged: /proc shows it.
. "$(dirname "$0")/test-exec.sh"
start_daemon
npid=$(child_pid webrunnerd-net) || fail "no network process"
st=/proc/$npid/status
uid=$(awk '/^Uid:/ { print $2 $3 $4 $5 }' "$st")
gid=$(awk '/^Gid:/ { print $2 $3 $4 $5 }' "$st")
want=$(id -u _webrunner)
[ "$uid" = "$want$want$want$want" ] || fail "uids are $uid"
case "$gid" in 0*) fail "gid is 0" ;; esac
grep -q '^CapEff:[[:space:]]*0000000000000000' "$st" || fail "CapEff not 0"
grep -q '^CapPrm:[[:space:]]*0000000000000000' "$st" || fail "CapPrm not 0"
grep -q '^CapBnd:[[:space:]]*0000000000000000' "$st" || fail "CapBnd not 0"
grep -q '^NoNewPrivs:[[:space:]]*1' "$st" || fail "NoNewPrivs not 1"
grep -q '^Seccomp:[[:space:]]*2' "$st" || fail "Seccomp not 2"
root=$(readlink /proc/$npid/root)
[ "$root" = /var/empty ] || fail "root is $root"
pass
