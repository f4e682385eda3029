#!/usr/bin/env bash
# Checks CloudWatch GetMetricData, GetMetricStatistics and ListMetrics of a lambdatune sandbox with
# an AWS CLI, exactly: the counts a caller expects after invoking a function.
#
# usage: awscli_cloudwatch.sh ENDPOINT_URL CLI FUNCTION INVOCATIONS ERRORS THROTTLES [DIMENSION_SETS]
#
#   CLI             the AWS CLI command, word-split: "/usr/bin/aws" (Debian's
#                   2.9, AWS Query protocol) or "python3 -m awscli" (1.x, JSON 1.0)
#   FUNCTION        the function invoked in the last two hours
#   INVOCATIONS     how many invocations ran its code; ERRORS of them failed
#   THROTTLES       how many invoke requests were throttled
#   DIMENSION_SETS  the dimension sets ListMetrics must report for the
#                   function's Invocations, one per line, each "Name=Value,…"
#                   sorted by name (default: FunctionName=FUNCTION only)
#
# Exits non-zero, printing what differed, on any mismatch. Can be sourced by
# another script (it then defines check_cloudwatch and runs nothing).
set -euo pipefail

cw_fail() { echo "awscli_cloudwatch: $*" >&2; return 1; }

# cw_expect NAME WANT GOT compares two texts exactly.
cw_expect() {
	if [[ "$2" != "$3" ]]; then
		cw_fail "$1 differs; want:"$'\n'"$2"$'\n'"got:"$'\n'"$3"
	fi
}

cw_queries() { # FUNCTION
	local fn=$1 q='' id metric stat period
	while read -r id metric stat period; do
		q+="{\"Id\":\"$id\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/Lambda\",\"MetricName\":\"$metric\","
		q+="\"Dimensions\":[{\"Name\":\"FunctionName\",\"Value\":\"$fn\"}]},\"Period\":$period,\"Stat\":\"$stat\"}},"
	done <<-QUERIES
		inv Invocations Sum 60
		invsec Invocations Sum 1
		errors Errors Sum 60
		throttles Throttles Sum 60
		durations Duration SampleCount 60
	QUERIES
	echo "[${q%,}]"
}

# check_cloudwatch ENDPOINT CLI FUNCTION INVOCATIONS ERRORS THROTTLES [DIMENSION_SETS]
check_cloudwatch() {
	export AWS_PAGER="" # aws-cli 2 pipes output through less otherwise
	local endpoint=$1 fn=$3 inv=$4 errs=$5 thr=$6 dims=${7:-"FunctionName=$3"}
	local -a cli
	read -r -a cli <<<"$2"
	local start end got
	start=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:00Z)
	end=$(date -u -d '+2 minutes' +%Y-%m-%dT%H:%M:00Z)

	got=$("${cli[@]}" --endpoint-url "$endpoint" --region us-east-1 --output text cloudwatch get-metric-data \
		--metric-data-queries "$(cw_queries "$fn")" --start-time "$start" --end-time "$end" \
		--query 'MetricDataResults[].[Id, StatusCode, sum(Values)]' | awk '{printf "%s %s %g\n", $1, $2, $3}')
	cw_expect "get-metric-data ($2)" "inv Complete $inv
invsec Complete $inv
errors Complete $errs
throttles Complete $thr
durations Complete $inv" "$got"

	got=$("${cli[@]}" --endpoint-url "$endpoint" --region us-east-1 --output text cloudwatch list-metrics \
		--namespace AWS/Lambda --metric-name Invocations --dimensions "Name=FunctionName,Value=$fn" \
		--query "Metrics[].join(',', sort_by(Dimensions, &Name)[].join('=', [Name, Value]))" | tr '\t' '\n' | sort)
	cw_expect "list-metrics ($2)" "$(sort <<<"$dims")" "$got"

	got=$(for metric_stat in Invocations:Sum Duration:SampleCount; do
		"${cli[@]}" --endpoint-url "$endpoint" --region us-east-1 --output json cloudwatch get-metric-statistics \
			--namespace AWS/Lambda --metric-name "${metric_stat%%:*}" --dimensions "Name=FunctionName,Value=$fn" \
			--statistics "${metric_stat#*:}" --period 60 --start-time "$start" --end-time "$end" \
			--query "[Label, sum(Datapoints[].${metric_stat#*:}), Datapoints[0].Unit]" --output text |
			awk '{printf "%s %g %s\n", $1, $2, $3}'
	done)
	cw_expect "get-metric-statistics ($2)" "Invocations $inv Count
Duration $inv Milliseconds" "$got"

	got=$("${cli[@]}" --endpoint-url "$endpoint" --region us-east-1 cloudwatch get-metric-statistics \
		--namespace AWS/Lambda --metric-name Invocations --statistics Sum --period 60 --start-time "$end" --end-time "$start" \
		2>&1 >/dev/null | sed -E 's/ \(reached max retries: [0-9]+\)//' || true)
	cw_expect "get-metric-statistics error text ($2)" "
An error occurred (InvalidParameterValue) when calling the GetMetricStatistics operation: The parameter StartTime must be less than the parameter EndTime." "$got"

	# A bad query: the CLI must print CloudWatch's error, code and message.
	got=$("${cli[@]}" --endpoint-url "$endpoint" --region us-east-1 cloudwatch get-metric-data \
		--metric-data-queries '[{"Id":"Bad","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Invocations"},"Period":60,"Stat":"Sum"}}]' \
		--start-time "$start" --end-time "$end" 2>&1 >/dev/null | sed -E 's/ \(reached max retries: [0-9]+\)//' || true)
	cw_expect "error text ($2)" "
An error occurred (ValidationError) when calling the GetMetricData operation: The value Bad for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$." "$got"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	if (($# < 6)); then
		sed -n '4,16p' "$0" >&2
		exit 2
	fi
	check_cloudwatch "$@"
	echo "awscli_cloudwatch: ok ($2)"
fi
