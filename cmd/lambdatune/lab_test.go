package main

// `lambdatune lab --headless` run as a user runs it: the built binary with
// the embedded sandbox, and in-process against a sandbox served on loopback
// standing in for an account. The runs are 2 s a step: too short for the
// lab's numbers, so the tests assert the walk, the table and what the exit
// code means, not a verdict (docs/walkthrough.md has the full-length runs).

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

var labRow = regexp.MustCompile(`(?m)^\| ([1-4])\. [^|]+ \| (\d+) \|.* \| (met|missed|too busy|no data) \|$`)

// labRows are the table's step numbers and verdicts.
func labRows(stdout string) map[string]string {
	rows := map[string]string{}
	for _, m := range labRow.FindAllStringSubmatch(stdout, -1) {
		rows[m[1]] = m[3]
	}
	return rows
}

func TestLabHeadlessWalksTheFourStepsInTheSandbox(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	report := filepath.Join(u.home, "lab.md")
	r := u.run("lab", "--headless", "--sandbox", "--run-time", "2s", "--yes", "--report", report)
	if r.code != 0 && r.code != 2 {
		t.Fatalf("exit %d, want 0 (all met) or 2 (one not)\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	rows := labRows(r.stdout)
	if len(rows) != 4 {
		t.Fatalf("the table has %d step rows, want 4:\n%s", len(rows), r.stdout)
	}
	allMet := true
	for _, v := range rows {
		allMet = allMet && v == "met"
	}
	switch {
	case r.code == 0 && !allMet:
		t.Fatalf("exit 0 with a step not met: %v", rows)
	case r.code == 2 && allMet:
		t.Fatalf("exit 2 with every step met: %v", rows)
	case r.code == 2 && !strings.Contains(r.stderr, "did not hold") && !strings.Contains(r.stderr, "too busy"):
		t.Fatalf("exit 2 without saying why: %s", r.stderr)
	}
	for _, want := range []string{
		"Step 3 of 4: Provisioned concurrency 40 on live", "memory 128 MB → 3008 MB", "provisioned concurrency on live none → 40",
		"READY (40 of 40 allocated)", "reserved concurrency none → 20", "Restore the original configuration:", "delete version 1",
		"now: as it was before the lab: 128 MB", "| lag p99 |",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if strings.Contains(r.stdout, "Make this change?") {
		t.Error("--yes asked anyway")
	}
	md, err := os.ReadFile(report)
	if err != nil || !bytes.Contains(md, []byte("# The lab on ")) || !bytes.Contains(md, []byte("tuning session")) {
		t.Fatalf("report: %v\n%.400s", err, md)
	}
}

func TestLabHeadlessUnreachableAPIIsAProblem(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	r := u.run("lab", "--headless", "--sandbox", "--run-time", "2s", "--yes", "--url", closedURL(t))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if rows := labRows(r.stdout); len(rows) != 1 || rows["1"] != "no data" {
		t.Fatalf("rows %v:\n%s", rows, r.stdout)
	}
	if !strings.Contains(r.stdout, "no data — the load test could not reach the API") || !strings.Contains(r.stderr, "could not run every step") {
		t.Fatalf("stdout: %s\nstderr: %s", r.stdout, r.stderr)
	}
}

func TestLabRefusesBadFlagsBeforeStarting(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"lab", "--read-only"}, "cannot run with --read-only"}, // the Lab screen too
		{[]string{"lab", "--headless", "--report", "lab.txt"}, "Markdown (.md) or HTML (.html)"},
		{[]string{"lab", "--headless", "--run-time", "0s"}, "between 1s and"},
		{[]string{"lab", "--headless", "--url", "ftp://x"}, "give the API's http(s) URL"},
		{[]string{"lab", "--headless", "--read-only"}, "cannot run with --read-only"},
		{[]string{"lab", "a", "b", "--headless"}, "accepts at most 1 arg"},
	} {
		u.run(c.args...).expect(t, 1, c.want)
	}
}

