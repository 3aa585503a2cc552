# prctl(PR_SET_DUMPABLE, 1): refused, the runner stays untraceable.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_prctl.o" "kernel=playground" 422 "^Dangerous syscall: prctl \(157\)$"
host_clean
pass
