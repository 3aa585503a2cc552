# A parameter of 2^64: refused by the parameter check, nothing runs.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_busy.o" "kernel=playground&iterations=18446744073709551616" 400 "^Bad request: parameter 'iterations'"
host_clean
pass
