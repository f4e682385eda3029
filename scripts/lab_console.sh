#!/usr/bin/env bash
# Drives `lambdatune lab` — the console opened on its Lab screen — in tmux at
# 80×24, as a trainee would: begin with a short load test, run step 1, confirm
# step 2's change and run it, restore the function, export the report, leave,
# quit. Checks what the screen shows at each step, that the report is on
# disk, and that the program exits 0 with the terminal restored.
#
# Usage: scripts/lab_console.sh [path/to/lambdatune]   # builds ./cmd/lambdatune by default
# Knobs: RUN_TIME (3s per step). Traffic goes to 127.0.0.1 only (the embedded sandbox).
set -euo pipefail

RUN_TIME=${RUN_TIME:-3s}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
session="lambdatune-lab-$$"
cleanup() {
	tmux kill-session -t "$session" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=scripts/tmux_lib.sh
. "$root/scripts/tmux_lib.sh"
bin=$(lambdatune_binary "${1:-}")

step() { printf 'lab_console.sh: %s\n' "$*" >&2; }

tmux new-session -d -s "$session" -x 80 -y 24 \
	"cd '$work' && env -i PATH='$PATH' HOME='$work' TERM=xterm-256color XDG_STATE_HOME='$work/state' XDG_RUNTIME_DIR='$work/run' \
	 '$bin' lab --run-time '$RUN_TIME'; echo \"exit=\$?\" > '$work/exit'; sleep 30"

step "the Lab screen's form, the API found"
wait_for "The AWS lab, step by step"
wait_for "the lab stack's ProductApiUrl"
keys Enter
wait_for "1  Baseline: 128 MB"
wait_for "function now: as it was before the lab"

step "step 1: no change needed, the load test runs and is judged"
keys Enter
wait_for "running"
wait_for "Step 2 · Memory 3008 MB" 60
screen | grep -qE '[✓✗~?] 1  Baseline: 128 MB +(met|missed|too busy|no data)' ||
	{ echo "lab_console.sh: step 1 has no verdict" >&2; screen >&2; exit 1; }

step "step 2: the change asked for, confirmed, then run"
keys Enter
wait_for "Make this change?"
wait_for "• memory 128 MB → 3008 MB"
keys y
wait_for "done in"
keys Enter
wait_gone "Make this change?"
wait_for "function now: memory 3008 MB (was 128 MB)"
wait_for "Step 3 · Provisioned concurrency 40" 60
screen | grep -qE '[✓✗~?] 2  Memory 3008 MB +(met|missed|too busy|no data)' ||
	{ echo "lab_console.sh: step 2 has no verdict" >&2; screen >&2; exit 1; }

step "x: restore"
keys x
wait_for "Restore · product-api"
keys y
wait_for "done in"
keys Enter
wait_for "function now: as it was before the lab"

step "e: the report"
keys e
wait_for "saved lab-"
ls "$work"/lab-*.md "$work"/lab-*.html >/dev/null ||
	{ echo "lab_console.sh: no report in $work" >&2; ls -la "$work" >&2; exit 1; }
grep -qF "2. Memory 3008 MB" "$work"/lab-*.md || { echo "lab_console.sh: step 2 not in the report" >&2; exit 1; }

step "esc, q: leave and quit"
keys Escape
wait_for "functions · sort: name"
keys q
for _ in $(seq 100); do [[ -s $work/exit ]] && break; sleep 0.1; done
[[ $(cat "$work/exit" 2>/dev/null) == "exit=0" ]] || { echo "lab_console.sh: exit status $(cat "$work/exit" 2>/dev/null)" >&2; screen >&2; exit 1; }
if screen | grep -qF "lambdatune │ SANDBOX"; then
	echo "lab_console.sh: the console is still drawn after quitting" >&2
	screen >&2
	exit 1
fi
step "ok: every step showed what it should"
