# mq_open(2) of a POSIX message queue: refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_mq_open.o" "kernel=playground" 422 "^Dangerous syscall: mq_open \(240\)$"
host_clean
pass
