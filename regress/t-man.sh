# The man pages lint clean, and every configuration keyword of the
# grammar is documented in webrunnerd.conf.5.
. "$(dirname "$0")/test-exec.sh"
command -v mandoc >/dev/null || fail "mandoc is not installed"
out=$(mandoc -Tlint -W warning "$TOP"/man/*.[1-9] 2>&1)
[ -z "$out" ] || fail "mandoc -Tlint: $out"
kws=$(sed -n '/keywords\[\] = {/,/};/p' "$TOP/monitor/parse.y" |
    sed -n 's/.*{ "\([a-z0-9-]*\)",.*/\1/p')
[ -n "$kws" ] || fail "no keywords found in parse.y"
for k in $kws; do
	# Words that only follow another keyword.
	case "$k" in on|port|interval|token|file|monitor) continue ;; esac
	# At the start of an entry, or after the word it follows.
	grep -Eq "^\.It Ic ([a-z-]+ )?$k( |\$)" \
	    "$TOP/man/webrunnerd.conf.5" ||
	    fail "keyword '$k' is missing from webrunnerd.conf.5"
done
pass
