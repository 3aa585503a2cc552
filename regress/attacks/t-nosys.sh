# A system call number no kernel has: refused like any other, named by
# its number.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_nosys.o" "kernel=playground" 422 "^Dangerous syscall: unknown \(1000\)$"
host_clean
pass
