# A jump to a non-canonical address: SIGSEGV.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_noncanonical.o" "kernel=playground" 422 "^Signalled: SIGSEGV"
host_clean
pass
