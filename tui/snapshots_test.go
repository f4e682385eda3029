package tui

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/lambdatune/lambdatune/tune"
)

// The card's promise, through the console: a baseline run, memory 128 →
// 3008, a run after it; the Snapshots screen pairs them with their deltas;
// u undoes the change through the confirmed path; the function is back at
// 128 MB and the undo is journalled as a change of its own.
func TestSnapshotPairAndUndo(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)

	c.startLoadFor(t, "10", "4s")
	c.waitForText(t, "Finished: run time reached")
	c.waitForText(t, "(s on the function: snapshots)")
	// An HTTP run's cold starts, as CloudWatch counted them: 10 users start
	// 10 environments, whose init the client saw and Duration leaves out.
	c.waitForWords(t, "cold starts in the run's window (Lambda Insights init_duration), Init Duration avg")
	c.keys("esc", "m")
	c.waitForText(t, "now 128 MB")
	c.retype("3008")
	c.keys("enter", "y")
	c.waitForText(t, "done in")
	c.keys("esc")
	c.waitForText(t, "Memory      3008 MB")

	c.startLoadFor(t, "10", "4s")
	c.waitForText(t, "Finished: run time reached")
	text := c.waitForText(t, "after memory 128 MB → 3008 MB")
	if !strings.Contains(text, "average ") || !strings.Contains(text, "cost per 1M") {
		t.Fatalf("the summary lacks the snapshot's deltas:\n%s", text)
	}
	c.keys("esc", "s")
	text = c.waitForText(t, "change 2 ·")
	for _, want := range []string{"memory 128 MB → 3008 MB", "baseline", "average", "p95", "cost per 1M"} {
		if !strings.Contains(text, want) {
			t.Errorf("snapshots screen lacks %q:\n%s", want, text)
		}
	}
	// The 128 MB run was slower on average: 3008 MB is marked better.
	if !regexp.MustCompile(`average\s+\S+ ms → \S+ ms \(−\d+(\.\d)?%\)\s+better`).MatchString(text) {
		t.Errorf("the average is not marked better:\n%s", text)
	}
	c.keys("enter")
	text = c.waitForText(t, "latency before")
	for _, want := range []string{"Aggregated", "GET /products", "latency after", "p95 latency per second"} {
		if !strings.Contains(text, want) {
			t.Errorf("comparison lacks %q:\n%s", want, text)
		}
	}
	c.keys("esc", "e")
	text = c.waitForText(t, "saved ")
	for _, f := range regexp.MustCompile(`\S+-snapshot-\d+\.(md|json|csv|html)`).FindAllString(text, -1) {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("export %s: %v", f, err)
		}
	}
	c.keys("u")
	c.waitForText(t, "brings back 128 MB")
	c.keys("enter", "y")
	c.waitForText(t, "done in")
	c.keys("esc")
	c.waitForText(t, "memory 3008 MB → 128 MB")

	d, err := tn.client.FunctionDetail(t.Context(), tn.fn)
	if err != nil || d.MemoryMB != 128 {
		t.Fatalf("memory after undo %d (%v)", d.MemoryMB, err)
	}
	session, err := tn.journal.Session(t.Context(), tune.SandboxScope, tn.fn)
	if err != nil || len(session.Changes) != 2 || session.Changes[1].Path != tune.PathUndo {
		t.Fatalf("journal after undo: %v %+v", err, session.Changes)
	}
	if len(session.Runs) != 2 {
		t.Fatalf("%d runs journalled, want 2", len(session.Runs))
	}
	// The global view lists the function's snapshots too.
	c.keys(":")
	c.keys("snap", "enter")
	c.waitForText(t, "Snapshots · every function · 3 snapshots")
}
