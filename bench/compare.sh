#!/usr/bin/env bash
# Side-by-side load-tool comparison on this machine (see docs/benchmarks.md).
#
#   bench/compare.sh            # full run: throughput (6 tools × 3 runs × 15 s), accuracy, agreement
#   RUNS=1 DURATION=5 bench/compare.sh   # a quick look
#
# The bench server is pinned to core 0 and each load tool to core 1 (taskset).
# Throughput: 50 connections/users, GET by id, DURATION seconds, median of RUNS
# interleaved rounds (every tool once per round), with requests/s and the tool's
# CPU (user+sys, from /usr/bin/time) per request.
# Accuracy: a server answering in exactly 50 ms, lambdatune's open model at 200 req/s.
# Agreement: the same closed-model settings for lambdatune and Locust against the
# 50 ms server, checked against the server's own record of its handling time.
# All traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
DURATION=${DURATION:-15}
CONNS=${CONNS:-50}
PORT=${PORT:-18089}
URL="http://127.0.0.1:${PORT}/products/42"
OUT=${OUT:-bench/results}
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
export PATH=/usr/local/go/bin:$PATH

log() { echo "compare: $*" >&2; }

build() {
  go build -o "$WORK/lambdatune" ./cmd/lambdatune
  go build -o "$WORK/server" ./bench/server
  VEGETA=$(command -v vegeta || true)
  if [[ -z "$VEGETA" && -x "$(go env GOPATH)/bin/vegeta" ]]; then VEGETA="$(go env GOPATH)/bin/vegeta"; fi
  if [[ -z "$VEGETA" ]]; then
    log "installing vegeta v12.13.0"
    GOFLAGS= go install github.com/tsenart/vegeta/v12@v12.13.0
    VEGETA="$(go env GOPATH)/bin/vegeta"
  fi
  for tool in wrk hey locust taskset /usr/bin/time; do
    command -v "$tool" >/dev/null || { log "missing $tool (apt-get install wrk hey python3-locust util-linux time)"; exit 1; }
  done
}

SERVER_PID=
start_server() { # args: extra server flags
  stop_server
  # Its output goes to a file: an inherited stdout would keep the report's pipe open.
  taskset -c 0 "$WORK/server" -addr "127.0.0.1:${PORT}" "$@" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 50); do curl -sf "$URL" >/dev/null && return; sleep 0.1; done
  log "bench server did not start"; exit 1
}
stop_server() { if [[ -n "${SERVER_PID:-}" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; fi; }
reset_server() { curl -sf -X POST "http://127.0.0.1:${PORT}/__reset" >/dev/null; }
server_stats() { curl -sf "http://127.0.0.1:${PORT}/__stats"; }

# timed CMD...: runs the tool on core 1; leaves its CPU seconds in $WORK/cpu.
timed() {
  /usr/bin/time -f "%U %S" -o "$WORK/time" taskset -c 1 "$@"
  awk '{print $1 + $2}' "$WORK/time" >"$WORK/cpu"
}

# Each run_* prints "requests seconds" (completed requests, measured duration).
run_lambdatune() {
  timed "$WORK/lambdatune" load --url "$URL" --scenario get -u "$CONNS" -r 10000 -t "${DURATION}s" --json >"$WORK/lt.json" 2>/dev/null
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["total"]["requests"], r["elapsed_s"])' "$WORK/lt.json"
}
run_wrk() {
  timed wrk -t1 -c"$CONNS" -d"${DURATION}s" "$URL" >"$WORK/wrk.txt"
  awk '/requests in/ {n=$1; s=$4; sub(/s,?$/,"",s); print n, s}' "$WORK/wrk.txt"
}
run_hey() {
  timed hey -c "$CONNS" -z "${DURATION}s" "$URL" >"$WORK/hey.txt"
  awk '/Total:/ {s=$2} /responses/ && /\[200\]/ {n=$2} END {print n, s}' "$WORK/hey.txt"
}
run_vegeta() {
  echo "GET $URL" | timed "$VEGETA" attack -rate=0 -max-workers="$CONNS" -workers="$CONNS" -duration="${DURATION}s" >"$WORK/vegeta.bin"
  "$VEGETA" report -type=json <"$WORK/vegeta.bin" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["requests"], r["duration"]/1e9)'
}
run_locust() { # $1: httpuser | fasthttpuser
  timed locust -f "bench/locust/$1.py" --headless -u "$CONNS" -r "$CONNS" -t "${DURATION}s" -H "http://127.0.0.1:${PORT}" \
    --csv "$WORK/locust" --only-summary >/dev/null 2>&1
  python3 - "$WORK/locust_stats.csv" <<'PY'
import csv, sys
row = [r for r in csv.DictReader(open(sys.argv[1])) if r["Name"] == "Aggregated"][0]
n, rps = int(row["Request Count"]), float(row["Requests/s"])
print(n, n / rps if rps else 0)
PY
}

TOOLS=(lambdatune wrk hey vegeta locust-fasthttpuser locust-httpuser)

