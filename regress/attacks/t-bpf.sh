# bpf(BPF_PROG_LOAD): refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_bpf.o" "kernel=playground" 422 "^Dangerous syscall: bpf \(321\)$"
host_clean
pass
