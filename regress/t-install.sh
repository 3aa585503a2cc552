# make install works as a package would use it: a copy of the tree, built
# for a temporary PREFIX, is installed into a DESTDIR, the staged files are
# put where PREFIX says, and the installed daemon starts with the commands
# of the installed systemd unit, the installed sample configuration (on a
# free port) and the unit's capability bounding set and no_new_privs.  It
# must use the installed helpers and kernels, not this tree's, answer the
# monitor route and run an installed kernel.  make uninstall then leaves
# nothing but empty directories and the operator's own files.
#
# The tree under test is never rebuilt: the paths compiled in depend on
# PREFIX, and other tests run its binaries.
. "$(dirname "$0")/test-exec.sh"
[ "$(id -u)" = 0 ] || skip "needs root"

SRC=$OBJ/src
P=$OBJ/usr		# PREFIX, as compiled in
D=$OBJ/dest		# DESTDIR, where make install writes
I=$D$P			# the installed tree
UNIT=$I/lib/systemd/system/webrunnerd.service

# The sources as they are now, committed or not, without build outputs.
mkdir "$SRC" || fail "mkdir"
if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$TOP" && git ls-files -co --exclude-standard |
	    while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done |
	    tar -cf - -T -) | tar -xf - -C "$SRC" || fail "copying the tree"
else
	(cd "$TOP" && tar -cf - .) | tar -xf - -C "$SRC" ||
	    fail "copying the tree"
	make -s -C "$SRC" clean >/dev/null 2>&1
fi

make -s -C "$SRC" -j2 PREFIX="$P" all > "$OBJ/make.log" 2>&1 ||
    fail "make PREFIX=$P: $(tail -20 "$OBJ/make.log")"
make -s -C "$SRC" PREFIX="$P" DESTDIR="$D" install > "$OBJ/make.log" 2>&1 ||
    fail "make install: $(tail -20 "$OBJ/make.log")"

# Everything under PREFIX inside DESTDIR, and the pieces where they belong.
out=$(find "$D" ! -type d ! -path "$I/*")
[ -z "$out" ] || fail "installed outside DESTDIR/PREFIX: $out"
for f in sbin/webrunnerd libexec/webrunnerd/webrunnerd-net \
    libexec/webrunnerd/webrunnerd-runner \
    libexec/webrunnerd/webrunnerd-stepper \
    share/webrunnerd/webrunnerd.conf.sample \
    share/webrunnerd/kernels/sdot.json share/webrunnerd/kernels/sdot.o \
    share/webrunnerd/kernels/sdot.c share/webrunnerd/kernels/sdot_peachpy.py \
    share/man/man5/webrunnerd.conf.5 share/man/man5/webrunnerd-kernel.5 \
    share/man/man7/webrunnerd-api.7 share/man/man8/webrunnerd.8 \
    lib/systemd/system/webrunnerd.service; do
	[ -f "$I/$f" ] || fail "make install did not install $f"
done
for f in "$TOP"/kernels/*.json; do
	[ -f "$I/share/webrunnerd/kernels/${f##*/}" ] ||
	    fail "kernel spec ${f##*/} not installed"
done
[ -x "$I/sbin/webrunnerd" ] || fail "webrunnerd is not executable"
! grep -q /usr/local "$UNIT" || fail "the unit still names /usr/local"
grep -q "^ExecStart=$P/sbin/webrunnerd " "$UNIT" ||
    fail "ExecStart does not follow PREFIX: $(grep ^ExecStart= "$UNIT")"
grep -q "^kernels \"$P/share/webrunnerd/kernels\"" \
    "$I/share/webrunnerd/webrunnerd.conf.sample" ||
    fail "the sample configuration does not name the installed kernels"
# The installed man pages name the installed files, not /usr/local's.
M=$I/share/man
out=$(grep -n /usr/local "$M"/man*/* | head -3)
[ -z "$out" ] || fail "installed man pages name /usr/local: $out"
for want in "man8/webrunnerd.8:$P/etc/webrunnerd.conf" \
    "man8/webrunnerd.8:$P/libexec/webrunnerd/webrunnerd-runner" \
    "man8/webrunnerd.8:$P/lib/systemd/system/webrunnerd.service" \
    "man5/webrunnerd.conf.5:$P/share/webrunnerd/kernels" \
    "man7/webrunnerd-api.7:$P/share/webrunnerd/kernels/sdot.o"; do
	grep -qF "${want#*:}" "$M/${want%%:*}" ||
	    fail "${want%%:*} does not name ${want#*:}"
done
if command -v mandoc >/dev/null; then
	out=$(mandoc -Tlint -W warning "$M"/man*/* 2>&1) ||
	    fail "installed man pages: $out"
fi

# Unpack the staged tree at PREFIX, as a package manager would.
ln -s "$I" "$P" || fail "ln"

if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify --man=no "$UNIT" 2>&1) ||
	    fail "systemd-analyze verify: $out"
	[ -z "$out" ] || fail "systemd-analyze verify: $out"
else
	echo "note: no systemd-analyze, the unit is not verified"
