# A second runner-ready message in the middle of the job: the run fails,
# the monitor goes on.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_forged_ready.o" "kernel=playground" 500 "^Internal error: unexpected message from the runner$"
host_clean
pass
