# An absurd repeat count: refused by the parameter check, nothing runs.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_busy.o" "kernel=playground&repeat=1000000000" 400 "^Bad request: parameter 'repeat'"
host_clean
pass
