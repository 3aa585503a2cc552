# mmap(2) of 1 TiB of anonymous memory: refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_mmap.o" "kernel=playground" 422 "^Dangerous syscall: mmap \(9\)$"
host_clean
pass
