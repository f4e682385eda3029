#!/usr/bin/env bash
# Drives a standalone `lambdatune sandbox` with the AWS CLI and checks that every
# answer, and every error text, is what AWS itself would print. Exits non-zero
# at the first mismatch, saying what differed; always stops the sandbox.
#
# Usage:
#   scripts/awscli.sh [path/to/lambdatune]        # builds ./cmd/lambdatune when no binary is given
#   AWSCLI=/usr/bin/aws scripts/awscli.sh         # Debian's AWS CLI 2.x
#   AWSCLI="python3 -m awscli" scripts/awscli.sh  # aws-cli 1.x with the machine's botocore
#
# To add checks: write a section_<name> function using `cli`, `check`,
# `check_min`, `check_error` and `wait_for` below, and add <name> to SECTIONS.
# Sections run in order and build on each other (versions publishes the
# version that provisioned uses); `list` always runs first to find the lab's
# function. With a paginated call, query with --output json: text output
# applies --query to each page separately.
set -euo pipefail

AWSCLI=${AWSCLI:-aws}
read -r -a AWS_CMD <<<"$AWSCLI"
SECTIONS=${SECTIONS:-"list get update concurrency versions provisioned account invoke api cloudwatch handler tags stacks delete"}
ACCOUNT=123456789012
REGION=us-east-1
# The Lambda API's Runtime enum, as AWS quotes it when it refuses a runtime (sandbox/runtimes.go).
RUNTIMES="nodejs, nodejs4.3, nodejs6.10, nodejs8.10, nodejs10.x, nodejs12.x, nodejs14.x, nodejs16.x, nodejs18.x, nodejs20.x, \
nodejs22.x, nodejs24.x, java8, java8.al2, java11, java17, java21, java25, python2.7, python3.6, python3.7, python3.8, python3.9, \
python3.10, python3.11, python3.12, python3.13, python3.14, dotnetcore1.0, dotnetcore2.0, dotnetcore2.1, dotnetcore3.1, dotnet6, \
dotnet8, dotnet10, nodejs4.3-edge, go1.x, ruby2.5, ruby2.7, ruby3.2, ruby3.3, ruby3.4, ruby4.0, provided, provided.al2, \
provided.al2023, nodejs26.x, python3.15, java8.al2023, java11.al2023, java17.al2023"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
sandbox_pid=""

