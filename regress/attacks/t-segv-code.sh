# A store into the kernel's own code: SIGSEGV, the code is read and
# execute only.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$K/selfwrite.o" "kernel=playground" 422 "^Signalled: SIGSEGV: bad access to address 0x[0-9a-f]+ at \.text\+0x7$"
host_clean
pass
