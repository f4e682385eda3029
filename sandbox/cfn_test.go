package sandbox

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

func newCloudFormationClient(url string) *cloudformation.Client {
	return cloudformation.New(cloudformation.Options{
		Region:           DefaultRegion,
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDSANDBOX", "sandbox-secret", ""),
		RetryMaxAttempts: 1,
	})
}

func outputsOf(st cfntypes.Stack) map[string]string {
	out := map[string]string{}
	for _, o := range st.Outputs {
		out[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return out
}

// TestDescribeTheLabStackServed: once Start serves the front, the lab
// stack's ProductApiUrl output is the front's URL, as the stack's output is
// API Gateway's on AWS.
func TestDescribeTheLabStackServed(t *testing.T) {
	cfg := Fast() // on the real clock: the GET below waits out no modelled time
	cfg.ZeroLatency, cfg.ControlPlaneRate = true, -1
	sb, err := New(cfg)
	mustNoErr(t, err, "New")
	srv, err := Start(t.Context(), sb, "127.0.0.1:0", "")
	mustNoErr(t, err, "Start")
	t.Cleanup(func() { _ = srv.Close() })
	out, err := newCloudFormationClient(srv.EndpointURL).DescribeStacks(t.Context(), &cloudformation.DescribeStacksInput{StackName: aws.String("product-api")})
	mustNoErr(t, err, "DescribeStacks product-api")
	if len(out.Stacks) != 1 {
		t.Fatalf("%d stacks, want 1", len(out.Stacks))
	}
	st := out.Stacks[0]
	outputs := outputsOf(st)
	if outputs["ProductApiUrl"] != srv.APIURL || outputs["ProductApiFunction"] != "arn:aws:lambda:us-east-1:123456789012:function:"+sb.ProductFunctionName() {
		t.Fatalf("outputs = %v, want ProductApiUrl %s", outputs, srv.APIURL)
	}
	if st.StackStatus != cfntypes.StackStatusCreateComplete || st.CreationTime == nil || aws.ToString(st.StackName) != "product-api" {
		t.Fatalf("stack = %+v", st)
	}
	resp, err := http.Get(srv.APIURL + "/products?limit=1")
	mustNoErr(t, err, "GET the ProductApiUrl output")
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the ProductApiUrl output answers %d", resp.StatusCode)
	}
}

// TestEveryStackTagNamesAStack: each function's stack tags lead to a stack
// that exists, under the same id, by name and by id.
func TestEveryStackTagNamesAStack(t *testing.T) {
	fx := newFixture(t, testConfig())
	cfn := newCloudFormationClient(fx.url)
	all, err := cfn.DescribeStacks(fx.ctx, &cloudformation.DescribeStacksInput{})
	mustNoErr(t, err, "DescribeStacks")
	ids := map[string]string{}
	for _, st := range all.Stacks {
		ids[aws.ToString(st.StackName)] = aws.ToString(st.StackId)
	}
	for _, name := range fx.sb.acct.sortedNames() {
		tags := fx.tags(fx.arn(name))
		stack := tags[stackNameTag]
		if stack == "" {
			continue
		}
		if ids[stack] != tags[stackIDTag] {
			t.Fatalf("%s is tagged with stack %s (%s); DescribeStacks lists %q", name, stack, tags[stackIDTag], ids[stack])
		}
		byID, err := cfn.DescribeStacks(fx.ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(tags[stackIDTag])})
		mustNoErr(t, err, "DescribeStacks by id")
		if aws.ToString(byID.Stacks[0].StackName) != stack {
			t.Fatalf("stack id %s names %s, want %s", tags[stackIDTag], aws.ToString(byID.Stacks[0].StackName), stack)
		}
	}
	if len(ids) < 5 {
		t.Fatalf("%d stacks, want the lab's and several generated ones", len(ids))
	}
	for _, st := range all.Stacks {
		if _, ok := outputsOf(st)["ProductApiUrl"]; ok {
			t.Fatalf("stack %s lists ProductApiUrl although Start serves no front here", aws.ToString(st.StackName))
		}
	}
}

func TestDescribeAnUnknownStack(t *testing.T) {
	fx := newFixture(t, testConfig())
	_, err := newCloudFormationClient(fx.url).DescribeStacks(fx.ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("orders-api")})
	expectGenericError(t, err, "ValidationError", "Stack with id orders-api does not exist")
}

// TestStacksOutliveTheirFunctions: deleting a function outside CloudFormation
// leaves its stack as it was.
func TestStacksOutliveTheirFunctions(t *testing.T) {
	fx := newFixture(t, testConfig())
	_, err := fx.client.DeleteFunction(fx.ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(fx.sb.ProductFunctionName())})
	mustNoErr(t, err, "DeleteFunction")
	out, err := newCloudFormationClient(fx.url).DescribeStacks(fx.ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("product-api")})
	mustNoErr(t, err, "DescribeStacks after the delete")
	if outputsOf(out.Stacks[0])["ProductApiFunction"] != fx.arn(fx.sb.ProductFunctionName()) {
		t.Fatalf("outputs after the delete: %v", outputsOf(out.Stacks[0]))
	}
}

// queryPost sends a raw AWS Query form to the AWS endpoint.
func (fx *fixture) queryPost(form url.Values) (int, string) {
	fx.t.Helper()
	resp, err := http.Post(fx.url+"/", "application/x-www-form-urlencoded; charset=utf-8", strings.NewReader(form.Encode()))
	mustNoErr(fx.t, err, "POST "+form.Encode())
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestQueryRequestsReachTheirService: CloudFormation and CloudWatch share
// POST /; the Version decides.
func TestQueryRequestsReachTheirService(t *testing.T) {
	fx := newFixture(t, testConfig())
	status, body := fx.queryPost(url.Values{"Action": {"ListMetrics"}, "Version": {"2010-08-01"}, "Namespace": {"AWS/Lambda"}})
	if status != http.StatusOK || !strings.Contains(body, "<ListMetricsResponse") {
		t.Fatalf("CloudWatch ListMetrics: %d %s", status, body)
	}
	status, body = fx.queryPost(url.Values{"Action": {"DescribeStacks"}, "Version": {cloudFormationVersion}, "StackName": {"product-api"}})
	if status != http.StatusOK || !strings.Contains(body, "<DescribeStacksResponse xmlns=\""+cloudFormationNamespace+"\">") {
		t.Fatalf("CloudFormation DescribeStacks: %d %s", status, body)
	}
	status, body = fx.queryPost(url.Values{"Action": {"CreateStack"}, "Version": {cloudFormationVersion}, "StackName": {"x"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "<Code>InvalidAction</Code>") {
		t.Fatalf("CloudFormation CreateStack: %d %s", status, body)
	}
}
