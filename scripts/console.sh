#!/usr/bin/env bash
# Drives the built console in tmux as a person would — keys in, screen
# captured — through the tuning loop on the embedded sandbox: open the lab's
# function, change memory to 3008 MB, start a load test with the lab's
# defaults, watch it, change memory mid-run, stop, quit. Checks what the screen
# shows at each step and that the program exits 0 with the terminal restored.
#
# Usage: scripts/console.sh [path/to/lambdatune]   # builds ./cmd/lambdatune by default
# Traffic goes to 127.0.0.1 only (the embedded sandbox).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
session="lambdatune-console-$$"
cleanup() {
	tmux kill-session -t "$session" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=scripts/tmux_lib.sh
. "$root/scripts/tmux_lib.sh"
bin=$(lambdatune_binary "${1:-}")

step() { printf 'console.sh: %s\n' "$*" >&2; }

# A clean environment: no AWS configuration in sight, so the console opens on
# its embedded sandbox; state and logs in the scratch directory.
tmux new-session -d -s "$session" -x 120 -y 40 \
	"cd '$work' && env -i PATH='$PATH' HOME='$work' TERM=xterm-256color XDG_STATE_HOME='$work/state' XDG_RUNTIME_DIR='$work/run' \
	 '$bin' --fast; echo \"exit=\$?\" > '$work/exit'; sleep 30"

step "the list"
wait_for "65 functions · sort: name"
step "open the lab's function"
keys / product-api Enter Enter
wait_for "Active · last update Successful"
wait_for "Memory      128 MB"

step "m: memory 128 → 3008"
keys m
wait_for "now 128 MB (0.07 vCPU)"
keys C-u 3008
wait_for "• memory 128 MB → 3008 MB"
keys Enter
wait_for "Make this change?"
keys y
wait_for "done in"
keys Escape
wait_gone "enter/esc close"
wait_for "Memory      3008 MB (1.70 vCPU)"

step "l: a load test with the lab's defaults"
keys l
wait_for "the lab stack's ProductApiUrl"
wait_for "users       100"
keys Enter
wait_for "Aggregated"
wait_for "requests/s ━ req/s"
sleep 5
screen | grep -qE 'users [0-9]+/100' || { echo "console.sh: users not spawning" >&2; screen >&2; exit 1; }

step "m mid-run: memory 3008 → 1024"
keys m
wait_for "now 3008 MB"
keys C-u 1024
keys Enter
wait_for "Make this change?"
keys y
wait_for "done in"
keys Escape
wait_gone "enter/esc close"
wait_for "┃ 1 at"
screen | grep -qF "▶ " || { echo "console.sh: the run stopped on its own" >&2; screen >&2; exit 1; }

step "x: stop"
keys x
wait_for "Finished: stopped by the user"
wait_for "average "

step "q: quit"
keys q
for _ in $(seq 100); do [[ -s $work/exit ]] && break; sleep 0.1; done
[[ $(cat "$work/exit" 2>/dev/null) == "exit=0" ]] || { echo "console.sh: exit status $(cat "$work/exit" 2>/dev/null)" >&2; screen >&2; exit 1; }
# The alternate screen is gone: the pane shows the shell's view again, not the console.
if screen | grep -qF "lambdatune │ SANDBOX"; then
	echo "console.sh: the console is still drawn after quitting" >&2
	screen >&2
	exit 1
fi
step "ok: every step showed what it should"
