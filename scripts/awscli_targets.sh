#!/usr/bin/env bash
# Sections of scripts/awscli.sh for what a tool reads to find a function's
# load target, and for deleting functions: Lambda tags, function URLs,
# CloudFormation's DescribeStacks (AWS Query) and DeleteFunction.
#
# Sourced by scripts/awscli.sh, whose cli, check, check_min, check_error,
# arn, $endpoint, $api, $product and AWS_CMD it uses; it runs nothing itself.

# cfn runs `aws cloudformation ARGS...` against the sandbox.
cfn() {
	"${AWS_CMD[@]}" --endpoint-url "$endpoint" cloudformation "$@"
}

# check_cfn_error WHAT CODE OPERATION MESSAGE -- ARGS...: like check_error, for CloudFormation.
check_cfn_error() {
	local what=$1 code=$2 operation=$3 message=$4 out
	shift 5
	if out=$(cfn "$@" 2>&1); then
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

section_tags() {
	local fn_arn
	fn_arn=$(arn "$product")
	check "list-tags: the lab function's stack" \
		"$(cli list-tags --resource "$fn_arn" --output text --query 'Tags."aws:cloudformation:stack-name"')" product-api
	cli tag-resource --resource "$fn_arn" --tags owner=lab,cost-center=42
	check "tag-resource, then list-tags" \
		"$(cli list-tags --resource "$fn_arn" --output text --query '[Tags.owner, Tags."cost-center"]')" $'lab\t42'
	check_error "tag-resource with an aws: key" InvalidParameterValueException TagResource \
		'One or more of your tags had a problem, please ensure none of your tag names start with "aws:", none are empty, and there are no duplicate tags' \
		-- tag-resource --resource "$fn_arn" --tags aws:cloudformation:stack-name=mine
	cli untag-resource --resource "$fn_arn" --tag-keys owner cost-center
	check "untag-resource, then list-tags" \
		"$(cli list-tags --resource "$fn_arn" --output text --query '[Tags.owner, Tags."aws:cloudformation:logical-id"]')" $'None\tProductApiFunction'
	check_error "list-tags of a version" InvalidParameterValueException ListTags \
		"Tags on function aliases and versions are not supported. Please specify a function ARN." -- list-tags --resource "$fn_arn:1"
	check_error "get-function-url-config: no function has a URL" ResourceNotFoundException GetFunctionUrlConfig \
		"The resource you requested does not exist." -- get-function-url-config --function-name "$product"
}

# section_stacks goes from the lab function to its API as a user would:
# the function's stack tag, then the stack's outputs.
section_stacks() {
	local stack url
	stack=$(cli list-tags --resource "$(arn "$product")" --output text --query 'Tags."aws:cloudformation:stack-name"')
	url=$(cfn describe-stacks --stack-name "$stack" --output text --query "Stacks[0].Outputs[?OutputKey=='ProductApiUrl'].OutputValue | [0]")
	check "describe-stacks: the ProductApiUrl output is the products API" "$url" "$api"
	check "describe-stacks: the ProductApiFunction output" \
		"$(cfn describe-stacks --stack-name "$stack" --output text --query "Stacks[0].[StackStatus, Outputs[?OutputKey=='ProductApiFunction'].OutputValue | [0]]")" \
		$'CREATE_COMPLETE\t'"$(arn "$product")"
	check "the ProductApiUrl output answers" "$(curl -s -o /dev/null -w '%{http_code}' "$url/products")" 200
	check_min "describe-stacks: every stack" "$(cfn describe-stacks --output json --query 'length(Stacks)')" 5
	check_cfn_error "describe-stacks of a stack that is not there" ValidationError DescribeStacks \
		"Stack with id no-such-stack does not exist" -- describe-stacks --stack-name no-such-stack
}

# section_delete deletes a version and then the whole of a function other
# than the lab's.
section_delete() {
	local victim version
	victim=$(cli list-functions --output json \
		--query "Functions[?!starts_with(FunctionName, 'product-api')].FunctionName | [0]" | tr -d '"')
	version=$(cli publish-version --function-name "$victim" --query Version --output text)
	cli create-alias --function-name "$victim" --name blue --function-version "$version" >/dev/null
	check_error "delete-function of a version an alias points at" ResourceConflictException DeleteFunction \
		"Unable to delete version because the following aliases reference it: [blue]" \
		-- delete-function --function-name "$victim" --qualifier "$version"
	check_error "delete-function --qualifier \$LATEST" InvalidParameterValueException DeleteFunction \
		"\$LATEST version cannot be deleted without deleting the function." \
		-- delete-function --function-name "$victim" --qualifier '$LATEST'
	cli delete-alias --function-name "$victim" --name blue
	cli delete-function --function-name "$victim" --qualifier "$version" >/dev/null
	check "delete-function --qualifier $version: the version is gone" \
		"$(cli list-versions-by-function --function-name "$victim" --output text --query 'Versions[].Version')" '$LATEST'
	cli delete-function --function-name "$victim" >/dev/null
	echo "ok   delete-function $victim"
	check_error "get-function after the delete" ResourceNotFoundException GetFunction \
		"Function not found: $(arn "$victim")" -- get-function --function-name "$victim"
	check_error "invoke after the delete" ResourceNotFoundException Invoke \
		"Function not found: $(arn "$victim")" -- invoke --function-name "$victim" "$work/deleted.json"
}
