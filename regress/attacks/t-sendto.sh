# sendto(2) on the result socket, addressed to a listener on the host's
# loopback: refused, the listener sees nothing.
. "$(dirname "$0")/attack.sh"
listener_start
k=$(patched "$A/k_sendto.o" "inet:$LPORT") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: sendto \(44\)$"
listener_check
host_clean
pass
