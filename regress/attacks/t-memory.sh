# Buffers of three times 64 MB through the kernel's size parameter, above
# the memory limit: the cgroup stops them.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$TOP/kernels/triad.o" "kernel=triad&n=8000000" 422 "^Memory limit exceeded: used more than 67108864 bytes$"
host_clean
pass
