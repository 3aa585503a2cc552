# mprotect(2) making the kernel's own code writable and executable:
# refused, W^X holds.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_mprotect_exec.o" "kernel=playground" 422 "^Dangerous syscall: mprotect \(10\)$"
host_clean
pass
