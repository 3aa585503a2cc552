# memfd_create(2): refused, no anonymous file.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_memfd_create.o" "kernel=playground" 422 "^Dangerous syscall: memfd_create \(319\)$"
host_clean
pass
