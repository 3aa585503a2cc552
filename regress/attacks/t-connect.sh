# socket(2) and connect(2) to a listener on the host's loopback: refused
# at socket(2), the listener sees no connection.
. "$(dirname "$0")/attack.sh"
listener_start
k=$(patched "$A/k_connect.o" "inet:$LPORT") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: socket \(41\)$"
listener_check
host_clean
pass