# throughput_run TOOL ROUND: one run, appended to $WORK/results.TOOL as
# "req/s µs-per-request requests".
throughput_run() {
  local tool=$1 round=$2 n secs cpu
  start_server
  read -r n secs < <(case $tool in
    lambdatune) run_lambdatune ;; wrk) run_wrk ;; hey) run_hey ;; vegeta) run_vegeta ;;
    locust-httpuser) run_locust httpuser ;; locust-fasthttpuser) run_locust fasthttpuser ;;
  esac)
  cpu=$(cat "$WORK/cpu")
  python3 -c "import sys; n,s,c=float(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'{n/s:.0f} {c*1e6/n:.1f} {int(n)}')" \
    "$n" "$secs" "$cpu" >>"$WORK/results.$tool"
  log "$tool round $round: $(tail -1 "$WORK/results.$tool") (req/s, CPU µs/req, requests)"
}

# throughput: RUNS rounds, each running every tool once, so that the shared
# machine's noise falls on all tools alike; then each tool's median run.
throughput() {
  for round in $(seq "$RUNS"); do
    for tool in "${TOOLS[@]}"; do throughput_run "$tool" "$round"; done
  done
  for tool in "${TOOLS[@]}"; do
    local runs; runs=$(awk '{printf "%s%s", sep, $1; sep=", "}' "$WORK/results.$tool")
    sort -n "$WORK/results.$tool" | sed -n "$(( (RUNS + 1) / 2 ))p" |
      awk -v t="$tool" -v r="$runs" '{printf "| %s | %s | %s | %s | %s |\n", t, $1, $2, $3, r}'
  done
}

accuracy() {
  start_server -delay 50ms
  timed "$WORK/lambdatune" load --url "$URL" --scenario get --rate 200 -t "${DURATION}s" --json >"$WORK/acc.json" 2>/dev/null
  python3 - "$WORK/acc.json" "$(server_stats)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); srv = json.loads(sys.argv[2]); t = r["total"]; p = t["percentiles_ms"]
ok = abs(p["p50"] - 50) <= 1 and abs(p["p99"] - 50) <= 3
print(f"| lambdatune open model, 200 req/s | {t['requests']} | {p['p50']:.2f} | {p['p99']:.2f} | {t['max_ms']:.2f} | "
      f"{srv['p50_ms']:.2f} / {srv['p99_ms']:.2f} | late {r['open_model']['late']}, dropped {r['open_model']['dropped']} | {'PASS' if ok else 'FAIL'} |")
PY
}

# agreement: closed model, 50 users waiting 200 ms between requests to the 50 ms server.
agreement_row() { # $1 label, rest: command producing "avg median requests"
  local label=$1; shift
  reset_server
  local ours; ours=$("$@")
  python3 - "$label" "$ours" "$(server_stats)" <<'PY'
import json, sys
label, (avg, med, n), srv = sys.argv[1], sys.argv[2].split(), json.loads(sys.argv[3])
print(f"| {label} | {n} | {float(avg):.2f} | {float(med):.2f} | {srv['avg_ms']:.2f} | {srv['p50_ms']:.2f} | {float(avg) - srv['avg_ms']:+.2f} |")
PY
}
agree_lambdatune() {
  timed "$WORK/lambdatune" load --url "$URL" --scenario get -u "$CONNS" -r "$CONNS" --wait 200ms -t "${DURATION}s" --json >"$WORK/agree.json" 2>/dev/null
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print(t["avg_ms"], t["percentiles_ms"]["p50"], t["requests"])' "$WORK/agree.json"
}
agree_locust() {
  BENCH_WAIT=0.2 timed locust -f "bench/locust/$1.py" --headless -u "$CONNS" -r "$CONNS" -t "${DURATION}s" -H "http://127.0.0.1:${PORT}" \
    --csv "$WORK/agree" --only-summary >/dev/null 2>&1
  python3 -c 'import csv,sys; r=[r for r in csv.DictReader(open(sys.argv[1])) if r["Name"]=="Aggregated"][0]; print(r["Average Response Time"], r["Median Response Time"], r["Request Count"])' "$WORK/agree_stats.csv"
}

main() {
  build
  local report="$OUT/compare-$(date -u +%Y%m%dT%H%M%SZ).md"
  {
    echo "# Load tools side by side — $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Server on core 0, tool on core 1; ${CONNS} connections/users; GET ${URL}; ${DURATION} s; median of ${RUNS}."
    echo
    echo "## Throughput"
    echo
    echo "| tool | req/s (median run) | CPU µs/req | requests | req/s of each round |"
    echo "|---|---:|---:|---:|---|"
    throughput
    echo
    echo "## Accuracy (server answers in 50 ms)"
    echo
    echo "| run | requests | p50 ms | p99 ms | max ms | server p50 / p99 ms | schedule | within 1 ms / 3 ms |"
    echo "|---|---:|---:|---:|---:|---:|---|---|"
    accuracy
    echo
    echo "## Agreement (closed model: ${CONNS} users, 200 ms wait, 50 ms server)"
    echo
    echo "| tool | requests | avg ms | median ms | server avg ms | server median ms | tool avg − server avg |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    start_server -delay 50ms
    agreement_row lambdatune agree_lambdatune
    agreement_row "locust FastHttpUser" agree_locust fasthttpuser
    agreement_row "locust HttpUser" agree_locust httpuser
    stop_server
    echo
    echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
  } | tee "$report"
  log "written to $report"
}

main "$@"
