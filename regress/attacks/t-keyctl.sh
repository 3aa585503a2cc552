# keyctl(KEYCTL_JOIN_SESSION_KEYRING): refused.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_keyctl.o" "kernel=playground" 422 "^Dangerous syscall: keyctl \(250\)$"
host_clean
pass
