# An endless loop: ended at the wall-clock limit, in about that time.
. "$(dirname "$0")/attack.sh"
attack_daemon
start=$(date +%s)
expect "$K/spin.o" "kernel=playground" 422 "^Time limit exceeded: ran longer than 1000 ms$"
[ $(($(date +%s) - start)) -le 5 ] || fail "the time limit took $(($(date +%s) - start)) s"
host_clean
pass
