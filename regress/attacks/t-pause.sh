# pause(2) from the kernel: allowed, so the runner can wait to be killed
# after its result, but it only sleeps until the time limit ends it.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_pause.o" "kernel=playground" 422 "^Time limit exceeded: ran longer than 1000 ms$"
host_clean
pass
