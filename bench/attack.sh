#!/usr/bin/env bash
# Replays the attacks of issue 13 against a standalone `lambdatune sandbox`
# (its defaults: real latencies, 1,024 connections per listener, a 96 MB
# memory budget, a 448 MiB soft memory limit) and prints, for each, the
# sandbox process's peak RSS and whether a normal client — a GET through the
# products API and GetAccountSettings, every 200 ms — was served throughout:
#
#   list     100 products of 390 KB, then 200 list requests from 50
#            connections through the products API and 200 through Invoke
#   post9mb  100 POSTs of 9 MB bodies from 50 connections
#   post5mb  100 POSTs of 5.5 MB bodies (under every limit) from 50 connections
#   slow     per listener, 200 connections trickling a body a byte a second
#            and 5,000 idle ones, for 40 s (past the 30 s body timeout)
#
# Usage: bench/attack.sh                     # builds ./cmd/lambdatune
#        bench/attack.sh path/to/lambdatune
#        ATTACK_ARGS="-phases slow -idle 2000" bench/attack.sh
# Exits 1 when the normal client failed a request. Traffic goes to 127.0.0.1
# only; the flood needs about 10,500 file descriptors. Run by hand, not in CI.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
pid=""

cleanup() {
	if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

binary=${1:-}
if [[ -z $binary ]]; then
	(cd "$root" && go build -o "$work/lambdatune" ./cmd/lambdatune)
	binary=$work/lambdatune
fi
(cd "$root" && go build -o "$work/attack" ./bench/attack)

"$binary" sandbox --listen 127.0.0.1:0 >"$work/sandbox.out" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q '^Lab function: ' "$work/sandbox.out" && break
	kill -0 "$pid" 2>/dev/null || fail "sandbox exited: $(cat "$work/sandbox.out")"
	sleep 0.1
done
endpoint=$(sed -n 's/^AWS endpoint: //p' "$work/sandbox.out")
api=$(sed -n 's/^Products API: //p' "$work/sandbox.out")
function=$(sed -n 's/^Lab function: \(.*\)\. Press Ctrl-C to stop\.$/\1/p' "$work/sandbox.out")
[[ -n $endpoint && -n $api && -n $function ]] || fail "sandbox printed no URLs: $(cat "$work/sandbox.out")"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), open-file limit $(ulimit -n)"
rc=0
# shellcheck disable=SC2086 # ATTACK_ARGS is a list of flags
"$work/attack" -api "$api" -endpoint "$endpoint" -function "$function" -pid "$pid" ${ATTACK_ARGS:-} || rc=$?
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
pid=""
grep '^Scheduling lag' "$work/sandbox.out" || true
exit "$rc"
