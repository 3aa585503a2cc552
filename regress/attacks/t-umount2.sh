# umount2(2) of a host mount: refused, the mount and its file stay.
. "$(dirname "$0")/attack.sh"
mkdir "$OBJ/mnt"
mount -t tmpfs -o size=64k none "$OBJ/mnt" || skip "cannot mount a tmpfs"
ATTACK_MNT=$OBJ/mnt
echo here > "$OBJ/mnt/file"
k=$(patched "$A/k_umount2.o" "$OBJ/mnt") || fail "cannot patch the kernel"
attack_daemon
expect "$k" "kernel=playground" 422 "^Dangerous syscall: umount2 \(166\)$"
grep -q " $OBJ/mnt " /proc/self/mountinfo || fail "$OBJ/mnt was unmounted"
[ "$(cat "$OBJ/mnt/file")" = here ] || fail "the mount lost its file"
host_clean
pass
