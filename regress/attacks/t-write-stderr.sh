# write(2) on stderr, which leads to the daemon's log: refused, the log
# holds no forged line.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_write_stderr.o" "kernel=playground" 422 "^Dangerous syscall: write \(1\)$"
! grep -q "forged log line" "$LOG" || fail "the kernel wrote to the log"
host_clean
pass
