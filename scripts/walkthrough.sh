#!/usr/bin/env bash
# Runs a document's shell commands as written, from a fresh shell, the way a
# reader who copies them would: every ```sh (or ```bash) block, in order, in
# one bash with an empty environment but PATH (lambdatune first), a fresh HOME
# and runtime directory, and no AWS configuration. A block right after a line
# `<!-- not run -->` is skipped (for commands that need a terminal or take
# minutes on purpose). Stops at the first command that fails and says which;
# every process the document started in the background is stopped at the end.
#
# Usage: scripts/walkthrough.sh [path/to/lambdatune] [doc.md]   # default: build, docs/walkthrough.md
# Knobs: RUN_TIME — when set (CI sets 5s), the `-t`/`--run-time` of every
#        `lambdatune load` and `lambdatune lab` line is replaced by it, so that minutes of load take
#        seconds; nothing else in a command is changed.
#        KEEP=1 keeps the generated script and its output directory.
# Traffic goes to 127.0.0.1 only: the document is expected to use a sandbox.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-}
doc=${2:-$root/docs/walkthrough.md}
work=$(mktemp -d)
cleanup() { [[ ${KEEP:-} == 1 ]] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/bin" "$work/home" "$work/run"
if [[ -z $bin ]]; then
	(cd "$root" && go build -o "$work/bin/lambdatune" ./cmd/lambdatune)
else
	ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$work/bin/lambdatune"
fi

# extract prints the runnable blocks of a Markdown file as one script, each
# command line preceded by a marker the runner echoes.
extract() {
	awk -v run_time="${RUN_TIME:-}" -v count="$work/count" '
		/^[[:space:]]*<!-- not run -->[[:space:]]*$/ { skip = 1; next }
		/^[[:space:]]*```(sh|bash)[[:space:]]*$/ && !inblock { inblock = 1; run = !skip; skip = 0; block++; next }
		/^[[:space:]]*```[[:space:]]*$/ && inblock { inblock = 0; next }
		inblock && run {
			line = $0; sub(/^[[:space:]]+/, "", line)
			if (line == "" || line ~ /^#/) next
			if (run_time != "" && line ~ /^lambdatune (load|lab) /) {
				gsub(/ (-t|--run-time) [^ ]+/, " -t " run_time, line)
			}
			if (!cont) { printf "echo %s\n", quote("$ " line); n++ }
			print line
			cont = (line ~ /\\$/)
		}
		/^[[:space:]]*$/ && !inblock { next }
		!inblock { skip = 0 }
		END { print n + 0 > count }
		function quote(s) { gsub(/\x27/, "\x27\\\x27\x27", s); return "\x27" s "\x27" }
	' "$1"
}

{
	echo 'set -euo pipefail'
	echo 'trap '\''s=$?; [[ $s -ne 0 ]] && echo "walkthrough: the command above failed (exit $s)" >&2; jobs -p | xargs -r kill 2>/dev/null || true; wait; exit $s'\'' EXIT'
	extract "$doc"
} >"$work/walkthrough.sh"
commands=$(cat "$work/count")
[[ $commands -gt 0 ]] || { echo "walkthrough: no runnable commands in $doc" >&2; exit 1; }
echo "walkthrough: running the $commands commands of ${doc#"$root"/} in a fresh shell" >&2

cd "$work/home"
env -i PATH="$work/bin:/usr/local/bin:/usr/bin:/bin" HOME="$work/home" XDG_RUNTIME_DIR="$work/run" TERM=dumb \
	LANG=C.UTF-8 bash "$work/walkthrough.sh"
echo "walkthrough: all $commands commands of ${doc#"$root"/} ran" >&2
