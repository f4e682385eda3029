package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/sandbox"
)

// `lambdatune sandbox` prints its endpoint first, serves the Lambda API there
// and stops cleanly when its context ends (as on SIGINT).
func TestSandboxCommandServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	cmd := newRootCmd()
	cmd.SetArgs([]string{"sandbox", "--listen", "127.0.0.1:0", "--fast", "--seed", "3"})
	cmd.SetOut(pw)
	done := make(chan error, 1)
	go func() {
		done <- cmd.ExecuteContext(ctx)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatalf("no output: %v", <-done)
	}
	endpoint, found := strings.CutPrefix(lines.Text(), "AWS endpoint: ")
	if !found {
		t.Fatalf("first line %q does not give the AWS endpoint", lines.Text())
	}
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "Products API: http://127.0.0.1:") || !strings.HasSuffix(lines.Text(), "/Prod") {
		t.Fatalf("second line %q does not give the products API URL", lines.Text())
	}
	apiURL := strings.TrimPrefix(lines.Text(), "Products API: ")
	if !lines.Scan() || !strings.Contains(lines.Text(), "--endpoint-url "+endpoint+" lambda list-functions") {
		t.Fatalf("third line %q does not show an aws CLI example", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	resp, err := http.Get(endpoint + "/2016-08-19/account-settings/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET account settings: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Get(apiURL + "/products?limit=1")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET products: %v %v", resp, err)
	}
	resp.Body.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("sandbox command returned %v after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox command did not stop after cancel")
	}
}

func TestSandboxCommandRefusesRemoteListen(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sandbox", "--listen", "0.0.0.0:4566"}, "reachable from other machines"},
		{[]string{"sandbox", "--listen", ":4566"}, "reachable from other machines"},
		{[]string{"sandbox", "--listen", "4566"}, "want host:port"},
		{[]string{"sandbox", "--listen", "127.0.0.1:http"}, "is not a number"},
		{[]string{"sandbox", "--listen", "127.0.0.1:0", "--api-listen", "0.0.0.0:4567"}, "--api-listen \"0.0.0.0:4567\" is reachable"},
		{[]string{"sandbox", "--listen", "127.0.0.1:0", "--account-concurrency", "0"}, "concurrency limit is at least 1"},
	} {
		cmd := newRootCmd()
		cmd.SetArgs(tc.args)
		cmd.SetOut(io.Discard)
		err := cmd.ExecuteContext(t.Context())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one saying %q", tc.args, err, tc.want)
		}
	}
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "::1": true, "localhost": true, "127.0.0.2": true,
		"0.0.0.0": false, "": false, "10.0.0.1": false, "example.com": false} {
		if got := isLoopbackHost(host); got != want {
			t.Errorf("isLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestSandboxEveryInterfaceNote(t *testing.T) {
	for _, tc := range []struct {
		endpoint, api, want string
	}{
		{"http://127.0.0.1:4566", "http://127.0.0.1:4567/Prod", ""},
		{"http://0.0.0.0:4566", "http://0.0.0.0:4567/Prod", "every interface (0.0.0.0:4566 and 0.0.0.0:4567)"},
		{"http://[::]:4566", "http://192.168.1.2:4567/Prod", "every interface ([::]:4566)"},
	} {
		got := everyInterfaceNote(&sandbox.Server{EndpointURL: tc.endpoint, APIURL: tc.api})
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s, %s: %q, want %q", tc.endpoint, tc.api, got, tc.want)
		}
	}
}

func TestSandboxLagLine(t *testing.T) {
	got := lagLine(sandbox.LagStats{Samples: 600, P50: 120 * time.Microsecond, P99: 4 * time.Millisecond, Max: 31 * time.Millisecond})
	if got != "Scheduling lag over the last minute: p50 0.1 ms, p99 4.0 ms, max 31.0 ms (600 timers)." {
		t.Fatalf("%q", got)
	}
}
