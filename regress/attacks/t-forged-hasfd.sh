# A result that claims a descriptor it does not carry: the run fails, the
# monitor goes on.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_forged_hasfd.o" "kernel=playground" 500 "^Internal error: malformed message from the runner$"
host_clean
pass
