# unshare(CLONE_NEWUSER | CLONE_NEWNS): refused, no user namespace and
# its capabilities.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_unshare.o" "kernel=playground" 422 "^Dangerous syscall: unshare \(272\)$"
host_clean
pass
