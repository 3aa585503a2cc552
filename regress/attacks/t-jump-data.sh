# Code written into the object's data, then jumped to: SIGSEGV, data is
# never executable.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_jump_data.o" "kernel=playground" 422 "^Signalled: SIGSEGV: bad access to address 0x[0-9a-f]+ at \.data\+0x0$"
host_clean
pass
