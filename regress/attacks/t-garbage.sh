# A message header claiming 1 GiB on the result socket: the run fails,
# the monitor goes on.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_garbage.o" "kernel=playground" 500 "^Internal error: malformed message from the runner$"
host_clean
pass
