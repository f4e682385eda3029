#!/usr/bin/env bash
# Measures the whole lambdatune process — console, embedded sandbox and load
# engine in one — while it runs a lab-sized load test from the console: 100
# users at spawn rate 3/s with the lab's wait (about 200 requests/s) for 60 s,
# in sandbox mode with AWS's real latencies. Prints the CPU it used (as a
# share of one core, from /proc/PID/stat: user + system time over the run),
# its peak resident memory (VmHWM), and how long after launch the first
# frame was on screen (polling the tmux pane every 5 ms, so an upper bound).
#
# Usage: bench/console.sh [path/to/lambdatune]    # builds ./cmd/lambdatune by default
# Knobs: RUN_TIME (60s). Traffic goes to 127.0.0.1 only.
set -euo pipefail

RUN_TIME=${RUN_TIME:-60s}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
session="lambdatune-bench-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# shellcheck source=scripts/tmux_lib.sh
. "$root/scripts/tmux_lib.sh"
bin=$(lambdatune_binary "${1:-}")
now_ms() { date +%s%3N; }

start=$(now_ms)
tmux new-session -d -s "$session" -x 120 -y 40 \
	"cd '$work' && exec env -i PATH='$PATH' HOME='$work' TERM=xterm-256color XDG_STATE_HOME='$work/state' XDG_RUNTIME_DIR='$work/run' '$bin'"
until screen | grep -qF "lambdatune │"; do sleep 0.005; done
first_frame=$(($(now_ms) - start))
pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')

wait_for "65 functions · sort: name"
tmux send-keys -t "$session" / product-api Enter Enter
wait_for "Active · last update Successful"
tmux send-keys -t "$session" l
wait_for "the lab stack's ProductApiUrl"
# The run-time field is the last one: up from the first wraps to it.
tmux send-keys -t "$session" Up C-u "$RUN_TIME" Enter
wait_for "Aggregated"

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks); w0=$(now_ms)
wait_for "Finished: run time reached" 120
t1=$(ticks); w1=$(now_ms)
rss_peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
requests=$(screen | awk '/Aggregated/ {print $2; exit}')
tmux send-keys -t "$session" q

cpu=$(awk -v t="$((t1 - t0))" -v hz="$hz" -v ms="$((w1 - w0))" 'BEGIN { printf "%.1f", 100 * (t / hz) / (ms / 1000) }')
printf 'first frame after launch: %d ms\n' "$first_frame"
printf 'load test: %s, %s requests, %.1f s of wall time\n' "$RUN_TIME" "$requests" "$(awk -v ms=$((w1 - w0)) 'BEGIN{print ms/1000}')"
printf 'CPU of the whole process during the test: %s%% of one core\n' "$cpu"
printf 'peak RSS of the whole process: %.1f MB\n' "$(awk -v kb="$rss_peak_kb" 'BEGIN{print kb/1024}')"