fi
for m in $(sed -n 's/^Documentation=//p' "$UNIT"); do
	m=${m#man:}
	sec=${m##*(}
	sec=${sec%)}
	[ -f "$P/share/man/man$sec/${m%(*}.$sec" ] ||
	    fail "the unit's Documentation= names $m, which is not installed"
done

# The operator's step: the sample becomes the configuration.
PORT=$(free_port)
mkdir -p "$P/etc"
sed -e "s/^listen on 127\.0\.0\.1 port [0-9]*/listen on 127.0.0.1 port $PORT/" \
    -e '/^listen on ::1/d' "$P/share/webrunnerd/webrunnerd.conf.sample" \
    > "$P/etc/webrunnerd.conf"
grep -q "^listen on 127.0.0.1 port $PORT\$" "$P/etc/webrunnerd.conf" ||
    fail "the sample has no 'listen on 127.0.0.1' line to edit"

# The unit's commands, word for word.
pre=$(sed -n 's/^ExecStartPre=//p' "$UNIT")
start=$(sed -n 's/^ExecStart=//p' "$UNIT")
case "$pre" in *" -n "*) ;; *) fail "ExecStartPre is not webrunnerd -n: $pre" ;; esac
out=$(cd / && $pre 2>&1) || fail "ExecStartPre failed: $out"
[ "$out" = "configuration OK" ] || fail "ExecStartPre said: $out"

# The unit's CapabilityBoundingSet= (continued lines included) and
# NoNewPrivileges=, applied the way systemd would.
caps=$(sed -n '/^CapabilityBoundingSet=/,/[^\\]$/p' "$UNIT" |
    tr ' \t\\=' '\n\n\n\n' | sed -n 's/^CAP_\(.*\)/+\1/p' |
    tr 'A-Z' 'a-z' | paste -sd, -)
[ -n "$caps" ] || fail "no CapabilityBoundingSet= in the unit"
grep -q '^NoNewPrivileges=yes$' "$UNIT" || fail "no NoNewPrivileges=yes"
if command -v setpriv >/dev/null; then
	wrap="setpriv --bounding-set -all,$caps --no-new-privs"
else
	echo "note: no setpriv, the unit's bounding set is not applied"
	wrap=
fi
(cd / && exec $wrap $start) > "$LOG" 2>&1 &
DPID=$!
wait_monitor 200 || fail "the installed daemon did not become ready"

exe=$(readlink "/proc/$DPID/exe")
[ "$exe" = "$I/sbin/webrunnerd" ] || fail "monitor runs $exe"
npid=
for p in /proc/[0-9]*; do
	[ "$(awk '/^PPid:/ { print $2 }' "$p/status" 2>/dev/null)" = "$DPID" ] ||
	    continue
	e=$(readlink "$p/exe" 2>/dev/null) || continue
	case "$e" in
	"$TOP"/*) fail "the installed daemon runs the tree's $e" ;;
	*/webrunnerd-net)
		[ "$e" = "$I/libexec/webrunnerd/webrunnerd-net" ] ||
		    fail "network process runs $e"
		npid=${p#/proc/} ;;
	*/webrunnerd-runner)
		[ "$e" = "$I/libexec/webrunnerd/webrunnerd-runner" ] ||
		    fail "runner runs $e" ;;
	esac
done
[ -n "$npid" ] || fail "no network process below the installed monitor"
grep -q "kernel specs of $P/share/webrunnerd/kernels\$" "$LOG" ||
    fail "not the installed kernels"
if [ -n "$wrap" ]; then
	# CAP_DAC_OVERRIDE, bit 1, is not in the unit's set.
	bnd=$(awk '/^CapBnd:/ { print $2 }' "/proc/$DPID/status")
	[ $((0x$bnd & 2)) = 0 ] ||
	    fail "the bounding set was not applied: $bnd"
fi

code=$(curl -s -o /dev/null -w '%{http_code}' "$(url /local/monitor)")
[ "$code" = 200 ] || fail "GET monitor: $code"
code=$(post "$P/share/webrunnerd/kernels/sdot.o" "kernel=sdot&n=1000&incy=2")
[ "$code" = 200 ] || fail "sdot: $code $(cat "$OBJ/body")"
grep -q '^Instructions: ' "$OBJ/body" || fail "no Instructions line: $(cat "$OBJ/body")"
grep -q '^Task clock (ns): [0-9]' "$OBJ/body" ||
    fail "no Task clock count: $(cat "$OBJ/body")"
code=$(post "$P/share/webrunnerd/kernels/loop.o" "kernel=loop&iterations=100" \
    -H 'Accept: application/json')
[ "$code" = 200 ] || fail "loop: $code $(cat "$OBJ/body")"
grep -q '"status": *"OK"' "$OBJ/body" || fail "loop JSON: $(cat "$OBJ/body")"

stop_daemon
for p in /proc/[0-9]*; do
	case "$(readlink "$p/exe" 2>/dev/null)" in
	"$I"/*) fail "process ${p#/proc/} of the installed daemon left" ;;
	esac
done

rm "$P"
# A spec the operator added, as webrunnerd-kernel(5) says to.
cp "$I/share/webrunnerd/kernels/sdot.json" "$I/share/webrunnerd/kernels/mine.json"
make -s -C "$SRC" PREFIX="$P" DESTDIR="$D" uninstall > "$OBJ/make.log" 2>&1 ||
    fail "make uninstall: $(tail -20 "$OBJ/make.log")"
# The configuration and the added spec are the operator's: they stay.
[ -f "$I/etc/webrunnerd.conf" ] || fail "make uninstall removed the configuration"
[ -f "$I/share/webrunnerd/kernels/mine.json" ] ||
    fail "make uninstall removed a kernel spec it had not installed"
rm "$I/etc/webrunnerd.conf" "$I/share/webrunnerd/kernels/mine.json"
out=$(find "$D" ! -type d)
[ -z "$out" ] || fail "left after make uninstall: $out"
pass