cleanup() {
	if [[ -n $sandbox_pid ]] && kill -0 "$sandbox_pid" 2>/dev/null; then
		kill -TERM "$sandbox_pid" 2>/dev/null || true
		wait "$sandbox_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# ---- the AWS CLI, isolated from any real account or configuration ----------

isolate_cli() {
	unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL \
		AWS_ENDPOINT_URL_LAMBDA AWS_CA_BUNDLE AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
	export AWS_ACCESS_KEY_ID=AKIDSANDBOX AWS_SECRET_ACCESS_KEY=sandbox-secret
	export AWS_DEFAULT_REGION=$REGION AWS_REGION=$REGION AWS_PAGER=""
	export AWS_CONFIG_FILE=$work/config AWS_SHARED_CREDENTIALS_FILE=$work/credentials
	export AWS_EC2_METADATA_DISABLED=true
	printf '[default]\nregion = %s\noutput = json\n' "$REGION" >"$AWS_CONFIG_FILE"
	: >"$AWS_SHARED_CREDENTIALS_FILE"
}

# cli runs `aws lambda ARGS...` against the sandbox.
cli() {
	"${AWS_CMD[@]}" --endpoint-url "$endpoint" lambda "$@"
}

# ---- checks -------------------------------------------------------------------

# check WHAT ACTUAL EXPECTED: exact equality.
check() {
	[[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"
	echo "ok   $1: $2"
}

# check_min WHAT ACTUAL MIN: a whole number at least MIN.
check_min() {
	[[ $2 =~ ^[0-9]+$ ]] || fail "$1: got '$2', want a number"
	((10#$2 >= $3)) || fail "$1: got $2, want at least $3"
	echo "ok   $1: $2 (>= $3)"
}

# check_error WHAT CODE OPERATION MESSAGE -- ARGS...: the CLI call fails and
# prints exactly AWS's line for that error.
check_error() {
	local what=$1 code=$2 operation=$3 message=$4 out
	shift 5
	if out=$(cli "$@" 2>&1); then
		fail "$what: succeeded with '$out', want $code"
	fi
	out=$(printf '%s' "$out" | sed '/^[[:space:]]*$/d')
	local want="An error occurred ($code) when calling the $operation operation: $message"
	[[ $out == "$want" ]] || fail "$what: CLI printed
  $out
want
  $want"
	echo "ok   $what: $code"
}

# wait_for WHAT EXPECTED SECONDS -- ARGS...: polls a text-output CLI call.
wait_for() {
	local what=$1 expected=$2 seconds=$3 got="" deadline
	shift 4
	deadline=$((SECONDS + seconds))
	while ((SECONDS <= deadline)); do
		got=$(cli "$@" --output text)
		[[ $got == "$expected" ]] && {
			echo "ok   $what: $got"
			return
		}
		sleep 0.2
	done
	fail "$what: still '$got' after ${seconds}s, want '$expected'"
}

arn() { echo "arn:aws:lambda:$REGION:$ACCOUNT:function:$1"; }

unreserved() { cli get-account-settings --query AccountLimit.UnreservedConcurrentExecutions --output text; }

# ---- the sandbox --------------------------------------------------------------

start_sandbox() {
	local binary=${1:-}
	if [[ -z $binary ]]; then
		(cd "$root" && go build -o "$work/lambdatune" ./cmd/lambdatune)
		binary=$work/lambdatune
	fi
	# Updates stay InProgress long enough for a second CLI call to see the conflict,
	# even on a loaded machine where one CLI call takes seconds.
	"$binary" sandbox --listen 127.0.0.1:0 --fast --update-delay 20s >"$work/sandbox.out" 2>&1 &
	sandbox_pid=$!
	for _ in $(seq 100); do
		endpoint=$(sed -n 's/^AWS endpoint: //p' "$work/sandbox.out" 2>/dev/null || true)
		api=$(sed -n 's/^Products API: //p' "$work/sandbox.out" 2>/dev/null || true)
		if [[ -n $endpoint && -n $api ]]; then
			echo "sandbox at $endpoint, products API at $api (pid $sandbox_pid), CLI: $("${AWS_CMD[@]}" --version 2>&1)"
			return
		fi
		kill -0 "$sandbox_pid" 2>/dev/null || fail "sandbox exited: $(cat "$work/sandbox.out")"
		sleep 0.1
	done
	fail "sandbox printed no endpoint within 10 s: $(cat "$work/sandbox.out")"
}

# ---- sections -----------------------------------------------------------------

section_list() {
	check_min "list-functions: all functions, auto-paginated" \
		"$(cli list-functions --query 'length(Functions)' --output json)" 61
	check "list-functions: one server page holds at most 50" \
		"$(cli list-functions --no-paginate --query '[length(Functions), NextMarker != null]' --output text)" $'50\tTrue'
	check "list-functions --max-items 10" \
		"$(cli list-functions --max-items 10 --query 'length(Functions)' --output json)" 10
	local token first
	token=$(cli list-functions --page-size 20 --max-items 45 --query NextToken --output json | tr -d '"')
	[[ -n $token && $token != null ]] || fail "list-functions --max-items 45: no NextToken"
	check "list-functions --page-size 20 --max-items 45" \
		"$(cli list-functions --page-size 20 --max-items 45 --query 'length(Functions)' --output json)" 45
	first=$(cli list-functions --max-items 1 --starting-token "$token" --query 'Functions[0].FunctionName' --output json | tr -d '"')
	check "list-functions --starting-token resumes after item 45" \
		"$first" "$(cli list-functions --query 'Functions[45].FunctionName' --output json | tr -d '"')"
	product=$(cli list-functions --output json \
		--query "Functions[?starts_with(FunctionName, 'product-api-ProductApiFunction-')].FunctionName | [0]" | tr -d '"')
	[[ $product =~ ^product-api-ProductApiFunction-[A-Za-z0-9]{12}$ ]] || fail "no lab function in the list: '$product'"
	echo "ok   lab function: $product"
}

section_get() {
	check "get-function: the lab's configuration" \
		"$(cli get-function --function-name "$product" --output text --query \
			'[Configuration.Runtime, Configuration.MemorySize, Configuration.Timeout, Configuration.Architectures[0], Configuration.Handler, Configuration.State, Configuration.LastUpdateStatus]')" \
		$'python3.12\t128\t3\tx86_64\tapp.lambda_handler\tActive\tSuccessful'
	check "get-function: ARN and code location" \
		"$(cli get-function --function-name "$product" --output text --query '[Configuration.FunctionArn, Code.RepositoryType]')" \
		"$(arn "$product")"$'\tS3'
	check_error "get-function: unknown function" ResourceNotFoundException GetFunction \
		"Function not found: $(arn no-such-function)" -- get-function --function-name no-such-function
}

section_update() {
	check_error "update-function-configuration --memory-size 10241" ValidationException UpdateFunctionConfiguration \
		"1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240" \
		-- update-function-configuration --function-name "$product" --memory-size 10241
	local long
	long=$(printf 'd%.0s' $(seq 257))
	check_error "update-function-configuration: a description over 256 characters" ValidationException UpdateFunctionConfiguration \
		"1 validation error detected: Value '$long' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256" \
		-- update-function-configuration --function-name "$product" --description "$long"
	check_error "update-function-configuration: a reserved environment variable" InvalidParameterValueException UpdateFunctionConfiguration \
		"Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION" \
		-- update-function-configuration --function-name "$product" --environment 'Variables={AWS_REGION=eu-west-1}'
	check_error "update-function-configuration: an unknown runtime" InvalidParameterValueException UpdateFunctionConfiguration \
		"Value python3 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [$RUNTIMES] or be a valid ARN" \
		-- update-function-configuration --function-name "$product" --runtime python3
	check "update-function-configuration --memory-size 256" \
		"$(cli update-function-configuration --function-name "$product" --memory-size 256 --output text --query '[MemorySize, LastUpdateStatus]')" \
		$'256\tInProgress'
	check_error "update while an update is in progress" ResourceConflictException UpdateFunctionConfiguration \
		"The operation cannot be performed at this time. An update is in progress for resource: $(arn "$product")" \
		-- update-function-configuration --function-name "$product" --timeout 5
	wait_for "LastUpdateStatus after the update" Successful 60 -- \
		get-function-configuration --function-name "$product" --query LastUpdateStatus
	cli wait function-updated --function-name "$product" || fail "aws lambda wait function-updated failed"
	echo "ok   aws lambda wait function-updated"
	check "memory after the update" \
		"$(cli get-function-configuration --function-name "$product" --query MemorySize --output text)" 256
}

section_concurrency() {
	local before
	before=$(unreserved)
	check "put-function-concurrency 20" \
		"$(cli put-function-concurrency --function-name "$product" --reserved-concurrent-executions 20 --query ReservedConcurrentExecutions --output text)" 20
	check "get-function-concurrency" \
		"$(cli get-function-concurrency --function-name "$product" --query ReservedConcurrentExecutions --output text)" 20
	check "get-function shows the reserved concurrency" \
		"$(cli get-function --function-name "$product" --query Concurrency.ReservedConcurrentExecutions --output text)" 20
	check "unreserved concurrency drops by 20" "$(unreserved)" "$((before - 20))"
	check_error "reserving below the unreserved floor" InvalidParameterValueException PutFunctionConcurrency \
		"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]." \
		-- put-function-concurrency --function-name "$product" --reserved-concurrent-executions "$((before - 99))"
	cli delete-function-concurrency --function-name "$product"
	check "get-function-concurrency after delete" \
		"$(cli get-function-concurrency --function-name "$product" --query ReservedConcurrentExecutions --output text)" None
	check "unreserved concurrency restored" "$(unreserved)" "$before"
}

section_versions() {
	version=$(cli publish-version --function-name "$product" --description "256 MB" --query Version --output text)
	check "publish-version" "$version" 1
	check "list-versions-by-function" \
		"$(cli list-versions-by-function --function-name "$product" --query 'Versions[].Version' --output text)" $'$LATEST\t1'
	check "create-alias live" \
		"$(cli create-alias --function-name "$product" --name live --function-version "$version" --query '[AliasArn, FunctionVersion]' --output text)" \
		"$(arn "$product"):live"$'\t1'
	check_error "create-alias twice" ResourceConflictException CreateAlias \
		"Alias already exists: $(arn "$product"):live" -- create-alias --function-name "$product" --name live --function-version 1
	check "get-function via the alias" \
		"$(cli get-function --function-name "$product" --qualifier live --query '[Configuration.Version, Configuration.MemorySize]' --output text)" $'1\t256'
}

section_provisioned() {
	check_error "provisioned concurrency on \$LATEST" InvalidParameterValueException PutProvisionedConcurrencyConfig \
		"Provisioned Concurrency Configs cannot be applied to unpublished function versions." \
		-- put-provisioned-concurrency-config --function-name "$product" --qualifier '$LATEST' --provisioned-concurrent-executions 5
	check_error "provisioned concurrency below the unreserved floor" InvalidParameterValueException PutProvisionedConcurrencyConfig \
		"Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]." \
		-- put-provisioned-concurrency-config --function-name "$product" --qualifier live --provisioned-concurrent-executions "$(($(unreserved) - 99))"
	cli put-function-concurrency --function-name "$product" --reserved-concurrent-executions 20 >/dev/null
	check_error "provisioned concurrency above reserved" InvalidParameterValueException PutProvisionedConcurrencyConfig \
		"Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function" \
		-- put-provisioned-concurrency-config --function-name "$product" --qualifier live --provisioned-concurrent-executions 25
	cli delete-function-concurrency --function-name "$product"
	check "put-provisioned-concurrency-config 5 on live" \
		"$(cli put-provisioned-concurrency-config --function-name "$product" --qualifier live --provisioned-concurrent-executions 5 \
			--output text --query '[Status, RequestedProvisionedConcurrentExecutions, AllocatedProvisionedConcurrentExecutions, AvailableProvisionedConcurrentExecutions]')" \
		$'IN_PROGRESS\t5\t0\t0'
	wait_for "provisioned concurrency becomes READY" $'READY\t5\t5' 15 -- \
		get-provisioned-concurrency-config --function-name "$product" --qualifier live \
		--query '[Status, AllocatedProvisionedConcurrentExecutions, AvailableProvisionedConcurrentExecutions]'
	check "list-provisioned-concurrency-configs" \
		"$(cli list-provisioned-concurrency-configs --function-name "$product" --output text \
			--query 'ProvisionedConcurrencyConfigs[].[FunctionArn, Status]')" "$(arn "$product"):live"$'\tREADY'
	cli delete-provisioned-concurrency-config --function-name "$product" --qualifier live
	echo "ok   delete-provisioned-concurrency-config"
	check_error "get-provisioned-concurrency-config after delete" ProvisionedConcurrencyConfigNotFoundException GetProvisionedConcurrencyConfig \
		"No Provisioned Concurrency Config found for this function" \
		-- get-provisioned-concurrency-config --function-name "$product" --qualifier live
}

section_account() {
	check "get-account-settings: limits" \
		"$(cli get-account-settings --output text --query '[AccountLimit.ConcurrentExecutions, AccountLimit.TotalCodeSize, AccountLimit.CodeSizeZipped, AccountLimit.CodeSizeUnzipped]')" \
		$'1000\t80530636800\t52428800\t262144000'
	check_min "get-account-settings: FunctionCount" "$(cli get-account-settings --query AccountUsage.FunctionCount --output text)" 61
	check_min "get-account-settings: UnreservedConcurrentExecutions" "$(unreserved)" 100
}

# report_of LOGRESULT: the REPORT line of a base64 X-Amz-Log-Result.
report_of() {
	printf '%s' "$1" | base64 -d | grep '^REPORT'
}

# check_report WHAT REPORT MEMORY COLD: the REPORT line has AWS's exact format
# (tab after every field), the memory size, Init Duration only when COLD is
# yes, and Billed Duration = ceil(Duration [+ Init Duration]).
check_report() {
	local what=$1 report=$2 memory=$3 cold=$4 tab=$'\t' re
	re="^REPORT RequestId: [0-9a-f-]{36}${tab}Duration: ([0-9]+\.[0-9]{2}) ms${tab}Billed Duration: ([0-9]+) ms${tab}"
	re+="Memory Size: ${memory} MB${tab}Max Memory Used: [0-9]+ MB${tab}(Init Duration: ([0-9]+\.[0-9]{2}) ms${tab})?$"
	[[ $report =~ $re ]] || fail "$what: REPORT line has not AWS's format: '$report'"
	local duration=${BASH_REMATCH[1]} billed=${BASH_REMATCH[2]} init=${BASH_REMATCH[4]:-0}
	[[ ($cold == yes && -n ${BASH_REMATCH[3]}) || ($cold == no && -z ${BASH_REMATCH[3]}) ]] ||
		fail "$what: want cold=$cold: '$report'"
	local want
	want=$(awk -v d="$duration" -v i="$init" 'BEGIN { x = d + i; c = int(x); if (c < x) c++; print c }')
	check "$what: Billed Duration = ceil(Duration + Init Duration)" "$billed" "$want"
}

section_invoke() {
	local event=$work/event.json out=$work/out.json memory fields
	memory=$(cli get-function-configuration --function-name "$product" --query MemorySize --output text)
	printf '%s' '{"resource":"/products","path":"/products","httpMethod":"GET","queryStringParameters":{"limit":"2"},"requestContext":{"stage":"Prod"},"body":null,"isBase64Encoded":false}' >"$event"
	fields=$(cli invoke --function-name "$product" --log-type Tail --payload "fileb://$event" "$out" \
		--query '[StatusCode, ExecutedVersion, LogResult]' --output text)
	local status version log
	IFS=$'\t' read -r status version log <<<"$fields"
	check "invoke --log-type Tail: status and executed version" "$status $version" '200 $LATEST'
	check_report "invoke: the first invocation is a cold start" "$(report_of "$log")" "$memory" yes
	check "invoke: the function's answer" "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["statusCode"], json.loads(r["body"])["count"])' "$out")" "200 2"
	log=$(cli invoke --function-name "$product" --log-type Tail --payload "fileb://$event" "$out" --query LogResult --output text)
	check_report "invoke: the second invocation is warm" "$(report_of "$log")" "$memory" no
	printf '{}' >"$event"
	check "invoke with an event the code cannot read: X-Amz-Function-Error" \
		"$(cli invoke --function-name "$product" --payload "fileb://$event" "$out" --query FunctionError --output text)" Unhandled
	check "invoke: the function's error" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["errorType"])' "$out")" KeyError
	printf 'abc' >"$event"
	check_error "invoke with a payload that is not JSON" InvalidRequestContentException Invoke \
		"Could not parse request body into json: Could not parse payload into json: Unrecognized token 'abc': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"$'\n'" at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: 1, column: 4]" \
		-- invoke --function-name "$product" --payload "fileb://$event" "$out"
	check_error "invoke an unknown function" ResourceNotFoundException Invoke \
		"Function not found: $(arn no-such-function)" -- invoke --function-name no-such-function "$out"
	cli put-function-concurrency --function-name "$product" --reserved-concurrent-executions 0 >/dev/null
	local throttled
	if throttled=$(AWS_MAX_ATTEMPTS=1 cli invoke --function-name "$product" "$out" 2>&1); then
		fail "invoke with reserved concurrency 0 succeeded"
	fi
	[[ $throttled == *"(TooManyRequestsException) when calling the Invoke operation"*"Rate Exceeded."* ]] ||
		fail "invoke with reserved concurrency 0: CLI printed '$throttled'"
	echo "ok   invoke with reserved concurrency 0: TooManyRequestsException, Rate Exceeded."
	cli delete-function-concurrency --function-name "$product"
}

# section_api drives the products API front with curl, as the lab's users do.
section_api() {
	local id
	check "products API: GET /products" "$(curl -s -o /dev/null -w '%{http_code}' "$api/products")" 200
	id=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"name":"CLI Lamp","price":9.5}' "$api/products" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
	check "products API: GET the created product" "$(curl -s "$api/products/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')" "CLI Lamp"
	check "products API: DELETE it" "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$api/products/$id")" 204
	check "products API: GET it again" "$(curl -s -o /dev/null -w '%{http_code}' "$api/products/$id")" 404
	check "products API: an unknown path" "$(curl -s "$api/orders")" '{"message":"Missing Authentication Token"}'
}

# section_cloudwatch reads back, through CloudWatch, what the invoke and api
# sections did to the lab's function (scripts/awscli_cloudwatch.sh): 3 direct
# invocations (one failed) and 1 throttle, then 5 through the products API,
# which invokes alias live (version 1) once it exists.
section_cloudwatch() {
	# shellcheck source=scripts/awscli_cloudwatch.sh
	source "$root/scripts/awscli_cloudwatch.sh"
	local dims="FunctionName=$product
FunctionName=$product,Resource=$product:live
ExecutedVersion=1,FunctionName=$product,Resource=$product:live"
	sleep 2 # the sandbox publishes each second once it is over, as CloudWatch publishes each period
	check_cloudwatch "$endpoint" "$AWSCLI" "$product" 8 1 1 "$dims"
	echo "ok   cloudwatch get-metric-data, get-metric-statistics and list-metrics agree with the invocations"
	check_min "cloudwatch get-metric-statistics: LambdaInsights init_duration counts the cold starts" \
		"$("${AWS_CMD[@]}" --endpoint-url "$endpoint" cloudwatch get-metric-statistics --namespace LambdaInsights \
			--metric-name init_duration --dimensions "Name=function_name,Value=$product" --statistics SampleCount \
			--period 3600 --start-time "$(date -u -d '-2 hours' +%Y-%m-%dT%H:00:00Z)" --end-time "$(date -u -d '+1 hour' +%Y-%m-%dT%H:00:00Z)" \
			--output json --query 'sum(Datapoints[].SampleCount)' | cut -d. -f1)" 2
}

# section_handler breaks the lab function's handler, as a typo would:
# invoking $LATEST fails with Runtime.ImportModuleError, the products API
# (through alias live, still on version 1) keeps answering until live points
# at a version published with the broken handler, then answers 502, as API
# Gateway does; putting live and the handler back mends it.
section_handler() {
	local out=$work/out.json broken
	cli update-function-configuration --function-name "$product" --handler nothing.here >/dev/null
	wait_for "LastUpdateStatus after --handler nothing.here" Successful 60 -- \
		get-function-configuration --function-name "$product" --query LastUpdateStatus
	check "invoke with a broken handler: X-Amz-Function-Error" \
		"$(cli invoke --function-name "$product" "$out" --query FunctionError --output text)" Unhandled
	check "invoke with a broken handler: the runtime's error" \
		"$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["errorType"] + ": " + r["errorMessage"])' "$out")" \
		"Runtime.ImportModuleError: Unable to import module 'nothing': No module named 'nothing'"
	check "products API through live (version 1) still answers" "$(curl -s -o /dev/null -w '%{http_code}' "$api/products")" 200
	broken=$(cli publish-version --function-name "$product" --query Version --output text)
	cli update-alias --function-name "$product" --name live --function-version "$broken" >/dev/null
	check "products API on the broken version: status and x-amzn-ErrorType" \
		"$(curl -s -o /dev/null -w '%{http_code} %header{x-amzn-errortype}' "$api/products")" "502 InternalServerErrorException"
	cli update-alias --function-name "$product" --name live --function-version 1 >/dev/null
	cli update-function-configuration --function-name "$product" --handler app.lambda_handler >/dev/null
	check "products API with live back on version 1" "$(curl -s -o /dev/null -w '%{http_code}' "$api/products")" 200
	wait_for "LastUpdateStatus after the handler is put back" Successful 60 -- \
		get-function-configuration --function-name "$product" --query LastUpdateStatus
}

# section_tags, section_stacks, section_delete
# shellcheck source=scripts/awscli_targets.sh
source "$root/scripts/awscli_targets.sh"

# ---- main ---------------------------------------------------------------------

isolate_cli
start_sandbox "${1:-}"
product=""
for section in $SECTIONS; do
	echo "== $section"
	if [[ -z $product && $section != list ]]; then
		section_list >/dev/null
	fi
	"section_$section"
done
echo "PASS: every check agreed ($AWSCLI)"
