# An 800 MB buffer through a size parameter, allowed by the spec but not
# by the memory limit: the cgroup stops it.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$TOP/kernels/chase.o" "kernel=chase&n=100000000" 422 "^Memory limit exceeded: used more than 67108864 bytes$"
host_clean
pass
