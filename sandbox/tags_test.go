package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func (fx *fixture) tags(arn string) map[string]string {
	fx.t.Helper()
	out, err := fx.client.ListTags(fx.ctx, &lambda.ListTagsInput{Resource: aws.String(arn)})
	mustNoErr(fx.t, err, "ListTags "+arn)
	return out.Tags
}

func TestListTagsShowsTheLabStack(t *testing.T) {
	fx := newFixture(t, testConfig())
	tags := fx.tags(fx.arn(fx.sb.ProductFunctionName()))
	if tags[stackNameTag] != "product-api" || tags[logicalIDTag] != "ProductApiFunction" || tags["lambda:createdBy"] != "SAM" {
		t.Fatalf("lab function's tags = %v", tags)
	}
	if !strings.HasPrefix(tags[stackIDTag], "arn:aws:cloudformation:us-east-1:123456789012:stack/product-api/") {
		t.Fatalf("stack id = %q", tags[stackIDTag])
	}
}

// TestGeneratedFunctionsCarryTheirStacksTags checks that every seeded
// function deployed through a stack is tagged with it, consistently with its
// name, and that the others carry no stack tags.
func TestGeneratedFunctionsCarryTheirStacksTags(t *testing.T) {
	fx := newFixture(t, testConfig())
	var sam, serverless, byHand int
	for _, name := range fx.sb.acct.sortedNames() {
		tags := fx.tags(fx.arn(name))
		stack := tags[stackNameTag]
		switch {
		case name == fx.sb.ProductFunctionName():
		case stack == "":
			byHand++
			if tags[stackIDTag] != "" || tags["managed-by"] != "terraform" {
				t.Fatalf("%s: tags %v", name, tags)
			}
		case strings.HasSuffix(stack, "-service"):
			sam++
			if !strings.HasPrefix(name, stack+"-"+tags[logicalIDTag]) || tags["lambda:createdBy"] != "SAM" {
				t.Fatalf("%s: SAM tags %v", name, tags)
			}
		default:
			serverless++
			if !strings.HasPrefix(name, stack+"-") || !strings.HasSuffix(tags[logicalIDTag], "LambdaFunction") {
				t.Fatalf("%s: Serverless tags %v", name, tags)
			}
		}
	}
	if sam == 0 || serverless == 0 || byHand == 0 {
		t.Fatalf("SAM %d, Serverless %d, by hand %d: want some of each", sam, serverless, byHand)
	}
}

func TestTagAndUntagAFunction(t *testing.T) {
	fx := newFixture(t, testConfig())
	arn := fx.arn(fx.sb.ProductFunctionName())
	_, err := fx.client.TagResource(fx.ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"owner": "lab", "cost-center": "42"}})
	mustNoErr(t, err, "TagResource")
	_, err = fx.client.TagResource(fx.ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"owner": "trainee"}})
	mustNoErr(t, err, "TagResource over an existing key")
	if tags := fx.tags(arn); tags["owner"] != "trainee" || tags["cost-center"] != "42" || tags[stackNameTag] != "product-api" {
		t.Fatalf("after tagging: %v", tags)
	}
	_, err = fx.client.UntagResource(fx.ctx, &lambda.UntagResourceInput{Resource: aws.String(arn), TagKeys: []string{"owner", "never-set"}})
	mustNoErr(t, err, "UntagResource")
	got, err := fx.client.GetFunction(fx.ctx, &lambda.GetFunctionInput{FunctionName: aws.String(arn)})
	mustNoErr(t, err, "GetFunction")
	if _, still := got.Tags["owner"]; still || got.Tags["cost-center"] != "42" {
		t.Fatalf("GetFunction's tags after untagging: %v", got.Tags)
	}
}

