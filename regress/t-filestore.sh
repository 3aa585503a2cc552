# go-judge's file store: copyOutCached files and collected outputs are
# stored and named by fileIds, read back by GET /file/<id> and by later
# commands as copyIn or stdin fileId; POST /file stores what curl -F
# sends, byte for byte; DELETE forgets.  Past store-limit or store-files
# a 507 and nothing stored is lost; a restart of the network process
# loses nothing; a configured token guards /file as it guards /run.
. "$(dirname "$0")/test-exec.sh"
command -v python3 > /dev/null || skip "no python3"
PROGRAM=yes
MPORT=$(free_port)
start_daemon "program runners 2" "program store-limit 64K" \
    "program store-files 4" "metrics listen on 127.0.0.1 port $MPORT"
python3 "$TOP/regress/prun.py" "$PORT" store > "$OBJ/out" 2>&1 ||
    fail "$(cat "$OBJ/out")"
# curl -F, as an operator would upload a checker or a test's data.
head -c 3000 /dev/urandom > "$OBJ/blob"
id=$(curl -s -F "file=@$OBJ/blob" "$(url /file)" | tr -d '"')
case "$id" in
[0-9a-f]*) ;;
*) fail "curl -F: $id" ;;
esac
curl -s -o "$OBJ/back" "$(url "/file/$id")"
cmp -s "$OBJ/blob" "$OBJ/back" || fail "curl -F: not the same bytes back"
curl -s -X DELETE "$(url "/file/$id")" > /dev/null
python3 "$TOP/regress/prun.py" "$PORT" store_full > "$OBJ/out" 2>&1 ||
    fail "$(cat "$OBJ/out")"
kept=$(tail -1 "$OBJ/out")
curl -s "$(url /file)" > "$OBJ/before"
# What the store holds, as the metrics say: 3 x 20K and one byte.
curl -s "http://127.0.0.1:$MPORT/metrics" > "$OBJ/m"
grep -q '^webrunnerd_store_files 4$' "$OBJ/m" &&
    grep -q '^webrunnerd_store_bytes 61441$' "$OBJ/m" &&
    grep -q '^webrunnerd_http_requests_total{route="program-file",code="507"} [1-9]' "$OBJ/m" ||
    fail "metrics: $(grep -e store -e program-file "$OBJ/m")"

# The store is the monitor's: a new network process finds it whole.
npid=$(child_pid webrunnerd-net) || fail "no network process"
kill -KILL "$npid"
sleep 0.2
wait_monitor 200 || fail "no answer after the network process restarted"
curl -s "$(url /file)" > "$OBJ/after"
cmp -s "$OBJ/before" "$OBJ/after" ||
    fail "the store changed: $(cat "$OBJ/before") / $(cat "$OBJ/after")"
for i in $(echo "$kept" | tr -d '[]",'); do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$(url "/file/$i")")
	[ "$code" = 200 ] || fail "file $i after the restart: $code"
done

# A token guards it.
TOKEN=filestore-token-0123456789
umask 077
echo "$TOKEN" > "$OBJ/token"
echo "auth token file \"$OBJ/token\"" >> "$CONF"
kill -HUP "$DPID"
wait_code 401 /file || fail "GET /file without the token: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -F "file=@$OBJ/blob" "$(url /file)")
[ "$code" = 401 ] || fail "POST /file without the token: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$(url /file)")
[ "$code" = 200 ] || fail "GET /file with the token: $code"
pass
