# A waiting runner, seen from outside: its own namespaces, its own uid,
# no capabilities, no_new_privs, seccomp, its own cgroup, an empty root.
. "$(dirname "$0")/test-exec.sh"
start_daemon "runners 2" "runner-uid 62000" "nice 3"
rpid=$(child_pid webrunnerd-runner) || fail "no runner"
st=/proc/$rpid/status
for ns in pid mnt net ipc uts cgroup; do
	a=$(readlink /proc/$DPID/ns/$ns)
	b=$(readlink /proc/$rpid/ns/$ns)
	[ "$a" != "$b" ] || fail "runner shares the monitor's $ns namespace"
done
# The template that clones runners: root, but in its own mount, network,
# IPC and UTS namespaces, in an empty root, and never a runner's parent.
tpid=$(template_pid) || fail "no runner template"
[ "$(awk '/^PPid:/ { print $2 }' $st)" = "$DPID" ] || fail "runner's parent is not the monitor"
for ns in mnt net ipc uts; do
	[ "$(readlink /proc/$DPID/ns/$ns)" != "$(readlink /proc/$tpid/ns/$ns)" ] ||
	    fail "template shares the monitor's $ns namespace"
done
# The template makes runners at nice 19; each ready runner, the one
# above among them, is raised to the configured level.
nice_of() { awk '{ sub(/^.*\) /, ""); print $17 }' "/proc/$1/stat"; }
[ "$(nice_of "$tpid")" = 19 ] || fail "template's nice is $(nice_of "$tpid")"
i=0
while :; do
	bad=$(for p in /proc/[0-9]*; do
		[ "$(readlink $p/exe 2>/dev/null)" = "$TOP/webrunnerd-runner" ] ||
		    continue
		is_template "${p#/proc/}" && continue
		n=$(nice_of "${p#/proc/}") && [ "$n" != 3 ] && echo "${p#/proc/}:$n"
	done)
	[ -z "$bad" ] && break
	i=$((i + 1))
	[ $i -lt 50 ] || fail "runners not at nice 3: $bad"
	sleep 0.1
done
n=$(ls -A /proc/$tpid/root/ | wc -l)
[ "$n" = 0 ] || fail "template's root is not empty: $(ls -A /proc/$tpid/root/)"
# Runners get their own pid and cgroup namespaces; the mount, network,
# IPC and UTS ones are the template's, shared, with nothing in them a
# runner's filters let it reach (webrunnerd(8); regress/attacks/t-mount,
# t-shmget, t-mq-open, t-sethostname and t-connect try).
for ns in mnt net ipc uts; do
	[ "$(readlink /proc/$tpid/ns/$ns)" = "$(readlink /proc/$rpid/ns/$ns)" ] ||
	    fail "runner not in the template's $ns namespace"
done
for ns in pid cgroup; do
	[ "$(readlink /proc/$tpid/ns/$ns)" != "$(readlink /proc/$rpid/ns/$ns)" ] ||
	    fail "runner shares the template's $ns namespace"
done
[ "$(nsenter -t "$rpid" -u hostname)" = runner ] ||
    fail "runner's host name is not 'runner'"
[ "$(nsenter -t "$rpid" -i cat /proc/sysvipc/shm /proc/sysvipc/msg /proc/sysvipc/sem | wc -l)" = 3 ] ||
    fail "runner's IPC namespace is not empty"