func TestTagErrorsInAWSWords(t *testing.T) {
	fx := newFixture(t, testConfig())
	arn := fx.arn(fx.sb.ProductFunctionName())
	reserved := `One or more of your tags had a problem, please ensure none of your tag names start with "aws:", none are empty, and there are no duplicate tags`
	_, err := fx.client.TagResource(fx.ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"aws:cloudformation:stack-name": "mine"}})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException", reserved)
	_, err = fx.client.UntagResource(fx.ctx, &lambda.UntagResourceInput{Resource: aws.String(arn), TagKeys: []string{"AWS:cloudformation:stack-id"}})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException", reserved)
	_, err = fx.client.ListTags(fx.ctx, &lambda.ListTagsInput{Resource: aws.String(arn + ":live")})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"Tags on function aliases and versions are not supported. Please specify a function ARN.")
	_, err = fx.client.ListTags(fx.ctx, &lambda.ListTagsInput{Resource: aws.String(fx.arn("no-such-function"))})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException", "Function not found: "+fx.arn("no-such-function"))
	bad := "arn:aws:lambda:us-east-1:123456789012:foobar:x"
	_, err = fx.client.ListTags(fx.ctx, &lambda.ListTagsInput{Resource: aws.String(bad)})
	expectGenericError(t, err, "ValidationException", "1 validation error detected: Value '"+bad+
		"' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: "+taggableResourcePattern)
	_, err = fx.client.TagResource(fx.ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{}})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException", "An error occurred and the request cannot be processed.")
	fx.expectRawError(http.MethodDelete, "/2017-03-31/tags/"+url.PathEscape(arn), "ValidationException", // the SDK refuses to send it
		"1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	_, err = fx.client.TagResource(fx.ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{strings.Repeat("k", 129): "v"}})
	expectGenericError(t, err, "ValidationException", "1 validation error detected: Value at 'tags' failed to satisfy constraint: "+
		"Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]")
}

// TestFiftyUserTagsAtMost: the lab function's aws: tags do not count, its
// lambda:createdBy does.
func TestFiftyUserTagsAtMost(t *testing.T) {
	fx := newFixture(t, testConfig())
	arn := fx.arn(fx.sb.ProductFunctionName())
	tags := map[string]string{}
	for i := range maxTags - 1 {
		tags[fmt.Sprintf("k%d", i)] = "v"
	}
	_, err := fx.client.TagResource(fx.ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: tags})
	mustNoErr(t, err, "TagResource up to the limit")
	_, err = fx.client.TagResource(fx.ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"one-more": "v"}})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException", "Number of tags exceeds resource tag limit.")
	_, err = fx.client.TagResource(fx.ctx, &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"k0": "changed"}})
	mustNoErr(t, err, "TagResource replacing a tag at the limit")
}

func TestNoFunctionHasAURL(t *testing.T) {
	fx := newFixture(t, testConfig())
	for _, name := range []string{fx.sb.ProductFunctionName(), "no-such-function"} {
		_, err := fx.client.GetFunctionUrlConfig(fx.ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String(name)})
		expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException", "The resource you requested does not exist.")
	}
	for _, q := range []string{"1", "$LATEST"} {
		_, err := fx.client.GetFunctionUrlConfig(fx.ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String(fx.sb.ProductFunctionName()), Qualifier: aws.String(q)})
		expectGenericError(t, err, "ValidationException", "1 validation error detected: Value '"+q+
			"' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: "+functionURLQualifierPattern)
	}
}

// expectRawError sends a request the SDK would not and checks AWS's error.
func (fx *fixture) expectRawError(method, path, code, message string) {
	fx.t.Helper()
	req, err := http.NewRequestWithContext(fx.ctx, method, fx.url+path, nil)
	mustNoErr(fx.t, err, "request")
	resp, err := http.DefaultClient.Do(req)
	mustNoErr(fx.t, err, method+" "+path)
	defer resp.Body.Close()
	var body struct {
		Message string `json:"message"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if got := resp.Header.Get("X-Amzn-ErrorType"); got != code || body.Message != message {
		fx.t.Fatalf("%s %s: %d %s %q, want %s %q", method, path, resp.StatusCode, got, body.Message, code, message)
	}
}
