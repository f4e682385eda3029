package aws_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
)

// startedSandbox is the sandbox as `lambdatune sandbox` serves it, both
// listeners on loopback, with a client pointed at its AWS endpoint.
func startedSandbox(t *testing.T) (*sandbox.Server, *sandbox.Sandbox, *aws.Client) {
	t.Helper()
	sb, err := sandbox.New(fastSandbox())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sandbox.Start(t.Context(), sb, "127.0.0.1:0", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: srv.EndpointURL, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	return srv, sb, client
}

func TestFunctionURLNoneIsErrNoFunctionURL(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	u, err := e.client.FunctionURL(e.ctx, e.product())
	if !errors.Is(err, aws.ErrNoFunctionURL) || u != "" {
		t.Fatalf("FunctionURL = %q, %v; want ErrNoFunctionURL", u, err)
	}
}

func TestTagsLeadToTheLabStack(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	tags, err := e.client.Tags(e.ctx, "arn:aws:lambda:us-east-1:123456789012:function:"+e.product())
	if err != nil {
		t.Fatal(err)
	}
	if tags[aws.StackTag] != "product-api" {
		t.Fatalf("tags = %v, want %s=product-api", tags, aws.StackTag)
	}
	_, err = e.client.Tags(e.ctx, "arn:aws:lambda:us-east-1:123456789012:function:no-such-function")
	if err == nil || !strings.Contains(err.Error(), "Function not found") {
		t.Fatalf("tags of a missing function: %v", err)
	}
}

// TestStackOutputsGiveTheProductsAPI reads the lab stack's outputs from a
// started sandbox and picks its API URL as the console does.
func TestStackOutputsGiveTheProductsAPI(t *testing.T) {
	t.Parallel()
	srv, sb, client := startedSandbox(t)
	outputs, err := client.StackOutputs(t.Context(), "product-api")
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(outputs))
	for i, o := range outputs {
		keys[i] = o.Key
	}
	if strings.Join(keys, ",") != "ProductApiFunction,ProductApiFunctionIamRole,ProductApiUrl" {
		t.Fatalf("output keys = %v, want them sorted", keys)
	}
	api, ok := aws.APIURLOutput(outputs)
	if !ok || api.Key != "ProductApiUrl" || api.Value != srv.APIURL {
		t.Fatalf("APIURLOutput = %+v %v, want ProductApiUrl %s", api, ok, srv.APIURL)
	}
	if outputs[0].Value != "arn:aws:lambda:us-east-1:123456789012:function:"+sb.ProductFunctionName() {
		t.Fatalf("ProductApiFunction = %q", outputs[0].Value)
	}
	_, err = client.StackOutputs(t.Context(), "no-such-stack")
	if err == nil || !strings.Contains(err.Error(), "Stack with id no-such-stack does not exist") {
		t.Fatalf("outputs of a missing stack: %v", err)
	}
}

func TestAPIURLOutputPrefersAnAPIURLKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		outputs []aws.StackOutput
		want    string
	}{
		{[]aws.StackOutput{{Key: "Bucket", Value: "s3://b"}, {Key: "Site", Value: "https://site"}, {Key: "HttpApiUrl", Value: "https://api"}}, "HttpApiUrl"},
		{[]aws.StackOutput{{Key: "FunctionArn", Value: "arn:aws:lambda:…"}, {Key: "Site", Value: "http://site"}}, "Site"},
		{[]aws.StackOutput{{Key: "ApiUrl", Value: "not a url"}, {Key: "Role", Value: "arn:aws:iam::1:role/r"}}, ""},
	}
	for _, c := range cases {
		got, ok := aws.APIURLOutput(c.outputs)
		if got.Key != c.want || ok != (c.want != "") {
			t.Fatalf("APIURLOutput(%v) = %+v %v, want %q", c.outputs, got, ok, c.want)
		}
	}
}
