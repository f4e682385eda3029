#!/usr/bin/env bash
# The lab on a "real account": a standalone `lambdatune sandbox --fast` stands
# in for AWS, reached only through --endpoint-url, as an account would be (the
# lab finds the lab stack's function by its name and the API through the
# stack's outputs, not through the sandbox's runtime file). The lab runs
# WITHOUT --yes: every change and the restore are answered "y" on standard
# input, and each prompt must appear. Then the AWS CLI reads the function's
# configuration and the script fails unless every setting is back as it was
# before the lab: memory, reserved and provisioned concurrency, aliases and
# versions.
#
# Usage: scripts/lab_account.sh [path/to/lambdatune]   # builds ./cmd/lambdatune by default
# Knobs: RUN_TIME (5s per step), AWSCLI ("python3 -m awscli" or /usr/bin/aws).
# Traffic goes to 127.0.0.1 only.
set -euo pipefail

RUN_TIME=${RUN_TIME:-5s}
AWSCLI=${AWSCLI:-python3 -m awscli}
read -r -a AWS_CMD <<<"$AWSCLI"

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

bin=${1:-}
if [[ -z $bin ]]; then
	bin=$work/lambdatune
	(cd "$root" && go build -o "$bin" ./cmd/lambdatune)
fi

# The AWS CLI and lambdatune isolated from any real account or configuration.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_CA_BUNDLE AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
export AWS_ACCESS_KEY_ID=AKIDLAB AWS_SECRET_ACCESS_KEY=lab-secret AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export AWS_CONFIG_FILE=$work/config AWS_SHARED_CREDENTIALS_FILE=$work/credentials AWS_EC2_METADATA_DISABLED=true
: >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"
mkdir -p "$work/run-sandbox" "$work/run-lab" "$work/state"

XDG_RUNTIME_DIR=$work/run-sandbox "$bin" sandbox --fast --listen 127.0.0.1:0 >"$work/sandbox.log" 2>&1 &
pid=$!
for _ in $(seq 200); do grep -q '^Products API:' "$work/sandbox.log" 2>/dev/null && break; sleep 0.05; done
endpoint=$(sed -n 's/^AWS endpoint: //p' "$work/sandbox.log")
[[ -n $endpoint ]] || { cat "$work/sandbox.log"; fail "the sandbox did not start"; }
awscli() { "${AWS_CMD[@]}" --endpoint-url "$endpoint" --output json "$@"; }
fn=$(awscli lambda list-functions --query 'Functions[].FunctionName' | python3 -c 'import json,sys; print(next(n for n in json.load(sys.stdin) if "ProductApiFunction" in n))')
echo "stand-in account at $endpoint; the lab's function is $fn" >&2

# settings prints the settings the lab changes, one per line, from the AWS CLI.
settings() {
	echo "memory $(awscli lambda get-function-configuration --function-name "$fn" --query MemorySize)"
	echo "reserved $(awscli lambda get-function-concurrency --function-name "$fn" --query ReservedConcurrentExecutions)"
	echo "provisioned $(awscli lambda list-provisioned-concurrency-configs --function-name "$fn" --query 'ProvisionedConcurrencyConfigs[].[FunctionArn,RequestedProvisionedConcurrentExecutions]' | tr -d ' \n')"
	echo "aliases $(awscli lambda list-aliases --function-name "$fn" --query 'Aliases[].[Name,FunctionVersion]' | tr -d ' \n')"
	echo "versions $(awscli lambda list-versions-by-function --function-name "$fn" --query 'Versions[].Version' | tr -d ' \n')"
}
settings >"$work/before"
cat "$work/before" >&2

# Answers for every prompt (five changes and the restore), and a few spare.
set +e
yes y | head -n 12 | XDG_RUNTIME_DIR=$work/run-lab "$bin" lab --headless --endpoint-url "$endpoint" --run-time "$RUN_TIME" \
	--state-dir "$work/state" >"$work/lab.out" 2>"$work/lab.err"
code=$?
set -e
cat "$work/lab.out"
cat "$work/lab.err" >&2
case $code in
0 | 2) ;; # every expectation held, or one did not at this short run time: the walk itself worked
*) fail "lambdatune lab exited $code" ;;
esac

changes=$(grep -c 'Make this change? \[y/N\]' "$work/lab.out" || true)
[[ $changes -eq 5 ]] || fail "$changes change prompts, want 5 (step 2: memory; step 3: memory, provisioned on a new alias; step 4: provisioned off, reserved)"
grep -q 'Restore it? \[y/N\]' "$work/lab.out" || fail "the restore was not offered"
grep -q "through its API\|stack .*ProductApiUrl output" "$work/lab.out" || fail "the API was not found through the stack's outputs"
grep -q 'now: as it was before the lab' "$work/lab.out" || fail "the lab does not say the function is back as it was"

settings >"$work/after"
if ! diff -u "$work/before" "$work/after" >&2; then
	fail "the restore did not bring every setting back (AWS CLI, before → after above)"
fi
grep -qx 'memory 128' "$work/after" || fail "memory is not the lab's 128 MB"
echo "lab_account: the walk asked before each of 5 changes and the restore, and every setting is back as it was (AWS CLI)" >&2
