package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/aws"
)

// runRoot runs the root command with args the way main does and returns the
// exit error it ended with.
func runRoot(t *testing.T, args ...string) exitError {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	cmd := newRootCmd()
	cmd.SetArgs(args)
	var out strings.Builder
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	err := cmd.ExecuteContext(t.Context())
	var exit exitError
	if !errors.As(err, &exit) {
		t.Fatalf("%v: returned %v (%T), want an exitError", args, err, err)
	}
	return exit
}

func TestUnknownFlagIsAUsageError(t *testing.T) {
	exit := runRoot(t, "--no-such-flag")
	if exit.code != 1 || !strings.Contains(exit.msg, "unknown flag: --no-such-flag") ||
		!strings.Contains(exit.msg, "Run 'lambdatune --help' for usage.") {
		t.Fatalf("exit %d %q", exit.code, exit.msg)
	}
}

func TestSandboxConflictsWithAWSFlags(t *testing.T) {
	exit := runRoot(t, "--sandbox", "--profile", "dev")
	if exit.code != 1 || !strings.Contains(exit.msg, "--sandbox cannot be combined") {
		t.Fatalf("exit %d %q", exit.code, exit.msg)
	}
}

// TestUnreachableEndpointURL: a wrong --endpoint-url is reported in plain
// words within seconds, before the console takes over the terminal.
func TestUnreachableEndpointURL(t *testing.T) {
	srv := httptest.NewServer(nil)
	url := srv.URL
	srv.Close()
	for _, name := range []string{"AWS_PROFILE", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_CONFIG_FILE"} {
		t.Setenv(name, "")
	}
	t.Setenv("HOME", t.TempDir())
	start := time.Now()
	exit := runRoot(t, "--endpoint-url", url)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Fatalf("took %v to give up on an unreachable endpoint", elapsed)
	}
	if exit.code != 1 || !strings.Contains(exit.msg, "cannot reach") || !strings.Contains(exit.msg, "connection refused") {
		t.Fatalf("exit %d %q", exit.code, exit.msg)
	}
}

func TestSandboxFlagValidation(t *testing.T) {
	exit := runRoot(t, "--sandbox", "--account-concurrency", "0")
	if exit.code != 1 || exit.msg != "--account-concurrency 0: an account's concurrency limit is at least 1" {
		t.Fatalf("exit %d %q", exit.code, exit.msg)
	}
}

// TestProbeAcceptsCredentialsWithoutAccountSettings: a user who may not call
// GetAccountSettings still gets the console; only a wrong endpoint or
// credentials AWS refuses stop it.
func TestProbeAcceptsCredentialsWithoutAccountSettings(t *testing.T) {
	for code, wantErr := range map[string]bool{"AccessDeniedException": false, "UnrecognizedClientException": true} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Amzn-ErrorType", code)
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"message":"not for you"}`))
		}))
		client, err := aws.New(t.Context(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true})
		if err != nil {
			t.Fatal(err)
		}
		err = probe(t.Context(), client, "")
		srv.Close()
		if (err != nil) != wantErr {
			t.Errorf("%s: probe returned %v", code, err)
		}
	}
}
