# ioctl(TIOCSTI), injecting terminal input: refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_ioctl_tiocsti.o" "kernel=playground" 422 "^Dangerous syscall: ioctl \(16\)$"
host_clean
pass
