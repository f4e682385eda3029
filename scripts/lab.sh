#!/usr/bin/env bash
# Walks the AWS training lab headless against a standalone sandbox, the way a
# trainee walks it: Locust-style load on the products API (100 users, spawn
# rate 3/s, ~200 requests/s) after each of the lab's four steps, with the
# changes made by `lambdatune set` and the peak concurrency and throttles read
# back from the sandbox's CloudWatch. Prints one table; exits non-zero if a run
# could not be made.
#
# Usage: scripts/lab.sh [path/to/lambdatune]     # builds ./cmd/lambdatune by default
# Knobs: RUN_TIME (120s per step), USERS (100), SPAWN (3), WAIT ('between(0.25s,0.55s)'),
#        AWSCLI ("python3 -m awscli"), SEED (7).
# Traffic goes to 127.0.0.1 only.
set -euo pipefail

RUN_TIME=${RUN_TIME:-120s}
USERS=${USERS:-100}
SPAWN=${SPAWN:-3}
WAIT=${WAIT:-between(0.25s,0.55s)}
AWSCLI=${AWSCLI:-python3 -m awscli}
SEED=${SEED:-7}
read -r -a AWS_CMD <<<"$AWSCLI"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
pid=""
cleanup() {
	[[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

bin=${1:-}
if [[ -z $bin ]]; then
	bin=$work/lambdatune
	(cd "$root" && go build -o "$bin" ./cmd/lambdatune)
fi

export AWS_ACCESS_KEY_ID=lab AWS_SECRET_ACCESS_KEY=lab AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export AWS_CONFIG_FILE=$work/config AWS_SHARED_CREDENTIALS_FILE=$work/credentials AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_CA_BUNDLE AWS_ENDPOINT_URL
: >"$AWS_CONFIG_FILE"

"$bin" sandbox --listen 127.0.0.1:0 --fast --seed "$SEED" >"$work/sandbox.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q '^Products API:' "$work/sandbox.log" 2>/dev/null && break; sleep 0.05; done
endpoint=$(sed -n 's/^AWS endpoint: //p' "$work/sandbox.log")
api=$(sed -n 's/^Products API: //p' "$work/sandbox.log")
fn=$(grep -o 'product-api-ProductApiFunction-[A-Za-z0-9]*' "$work/sandbox.log" | head -1)
[[ -n $endpoint && -n $api && -n $fn ]] || { cat "$work/sandbox.log"; exit 1; }
echo "sandbox: $endpoint, products API $api, function $fn" >&2

set_() { "$bin" set "$@" --endpoint-url "$endpoint" --yes >&2; }
awscli() { "${AWS_CMD[@]}" --endpoint-url "$endpoint" "$@"; }

# peak prints the peak ConcurrentExecutions and the Throttles of the function
# between two times, from CloudWatch (1-second periods).
peak() {
	local q='[{"Id":"c","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"ConcurrentExecutions","Dimensions":[{"Name":"FunctionName","Value":"'$fn'"}]},"Period":1,"Stat":"Maximum"}},
	         {"Id":"t","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Throttles","Dimensions":[{"Name":"FunctionName","Value":"'$fn'"}]},"Period":1,"Stat":"Sum"}}]'
	awscli cloudwatch get-metric-data --metric-data-queries "$q" --start-time "$1" --end-time "$2" --output json |
		python3 -c 'import json,sys; r={x["Id"]:x["Values"] for x in json.load(sys.stdin)["MetricDataResults"]}; print(int(max(r["c"] or [0])), int(sum(r["t"])))'
}

step() { # NAME
	local from to
	from=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	# Throttled requests are the point of step 4, not a broken run: failures
	# alone must not end the script (load exits 1 on any failure by default).
	"$bin" load --url "$api" -u "$USERS" -r "$SPAWN" --wait "$WAIT" -t "$RUN_TIME" --seed "$SEED" --json \
		--exit-code-on-error 0 >"$work/run.json" 2>"$work/run.log" || {
		cat "$work/run.log" >&2
		exit 1
	}
	sleep 2 # the running second is published once it is over
	to=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	python3 - "$1" "$work/run.json" "$(peak "$from" "$to")" <<-'PY'
		import json, sys
		name, path, (peak, throttles) = sys.argv[1], sys.argv[2], sys.argv[3].split()
		t = json.load(open(path))["total"]
		codes = ", ".join(f"{k}×{v}" for k, v in sorted(t["status_codes"].items()))
		print(f"| {name} | {t['requests']} | {t['rps']:.0f} | {t['avg_ms']:.0f} | {t['percentiles_ms']['p50']:.0f} | "
		      f"{t['percentiles_ms']['p99']:.0f} | {t['max_ms']:.0f} | {peak} | {throttles} | {codes} |")
	PY
}

echo "| step | requests | req/s | avg ms | p50 | p99 | max ms | peak concurrency | throttles | HTTP status |"
echo "|---|---|---|---|---|---|---|---|---|---|"
step "1. baseline, 128 MB"
set_ memory "$fn" 3008
step "2. memory 3008 MB"
set_ memory "$fn" 128
version=$(awscli lambda publish-version --function-name "$fn" --query Version --output text)
awscli lambda create-alias --function-name "$fn" --name live --function-version "$version" >/dev/null
set_ provisioned "$fn:live" 40
step "3. 128 MB, provisioned 40 on live"
set_ provisioned "$fn:live" none
set_ reserved "$fn" 20
step "4. 128 MB, reserved 20"