links=$(nsenter -t "$rpid" -n ip -o link 2>/dev/null | wc -l)
[ "$links" = 1 ] || fail "runner's network namespace has $links links, want lo only"
uid=$(awk '/^Uid:/ { print $2 }' "$st")
case "$uid" in 6200[0-3]) ;; *) fail "runner uid is $uid" ;; esac
[ "$uid" != "$(id -u _webrunner)" ] || fail "runner uid is the network process's"
others=$(for p in /proc/[0-9]*; do
	[ "$(readlink $p/exe 2>/dev/null)" = "$TOP/webrunnerd-runner" ] || continue
	is_template "${p#/proc/}" && continue
	[ "$(awk '/^PPid:/ { print $2 }' $p/status)" = "$DPID" ] || continue
	awk '/^Uid:/ { print $2 }' $p/status
done | sort | uniq -d)
[ -z "$others" ] || fail "two runners share uid $others"
grep -q '^CapEff:[[:space:]]*0000000000000000' "$st" || fail "CapEff not 0"
grep -q '^CapPrm:[[:space:]]*0000000000000000' "$st" || fail "CapPrm not 0"
grep -q '^NoNewPrivs:[[:space:]]*1' "$st" || fail "NoNewPrivs not 1"
grep -q '^Seccomp:[[:space:]]*2' "$st" || fail "Seccomp not 2"
# Stage 1 is the template's own filter, which a waiting runner has
# inherited and not loaded again (runner/sandbox.c, spawn[], stage1[]).
ts=/proc/$tpid/status
grep -q '^Seccomp:[[:space:]]*2' "$ts" || fail "template's Seccomp not 2"
if grep -q '^Seccomp_filters:' "$ts"; then
	[ "$(awk '/^Seccomp_filters:/ { print $2 }' "$ts")" = 1 ] ||
	    fail "template has $(grep Seccomp_filters "$ts")"
	[ "$(awk '/^Seccomp_filters:/ { print $2 }' "$st")" = 1 ] ||
	    fail "waiting runner has $(grep Seccomp_filters "$st")"
fi
# Laid out without address randomization, as the template is, so that
# its page tables are few (runner_exec_setup()): ADDR_NO_RANDOMIZE, 0x40000.
for p in "$tpid" "$rpid"; do
	[ $(( 0x$(cat /proc/$p/personality) & 0x40000 )) != 0 ] ||
	    fail "$p's personality is $(cat /proc/$p/personality)"
done
# And all of it below 1 GB, so that it touches no page of page tables of
# the top half (runner/template.c, template_low_stack(); lowmap.c): the
# stack it waits on, its signal stack, and every mapping it has made.
# The stack the template started on is still mapped, not used.
sp=$(awk '{ print $(NF - 1) }' /proc/$rpid/syscall)
[ $((sp)) -gt 0 ] && [ $((sp)) -lt $((0x40000000)) ] ||
    fail "waiting runner's stack pointer is $sp: $(cat /proc/$rpid/syscall)"
high=$(while read -r range perms off dev ino name; do
	[ $((0x${range%-*})) -ge $((0x40000000)) ] || continue
	case $name in
	"[stack]"|"[vvar]"|"[vvar_vclock]"|"[vdso]"|"[vsyscall]") ;;
	*) echo "$range $perms $name" ;;
	esac
done < /proc/$rpid/maps)
[ -z "$high" ] || fail "runner's mappings above 1 GB: $high"
# Nor does the template register a restartable sequence with the kernel,
# which would write to it after every clone (monitor/spawn.c).
tr '\0' '\n' < /proc/$tpid/environ |
    grep -q '^GLIBC_TUNABLES=.*glibc.pthread.rseq=0' ||
    fail "template's GLIBC_TUNABLES lacks glibc.pthread.rseq=0"
# Its own cgroup: on v1 the same one in the memory and pids hierarchies.
cg=/proc/$rpid/cgroup
if grep -q '^[0-9]*:memory:' $cg; then
	mem=$(sed -n 's/^[0-9]*:memory://p' $cg)
	pids=$(sed -n 's/^[0-9]*:pids://p' $cg)
	[ "${pids##*/}" = "${mem##*/}" ] ||
	    fail "memory and pids cgroups differ: $(cat $cg)"
else
	mem=$(sed -n 's/^0:://p' $cg)
fi
case "$mem" in
*/webrunnerd/runner-$DPID-*) ;;
*) fail "not in its own cgroup: $(cat $cg)" ;;
esac
# On v1 only a program runner joins cpuacct: a kernel runner's CPU time
# is its own (monitor/cgroup.c).
acct=$(grep -E '^[0-9]+:([^:]*,)?cpuacct(,[^:]*)?:' $cg | cut -d: -f3)
case "$acct" in
*/runner-$DPID-*) fail "kernel runner joined cpuacct: $acct" ;;
esac
# Its root is an empty tmpfs: nothing of the host is visible.
n=$(ls -A /proc/$rpid/root/ | wc -l)
[ "$n" = 0 ] || fail "runner's root is not empty: $(ls -A /proc/$rpid/root/)"
grep -q ' / / ro,' /proc/$rpid/mountinfo || fail "root not read-only: $(cat /proc/$rpid/mountinfo)"
pass
