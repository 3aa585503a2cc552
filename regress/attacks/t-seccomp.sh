# seccomp(2) installing an allow-all filter: refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_seccomp.o" "kernel=playground" 422 "^Dangerous syscall: seccomp \(317\)$"
host_clean
pass
