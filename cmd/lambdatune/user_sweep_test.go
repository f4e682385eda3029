package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/tune"
)

// A sweep in the embedded sandbox: each size measured, the choice made,
// the function back at 128 MB, the whole result as JSON.
func TestUserSweepsTheLabFunction(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	r := u.run("sweep", "--sandbox", "--fast", "--memory", "128,1024", "--invokes", "16", "--parallel", "4",
		"--strategy", "speed", "--json")
	r.expect(t, 0, "SANDBOX", "step 1 of 2: memory stays 128 MB", "step 2 of 2: memory 128 MB → 1024 MB", "restored memory 1024 MB → 128 MB",
		"CPU share ∝ memory", "init at a full vCPU", "← chosen")
	var res tune.SweepResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("stdout is not the result: %v\n%s", err, r.stdout)
	}
	if len(res.Steps) != 2 || res.Steps[0].Requests != 16 || !res.End.Restored || res.End.MemoryMB != 128 || !res.Sandbox {
		t.Fatalf("result %+v", res)
	}
	if res.Steps[1].DurationAverage >= res.Steps[0].DurationAverage || res.Choice.MemoryMB != 1024 {
		t.Fatalf("1024 MB took %v against %v at 128 MB; chose %d", res.Steps[1].DurationAverage, res.Steps[0].DurationAverage, res.Choice.MemoryMB)
	}
	for _, s := range res.Steps {
		if s.RunID == 0 || !s.ColdStarts.Known || s.ColdStarts.Value == 0 {
			t.Fatalf("step %d MB: run %d, cold starts %v", s.MemoryMB, s.RunID, s.ColdStarts)
		}
	}
}

// Bad input is refused in words, before anything starts.
func TestUserSweepRefusesBadInput(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	u.run("sweep", "--sandbox", "--memory", "128,64").expect(t, 1, "128")
	u.run("sweep", "--sandbox", "--memory", "128,big").expect(t, 1, "not a whole number of MB")
	u.run("sweep", "--sandbox", "--strategy", "cheapest").expect(t, 1, "choose cost, speed or balanced")
	u.run("sweep", "--sandbox", "--invokes", "10", "--run-time", "5s").expect(t, 1, "not both")
	u.run("sweep", "--sandbox", "--fast", "--arch", "arm64").expect(t, 1, "x86_64", "UpdateFunctionCode")
	u.run("sweep", "--sandbox", "--cold-starts", "--parallel", "4").expect(t, 1, "one at a time")
	payload := filepath.Join(u.home, "bad.json")
	if err := os.WriteFile(payload, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	u.run("sweep", "--sandbox", "--payload", payload).expect(t, 1, "is not JSON")
}

// --read-only shows every change and makes none.
func TestUserSweepReadOnlyChangesNothing(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	r := u.run("sweep", "--sandbox", "--fast", "--read-only", "--memory", "256,512", "--invokes", "5")
	r.expect(t, 1, "step 1 of 2: memory 128 MB → 256 MB", "step 2 of 2: memory 256 MB → 512 MB", "memory back to 128 MB",
		"read-only", "nothing was changed")
	if strings.Contains(r.stderr, "measuring") {
		t.Fatalf("a read-only sweep ran:\n%s", r.stderr)
	}
}

// Ctrl-C mid-sweep: the function is restored, the command says so and
// exits 130.
func TestUserSweepInterruptedRestores(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, u.bin, "sweep", "--sandbox", "--fast", "--memory", "512,1024,2048", "--invokes", "100000", "--parallel", "2")
	cmd.Env, cmd.Dir = u.environ(), u.home
	var stdout bytes.Buffer
	stderr := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 600 && !strings.Contains(stderr.String(), "measuring"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("exit %v, want 130\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "restored memory 512 MB → 128 MB") || !strings.Contains(stdout.String(), "interrupted") {
		t.Fatalf("stderr:\n%s\nstdout:\n%s", stderr.String(), stdout.String())
	}
}

// The products load through the sandbox's API per step: the function's
// numbers come from CloudWatch, each step's own.
func TestUserSweepsWithTheProductsLoad(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	r := u.run("sweep", "--sandbox", "--fast", "--memory", "128,2048", "--run-time", "1500ms", "--users", "4", "--wait", "10ms", "--json")
	r.expect(t, 0, "products load test per step", "restored memory 2048 MB → 128 MB")
	var res tune.SweepResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Steps {
		if s.DurationSource != tune.SourceCloudWatch || !s.CostKnown || s.Requests == 0 {
			t.Fatalf("step %+v", s)
		}
	}
	if res.Steps[0].DurationAverage <= 3*res.Steps[1].DurationAverage {
		t.Fatalf("durations %v and %v", res.Steps[0].DurationAverage, res.Steps[1].DurationAverage)
	}
}
