# vmovaps on an address that is not 32-byte aligned: SIGSEGV.
. "$(dirname "$0")/attack.sh"
grep -qw avx /proc/cpuinfo || skip "no AVX on this CPU"
attack_daemon
expect "$A/k_avx_misaligned.o" "kernel=playground" 422 "^Signalled: SIGSEGV: .* at \.text\+0x[0-9a-f]+$"
host_clean
pass
