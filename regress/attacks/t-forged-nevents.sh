# A result claiming 1000 events: the run fails, the monitor goes on.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_forged_nevents.o" "kernel=playground" 500 "^Internal error: malformed result from the runner$"
host_clean
pass
