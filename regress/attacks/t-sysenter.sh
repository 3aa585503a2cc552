# sysenter: a 32-bit system call on Intel, killed outright; an invalid
# instruction on AMD.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_sysenter.o" "kernel=playground" 422 "^(Signalled: SIGILL at \.text\+0x[0-9a-f]+|Dangerous syscall: system call refused outright \(int 0x80, x32)"
host_clean
pass
