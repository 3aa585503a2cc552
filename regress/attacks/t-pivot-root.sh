# pivot_root(2) into a host directory: refused, the host's root is as it
# was.
. "$(dirname "$0")/attack.sh"
mkdir "$OBJ/newroot"
k=$(patched "$A/k_pivot_root.o" "$OBJ/newroot") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: pivot_root \(155\)$"
! grep -q " $OBJ/newroot " /proc/self/mountinfo || fail "$OBJ/newroot is mounted"
host_clean
pass
