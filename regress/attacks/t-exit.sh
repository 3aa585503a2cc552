# exit_group(2), which the runner needs and so may not refuse: the run
# fails as a runner that left no result.
. "$(dirname "$0")/attack.sh"
attack_daemon
expect "$A/k_exit.o" "kernel=playground" 500 "^Internal error: runner exited with status 0 and no result$"
host_clean
pass