// Ctrl-C mid-step: the load stops at once, the run is kept, the function's
// state is printed and (with --yes) restored; exit 130.
func TestLabHeadlessInterruptedMidStep(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	state := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, u.bin, "lab", "--headless", "--sandbox", "--run-time", "20s", "--yes", "--state-dir", state)
	cmd.Env, cmd.Dir = u.environ(), u.home
	var stdout lockedBuffer
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000 && !strings.Contains(stdout.String(), "running the load test"); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // some requests of step 1
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	exit, _ := err.(*exec.ExitError)
	if exit == nil || exit.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "interrupted: the load stopped and the step's run is kept in the journal") ||
		!strings.Contains(out, "now: as it was before the lab") {
		t.Fatalf("stdout: %s", out)
	}
	if rows := labRows(out); len(rows) != 1 {
		t.Fatalf("rows %v", rows)
	}
	j, err := tune.OpenJournal(t.Context(), tune.JournalPath(state), tune.JournalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	fn := regexp.MustCompile(`lambdatune lab: (\S+) in`).FindStringSubmatch(out)
	if fn == nil {
		t.Fatalf("no function named in %s", out)
	}
	s, err := j.Session(t.Context(), tune.SandboxScope, fn[1])
	if err != nil || len(s.Runs) != 1 || s.Runs[0].Elapsed >= 20*time.Second {
		t.Fatalf("journal: %+v, %v; want the one cut run", s.Runs, err)
	}
}

// Against a sandbox standing in for an account (--endpoint-url), without
// --yes: every change is asked about; a declined change ends the lab
// (exit 1) having changed nothing it was not allowed to, and the step's run
// before it is in the journal.
func TestLabAsksBeforeEachChangeAndStopsWhenDeclined(t *testing.T) {
	t.Parallel()
	cfg := sandbox.Fast()
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sandbox.Start(t.Context(), sb, "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close(); sb.Close() })
	state := t.TempDir()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetIn(strings.NewReader("n\n"))
	cmd.SetArgs([]string{"lab", sb.ProductFunctionName(), "--headless", "--endpoint-url", srv.EndpointURL, "--url", srv.APIURL,
		"--run-time", "1s", "--state-dir", state})
	err = cmd.ExecuteContext(t.Context())
	if e, ok := err.(exitError); !ok || e.code != 1 {
		t.Fatalf("err %v, want exit 1\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"memory 128 MB → 3008 MB", "Make this change? [y/N]", "the step's change was not confirmed: nothing was changed"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Restore it?") {
		t.Error("asked to restore a function nothing changed")
	}
	d, err := newClientFor(t, srv.EndpointURL).FunctionDetail(t.Context(), sb.ProductFunctionName())
	if err != nil || d.MemoryMB != 128 {
		t.Fatalf("memory %d after a declined change, %v", d.MemoryMB, err)
	}
}

// lockedBuffer is a buffer a process writes while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newClientFor(t *testing.T, endpoint string) *aws.Client {
	t.Helper()
	c, err := aws.New(t.Context(), aws.Options{EndpointURL: endpoint, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// `lambdatune load` on the sandbox says how late the sandbox's timers ran.
func TestLoadSummaryShowsTheSandboxLag(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	r := u.run("load", "--sandbox", "-t", "1s", "-u", "2")
	r.expect(t, 0, "sandbox scheduling lag p99 ")
}

// A change AWS would refuse (provisioned 40 where the account keeps only
// 100 unreserved of 120) is the step's problem: the step says why, the lab
// stops with exit 1 and restores what it changed before.
func TestLabHeadlessFailedChangeSaysWhy(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	r := u.run("lab", "--headless", "--sandbox", "--account-concurrency", "120", "--run-time", "1s", "--yes")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if rows := labRows(r.stdout); len(rows) != 3 || rows["3"] != "no data" {
		t.Fatalf("rows %v:\n%s", rows, r.stdout)
	}
	for _, want := range []string{"3. Provisioned concurrency 40 on live: no data — the change failed: ", "run `lambdatune lab` again to retry",
		"now: as it was before the lab"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
}
