# mount(2) of a tmpfs over a host directory: refused, nothing is mounted.
. "$(dirname "$0")/attack.sh"
mkdir "$OBJ/mnt"
k=$(patched "$A/k_mount.o" "$OBJ/mnt") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: mount \(165\)$"
! grep -q " $OBJ/mnt " /proc/self/mountinfo || fail "$OBJ/mnt is mounted"
host_clean
pass
