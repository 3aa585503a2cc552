# A legal kernel made to run a billion rounds per call by its parameter:
# ended at the wall-clock limit.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_busy.o" "kernel=playground&iterations=1000000000" 422 "^Time limit exceeded: ran longer than 1000 ms$"
host_clean
pass
