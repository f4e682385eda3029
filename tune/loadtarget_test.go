package tune_test

import (
	"testing"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

// standaloneAsAccount is a started sandbox (as `lambdatune sandbox` runs)
// whose session knows nothing of it: treated as an account, it must find
// the lab's API the way a user would on AWS.
func standaloneAsAccount(t *testing.T) (*sandbox.Server, *sandbox.Sandbox, *tune.Session) {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
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
	return srv, sb, tune.NewSession(client, tune.Where{Sandbox: false, Endpoint: srv.EndpointURL})
}

func TestFindLoadTargetThroughTheStackOutputs(t *testing.T) {
	t.Parallel()
	srv, sb, session := standaloneAsAccount(t)
	d, err := session.Detail(t.Context(), sb.ProductFunctionName())
	if err != nil {
		t.Fatal(err)
	}
	got := session.FindLoadTarget(t.Context(), d)
	want := tune.LoadTarget{Kind: tune.TargetHTTP, URL: srv.APIURL, Source: "stack product-api's ProductApiUrl output"}
	if got != want {
		t.Fatalf("FindLoadTarget = %+v\nwant           %+v", got, want)
	}
}

// TestFindLoadTargetWithoutAnAPIInvokes: a function whose stack exports no
// API URL (or that has no stack) is loaded through Invoke.
func TestFindLoadTargetWithoutAnAPIInvokes(t *testing.T) {
	t.Parallel()
	_, sb, session := standaloneAsAccount(t)
	page, err := session.FunctionPage(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range page.Functions {
		if f.Name == sb.ProductFunctionName() {
			continue
		}
		d, err := session.Detail(t.Context(), f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if got := session.FindLoadTarget(t.Context(), d); got.Kind != tune.TargetInvoke || got.Function != f.Name {
			t.Fatalf("%s: FindLoadTarget = %+v, want Invoke", f.Name, got)
		}
	}
}
