# ioctl(PERF_EVENT_IOC_RESET) on the runner's own counters: the runner
# does not use it, so the final filter does not allow it.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_ioctl_perf_reset.o" "kernel=playground" 422 "^Dangerous syscall: ioctl \(16\)$"
host_clean
pass
