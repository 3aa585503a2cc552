# A request may ask for less time or memory than the configuration
# allows, and gets exactly that; asking for more, or for an absurd repeat
# count, is a 400 that says why, before any runner is involved.
. "$(dirname "$0")/test-exec.sh"
start_daemon "time-limit 5s" "memory-limit 128M" "runners 2" "repeat-max 1000"
K=$TOP/regress/kernels
# The endless loop is stopped at the limit asked for, not at 5s.
start=$(date +%s)
check_run "$K/spin.o" "kernel=playground&time-limit=300ms" 422 \
    "^Time limit exceeded: ran longer than 300 ms"
[ $(($(date +%s) - start)) -lt 4 ] || fail "a 300ms limit took 4s or more"
check_run "$K/spin.o" "kernel=playground&time-limit=1" 422 \
    "^Time limit exceeded: ran longer than 1000 ms"
# 3 x 2M doubles = 48M of buffers: fine under 128M, too much under 32M.
check_run "$TOP/kernels/triad.o" "kernel=triad&n=2000000&repeat=1" 200 "^Cycles: "
check_run "$TOP/kernels/triad.o" "kernel=triad&n=2000000&repeat=1&memory-limit=32M" \
    422 "^Memory limit exceeded: used more than 33554432 bytes"
# The lowered limit went with that runner: the next run has 128M again.
check_run "$TOP/kernels/triad.o" "kernel=triad&n=2000000&repeat=1" 200 "^Cycles: "
# Never more than configured, never nonsense.
check_run "$K/spin.o" "kernel=playground&time-limit=6s" 400 \
    "time-limit '6s' is above this server's limit of 5000 ms"
check_run "$K/spin.o" "kernel=playground&memory-limit=1G" 400 \
    "memory-limit '1G' is above this server's limit of 134217728 bytes"
check_run "$K/spin.o" "kernel=playground&memory-limit=4K" 400 \
    "below the least a runner needs"
check_run "$K/spin.o" "kernel=playground&time-limit=soon" 400 \
    "time-limit 'soon': use a number with ms, s or m"
# Absurd repeat counts are refused by the parameter check.
check_run "$TOP/kernels/sdot.o" "kernel=sdot&repeat=1001" 400 \
    "parameter 'repeat': 1001 is above the maximum 1000"
check_run "$TOP/kernels/sdot.o" "kernel=sdot&repeat=18446744073709551617" 400 \
    "parameter 'repeat'"
check_run "$TOP/kernels/sdot.o" "kernel=sdot&repeat=0" 400 "parameter 'repeat'"
# The service goes on, and nothing is left behind.
check_run "$TOP/kernels/sdot.o" "kernel=sdot&repeat=1000" 200 "^Cycles: "
sleep 0.5
[ "$(runner_count)" -le 4 ] || fail "$(runner_count) runners, pool is 4 (runners 2)"
[ "$(leftover_cgroups)" -le 4 ] || fail "cgroups left: $(leftover_cgroups)"
pass
