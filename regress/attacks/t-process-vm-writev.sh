# process_vm_writev(2) into the monitor: refused, the monitor lives on
# and answers.
. "$(dirname "$0")/attack.sh"
attack_daemon
k=$(patched "$A/k_process_vm_writev.o" "pid:$DPID") || fail "cannot patch the kernel"
expect "$k" "kernel=playground" 422 "^Dangerous syscall: process_vm_writev \(311\)$"
host_clean
pass
