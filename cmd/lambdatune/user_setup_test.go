package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lambdatune/lambdatune/sandbox"
)

// closedPort is a loopback URL nothing listens on.
func closedPort(t *testing.T) string {
	srv := httptest.NewServer(nil)
	url := srv.URL
	srv.Close()
	return url
}

// sdkNoise is what the SDK writes when its logger is the terminal.
func assertNoSDKText(t *testing.T, r result) {
	t.Helper()
	for _, noise := range []string{"%!", "SDK 20", "WARN", "operation error", "IMDS"} {
		if strings.Contains(r.stderr, noise) {
			t.Fatalf("the terminal shows the SDK's own text (%q):\n%s", noise, r.stderr)
		}
	}
}

// TestARealAccountSaysWhy (issue 12 A.1): exported AWS credentials make
// lambdatune use a real account; when that account cannot be reached the
// error says so in plain words, names what decided it and how to get the
// sandbox. The Lambda endpoint is a closed loopback port, not AWS.
func TestARealAccountSaysWhy(t *testing.T) {
	u := newUser(t)
	u.env["AWS_ACCESS_KEY_ID"], u.env["AWS_SECRET_ACCESS_KEY"], u.env["AWS_REGION"] = "AKIDEXAMPLE", "secret", "us-east-1"
	u.env["AWS_ENDPOINT_URL_LAMBDA"] = closedPort(t)
	r := u.run()
	r.expect(t, 1, "cannot reach 127.0.0.1:", "connection refused",
		"lambdatune chose a real AWS account because AWS_ACCESS_KEY_ID is set; run `lambdatune --sandbox` for the embedded sandbox.")
	assertNoSDKText(t, r)

	v := newUser(t) // decided by a file this time
	writeFile(t, filepath.Join(v.home, ".aws", "config"), "[default]\nregion = eu-west-1\n")
	r = v.run()
	r.expect(t, 1, "because "+filepath.Join(v.home, ".aws", "config")+" exists")
}

// TestSetupErrorsInPlainWords (issue 12 A.2): each way of getting the set-up
// wrong is told in words a user understands, never the SDK's text alone, and
// the SDK's own log lines go to the log file.
func TestSetupErrorsInPlainWords(t *testing.T) {
	t.Run("no region", func(t *testing.T) {
		u := newUser(t)
		u.env["AWS_ACCESS_KEY_ID"], u.env["AWS_SECRET_ACCESS_KEY"] = "AKIDEXAMPLE", "secret"
		r := u.run()
		r.expect(t, 1, "no AWS region configured: pass --region, set AWS_REGION", "because AWS_ACCESS_KEY_ID is set")
		assertNoSDKText(t, r)
	})
	t.Run("no credentials", func(t *testing.T) {
		u := newUser(t)
		var asked atomic.Int64
		imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			asked.Add(1)
			w.WriteHeader(http.StatusForbidden) // as the metadata service answers off EC2, here on loopback
		}))
		defer imds.Close()
		u.env["AWS_EC2_METADATA_DISABLED"], u.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "", imds.URL
		r := u.run("--region", "eu-west-1")
		r.expect(t, 1, "no AWS credentials found: ", "Run `aws configure` or `aws sso login`, or pass --profile NAME")
		assertNoSDKText(t, r)
		if asked.Load() == 0 || !strings.Contains(u.logFile(), "falling back to IMDSv1") {
			t.Fatalf("the SDK's warning is not in the log file (metadata service asked %d times):\n%s", asked.Load(), u.logFile())
		}
	})
	t.Run("profile not found", func(t *testing.T) {
		u := newUser(t)
		writeFile(t, filepath.Join(u.home, ".aws", "config"), "[profile prod]\nregion = eu-west-1\n")
		r := u.run("--profile", "dev")
		r.expect(t, 1, `there is no AWS profile named "dev" in `, "aws configure list-profiles")
		assertNoSDKText(t, r)
	})
	t.Run("an endpoint answering 404", func(t *testing.T) {
		for name, h := range map[string]http.Handler{
			"a web page":           http.NotFoundHandler(),
			"empty (UnknownError)": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNotFound) }),
		} {
			srv := httptest.NewServer(h)
			r := newUser(t).run("--endpoint-url", srv.URL)
			srv.Close()
			r.expect(t, 1, "not an AWS Lambda endpoint: "+srv.URL+" answered 404 Not Found", "`lambdatune sandbox` prints it")
			assertNoSDKText(t, r)
			if strings.Contains(r.stderr, "UnknownError") {
				t.Fatalf("%s: %s", name, r.stderr)
			}
		}
	})
	t.Run("the products API as --endpoint-url", func(t *testing.T) {
		sb, err := sandbox.New(sandbox.Fast())
		if err != nil {
			t.Fatal(err)
		}
		srv, err := sandbox.Start(t.Context(), sb, "127.0.0.1:0", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		r := newUser(t).run("--endpoint-url", srv.APIURL)
		r.expect(t, 1, "not an AWS Lambda endpoint: "+srv.APIURL+" answered like API Gateway (Missing Authentication Token)",
			"not its products API")
		assertNoSDKText(t, r)
	})
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
