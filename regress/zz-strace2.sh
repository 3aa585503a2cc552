. "$(dirname "$0")/test-exec.sh"
start_daemon "time-limit 5s" "single-step-limit 0" "runners 1"
u=$(url "/local/run?kernel=playground&iterations=1")
curl -s -o /dev/null --data-binary @"$TOP/kernels/playground.o" "$u"
sleep 0.3
for r in $(pgrep -f wr-runner); do :; done
pids=$(ps -eo pid,comm | awk '$2=="wr-runner" {print $1}')
for p in $pids; do strace -p $p -o /tmp/run.$p.strace & done
sleep 0.5
curl -s -o /dev/null --data-binary @"$TOP/kernels/playground.o" "$u"
curl -s -o /dev/null --data-binary @"$TOP/kernels/playground.o" "$u"
sleep 0.5
