#!/usr/bin/env bash
# Measures the sandbox's capacity over loopback, with the sandbox pinned to one
# core and the load tool to the other (taskset):
#
#   1. throughput: with modelled latencies set to zero (--zero-latency), the
#      requests/s the products API front sustains under wrk (GET
#      /Prod/products/{id}: API Gateway routing and event, the execution
#      model's admission and environments, the products code, the proxy
#      response);
#   2. cost at the lab's load: with realistic latencies, the CPU the sandbox
#      process uses while hey sends 200 requests/s (100 workers × 2/s), from
#      utime+stime in /proc/PID/stat over the run.
#
# Usage: bench/sandbox.sh            # builds ./cmd/lambdatune
#        bench/sandbox.sh path/to/lambdatune
# Knobs (environment): THROUGHPUT_SECONDS (30), CONNECTIONS (64),
# LAB_SECONDS (60), SANDBOX_CPU (0), LOAD_CPU (1).
# Needs wrk, hey, taskset, curl, python3. Run it on a quiet machine: other
# work on either core shows up in both numbers.
set -euo pipefail

THROUGHPUT_SECONDS=${THROUGHPUT_SECONDS:-30}
CONNECTIONS=${CONNECTIONS:-64}
LAB_SECONDS=${LAB_SECONDS:-60}
SANDBOX_CPU=${SANDBOX_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}

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

for tool in wrk hey taskset curl python3; do
	command -v "$tool" >/dev/null || fail "$tool is not installed"
done

binary=${1:-}
if [[ -z $binary ]]; then
	(cd "$root" && go build -o "$work/lambdatune" ./cmd/lambdatune)
	binary=$work/lambdatune
fi

# start_sandbox ARGS...: starts the sandbox pinned to SANDBOX_CPU; sets pid and api.
start_sandbox() {
	taskset -c "$SANDBOX_CPU" "$binary" sandbox --listen 127.0.0.1:0 "$@" >"$work/sandbox.out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		api=$(sed -n 's/^Products API: //p' "$work/sandbox.out")
		[[ -n $api ]] && return
		kill -0 "$pid" 2>/dev/null || fail "sandbox exited: $(cat "$work/sandbox.out")"
		sleep 0.1
	done
	fail "sandbox printed no products API URL: $(cat "$work/sandbox.out")"
}

stop_sandbox() {
	kill -TERM "$pid"
	wait "$pid" 2>/dev/null || true
	pid=""
}

# first_product: the id of a product in the table.
first_product() {
	curl -sf "$api/products?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["products"][0]["id"])'
}

# cpu_ticks PID: utime + stime of a process, in clock ticks.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)"

# ---- 1. throughput with zero latency -------------------------------------------
# The account's concurrency limit is raised so that its request rate (10 ×
# the limit) is not what stops the run: 10,000 allows 100,000 requests/s.
start_sandbox --zero-latency --account-concurrency 10000
url="$api/products/$(first_product)"
echo "== throughput: wrk -t1 -c$CONNECTIONS -d${THROUGHPUT_SECONDS}s $url (sandbox on CPU $SANDBOX_CPU, wrk on CPU $LOAD_CPU)"
taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d3s "$url" >/dev/null # warm-up
taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${THROUGHPUT_SECONDS}s" --latency "$url" | tee "$work/wrk.out"
grep -q 'Non-2xx' "$work/wrk.out" && fail "some answers were not 2xx"
rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.out")
stop_sandbox

# ---- 2. CPU at the lab's 200 requests/s -----------------------------------------
start_sandbox
url="$api/products/$(first_product)"
echo "== lab load: hey -z ${LAB_SECONDS}s -c 100 -q 2 $url (realistic latencies)"
before=$(cpu_ticks "$pid")
start=$(date +%s.%N)
taskset -c "$LOAD_CPU" hey -z "${LAB_SECONDS}s" -c 100 -q 2 "$url" >"$work/hey.out"
end=$(date +%s.%N)
after=$(cpu_ticks "$pid")
stop_sandbox
grep -E 'Requests/sec|Average:|Slowest:|Fastest:|\[2[0-9][0-9]\]|\[[345][0-9][0-9]\]' "$work/hey.out" | sed 's/^/  /'
cpu=$(python3 -c "import sys; t, w = (float(sys.argv[1]) / $(getconf CLK_TCK)), float(sys.argv[3]) - float(sys.argv[2]); print(f'{100 * t / w:.2f}')" \
	"$((after - before))" "$start" "$end")

echo "== results"
echo "throughput with zero latency: $rps requests/s"
echo "sandbox CPU at 200 requests/s: $cpu % of one core"
