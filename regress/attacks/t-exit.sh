# exit_group(2) from the kernel: the final filter allows the runner's own
# exit status only, so the kernel's is a forbidden system call like any
# other, reported by name.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_exit.o" "kernel=playground" 422 "^Dangerous syscall: exit_group \(231\)"
host_clean
pass
