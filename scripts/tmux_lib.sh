# Shared by scripts/console.sh and bench/console.sh: drive the built console
# in a tmux session, as a person would. Source it after setting $session,
# $work (a scratch directory) and $root (the repository), with the path of a
# built lambdatune as $1 or none to build one.

# lambdatune_binary [PATH]: the absolute path of PATH, or of a fresh build.
lambdatune_binary() {
	local bin=${1:-}
	if [[ -z $bin ]]; then
		bin=$work/lambdatune
		(cd "$root" && go build -o "$bin" ./cmd/lambdatune)
	fi
	echo "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
}

# screen: what the pane shows now, as text.
screen() { tmux capture-pane -p -t "$session"; }

# keys KEY...: type into the pane.
keys() { tmux send-keys -t "$session" "$@"; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (a fixed string), or
# fail showing the screen.
wait_for() {
	local want=$1 limit=${2:-30} i
	for ((i = 0; i < limit * 20; i++)); do
		if screen | grep -qF -- "$want"; then
			return 0
		fi
		sleep 0.05
	done
	echo "$(basename "$0"): timed out after ${limit}s waiting for: $want" >&2
	screen >&2
	exit 1
}

# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT, or fail
# showing the screen. After Escape, wait for what it closes to go before the
# next key: an Escape and a letter that reach the program together read as
# alt+letter.
wait_gone() {
	local gone=$1 limit=${2:-30} i
	for ((i = 0; i < limit * 20; i++)); do
		if ! screen | grep -qF -- "$gone"; then
			return 0
		fi
		sleep 0.05
	done
	echo "$(basename "$0"): timed out after ${limit}s waiting for this to go: $gone" >&2
	screen >&2
	exit 1
}
