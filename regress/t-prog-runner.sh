# The program runner's sandbox, seen from the program it runs and from
# the host: regress/progdriver plays the monitor, starts the program
# template (webrunnerd-runner -P), gets one runner and has it run one
# command; its last line is the runner's answer.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
D=$TOP/regress/progdriver
U=61990
run() {
	"$D" -u $U "$@" >"$OBJ/out" 2>"$OBJ/err"
	tail -n 1 "$OBJ/out"
}
output() { sed '$d' "$OBJ/out"; }
mounts_before=$(wc -l </proc/self/mountinfo)

# stdin is a memfd the driver fills, stdout a pipe it drains.
printf 'one line\nand another\n' >"$OBJ/in"
r=$(run -i "$OBJ/in" /bin/cat)
[ "$r" = "exited 0 peak 1" ] || fail "cat: $r $(cat "$OBJ/err")"
[ "$(output)" = "$(cat "$OBJ/in")" ] || fail "cat echoed: $(output)"
# A bare name is looked up in PATH; a missing fd is a closed one.
r=$(run cat)
[ "$r" = "exited 1 peak 1" ] || fail "cat without stdin: $r"
grep -q 'Bad file descriptor' "$OBJ/err" ||
    fail "stdin not closed: $(cat "$OBJ/err")"

# How it ended: the command is never pid 1, so its own signal kills it.
r=$(run sh -c 'exit 3')
[ "$r" = "exited 3 peak 1" ] || fail "exit 3: $r"
r=$(run sh -c 'kill -SEGV $$')
[ "$r" = "signalled 11 peak 1: killed by SIGSEGV" ] || fail "SEGV: $r"
r=$(run no-such-program)
[ "$r" = "exec-failed 2 peak 0: no-such-program: not found in /w or PATH" ] ||
    fail "missing program: $r"
r=$(run /w/a.out)
[ "$r" = "exec-failed 2 peak 0: execve /w/a.out: No such file or directory" ] ||
    fail "missing path: $r"

# A forbidden call stops the program and is named: mount(2), unshare(2).
r=$(run python3 -c 'import ctypes; ctypes.CDLL(None).syscall(165, 0, 0, 0, 0, 0); print("went on")')
[ "$r" = "syscall 165 peak 1: mount" ] || fail "mount: $r $(cat "$OBJ/err")"
output | grep -q 'went on' && fail "the program went on after mount(2)"
if [ -x /usr/bin/unshare ]; then
	r=$(run unshare -n true)
	[ "$r" = "syscall 272 peak 1: unshare" ] || fail "unshare: $r"
fi
# ... and so does a system call of another architecture (int 0x80); on a
# kernel without 32-bit system calls it faults instead.
r=$(run python3 -c 'import ctypes, mmap
m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
m.write(bytes([0xb8, 20, 0, 0, 0, 0xcd, 0x80, 0xc3]))
f = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(m)))
f(); print("went on")')
case "$r" in
"syscall 20 peak 1: system call 20 of another architecture"*) ;;
"signalled 11 peak 1: killed by SIGSEGV") ;;
*) fail "int 0x80: $r $(cat "$OBJ/err")" ;;
esac
output | grep -q 'went on' && fail "the program went on after int 0x80"

# Nothing of the host is writable; /w and /tmp are, and are the
# program's own; /proc shows the sandbox's processes only.
r=$(run sh -c 'for f in /usr/x /etc/x /x /bin/x /dev/x; do
	echo x >$f 2>/dev/null && echo "wrote $f"; done
	echo x >/w/x && echo x >/tmp/x && echo wrote-own
	echo /proc/[0-9]*; id -u; cd; pwd')
case "$r" in "exited 0 peak "*) ;; *) fail "writes: $r $(cat "$OBJ/err")" ;; esac
[ "$(output)" = "wrote-own
/proc/1 /proc/2
$U
/w" ] || fail "writes, /proc, uid: $(output) $(cat "$OBJ/err")"
r=$(run sh -c 'ls /root /home /var /run 2>&1; ls /')
case "$r" in "exited 0 peak "*) ;; *) fail "ls: $r" ;; esac
output | grep -q 'No such file' || fail "host's /root or /var visible: $(output)"

# No network: nothing answers, not even the host's loopback.
r=$(run python3 -c 'import socket
s = socket.socket()
s.settimeout(2)
try:
	s.connect(("127.0.0.1", 22))
	print("connected")
except OSError as e:
	print("refused", e.errno)')
case "$(output)" in
"refused "*) ;;
*) fail "connect to 127.0.0.1: $(output) $r" ;;
esac

# g++ compiles an a+b program in /w, and it runs there.
if command -v g++ >/dev/null; then
	cat >"$OBJ/ab.sh" <<'EOF'
cat >a.cc <<'X'
#include <iostream>
int main() { long a, b; std::cin >> a >> b; std::cout << a + b << std::endl; }
X
g++ -O2 -o a a.cc && echo 3 4 | ./a
EOF
	r=$(run -i "$OBJ/ab.sh" sh)
	case "$r" in "exited 0 peak "*) ;; *) fail "g++: $r $(cat "$OBJ/err")" ;; esac
	[ "$(output)" = 7 ] || fail "a+b printed: $(output) $(cat "$OBJ/err")"
fi

# What the program left running is killed with it.
r=$(run sh -c 'sleep 100 & sleep 100 & echo started')
[ "$r" = "exited 0 peak 3" ] || fail "background sleeps: $r"

# Nothing is left on the host: no process of the runner's uid, no mount.
sleep 0.2
left=$(ps -eo uid=,pid=,comm= | awk -v u=$U '$1 == u')
[ -z "$left" ] || fail "left running: $left"
[ "$(wc -l </proc/self/mountinfo)" = "$mounts_before" ] ||
    fail "mounts left: $(tail -3 /proc/self/mountinfo)"
pass
