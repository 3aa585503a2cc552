# sendmsg(2) with SCM_RIGHTS on the result socket: no descriptor reaches
# the monitor.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_sendmsg_fd.o" "kernel=playground" 422 "^Dangerous syscall: sendmsg \(46\)$"
host_clean
pass
