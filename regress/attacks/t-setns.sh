# setns(2) on an inherited descriptor: refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_setns.o" "kernel=playground" 422 "^Dangerous syscall: setns \(308\)$"
host_clean
pass
