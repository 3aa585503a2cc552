# io_uring_setup(2), a way to make system calls seccomp never sees:
# refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_io_uring_setup.o" "kernel=playground" 422 "^Dangerous syscall: io_uring_setup \(425\)$"
host_clean
pass
