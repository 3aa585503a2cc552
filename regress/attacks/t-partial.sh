# Half a result, then silence: ended at the wall-clock limit.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_partial.o" "kernel=playground" 422 "^Time limit exceeded: ran longer than 1000 ms$"
host_clean
pass
