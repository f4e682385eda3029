package tui

// The Lab screen driven through the real program (teatest) against the
// sandbox over loopback: the four steps walked with their confirmations,
// each step judged, the restore, the report; and the bad paths a trainee
// meets (a declined change, an API that does not answer, leaving mid-step).

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/lambdatune/lambdatune/tune"
)

// openLab opens the Lab screen with :lab and starts it with a small, short
// load test (users at 10/s for runTime), so each step takes seconds.
func (tn *tuning) openLab(t *testing.T, users, runTime string) (console, string) {
	t.Helper()
	dir := t.TempDir()
	c := startConsoleWith(t, tn.session, 120, 40, Options{ExportDir: dir})
	c.waitFor(t, "the list", loaded)
	c.keys(":", "lab", "enter")
	c.waitForText(t, "the lab stack's ProductApiUrl")
	c.keys("down")
	c.retype(users)
	c.keys("down")
	c.retype("10")
	c.keys("down")
	c.retype(runTime)
	c.keys("enter")
	c.waitForText(t, "1  Baseline: 128 MB")
	c.waitForText(t, "function now: as it was before the lab")
	return c, dir
}

// verdictOf is step n's verdict on the checklist, "" while it has none.
func verdictOf(screen string, n int) string {
	titles := map[int]string{1: "Baseline: 128 MB", 2: "Memory 3008 MB", 3: "Provisioned concurrency 40 on live", 4: "Reserved concurrency 20"}
	re := regexp.MustCompile(regexp.QuoteMeta(titles[n]) + `\s+(met|missed|too busy|no data)\b`)
	if m := re.FindStringSubmatch(screen); m != nil {
		return m[1]
	}
	return ""
}

func (c console) waitForVerdict(t *testing.T, n int) string {
	t.Helper()
	text := c.waitFor(t, "step's verdict", func(s string) bool { return verdictOf(s, n) != "" })
	return verdictOf(text, n)
}

// confirm answers the dialog of one planned change and closes it once done.
func (c console) confirm(t *testing.T, change string) {
	t.Helper()
	c.waitForWords(t, "Make this change? • "+change)
	c.keys("y")
	c.waitForText(t, "done in")
	c.keys("enter")
}

func TestLabWalksFourStepsRestoresAndReports(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c, dir := tn.openLab(t, "10", "2s")

	// Step 1 runs at once: the function is at the lab's baseline already.
	c.keys("enter")
	c.waitForText(t, "running")
	if v := c.waitForVerdict(t, 1); v == "" {
		t.Fatal("step 1 has no verdict")
	}
	// The cursor moves on to step 2, whose change is asked for.
	c.keys("enter")
	c.confirm(t, "memory 128 MB → 3008 MB")
	c.waitForVerdict(t, 2)
	c.waitForText(t, "function now: memory 3008 MB (was 128 MB)")

	// Step 3: memory back, then provisioned concurrency on a new live alias.
	c.keys("enter")
	c.confirm(t, "memory 3008 MB → 128 MB")
	c.confirm(t, "provisioned concurrency on live none → 40")
	c.waitForVerdict(t, 3)

	// Step 4: provisioned removed, then reserved 20.
	c.keys("enter")
	c.confirm(t, "provisioned concurrency on live 40 → none")
	c.confirm(t, "reserved concurrency none → 20")
	text := c.waitForVerdict(t, 4)
	screen := c.waitForText(t, "All four steps ran. x restores the function")
	for n := 1; n <= 4; n++ {
		if verdictOf(screen, n) == "" {
			t.Errorf("step %d lost its mark: %q", n, text)
		}
	}
	// Step 4's own checks are on screen with what was measured.
	c.waitForText(t, "peak concurrency ≤ 20 with reserved 20 — peak concurrency")

	// The restore asks, then brings every setting back, the lab's alias and
	// version included.
	c.keys("x")
	c.waitForWords(t, "Restore · "+tn.fn)
	c.waitForWords(t, "delete version 1, published by lambdatune during the lab")
	c.keys("y")
	c.waitForText(t, "done in")
	c.keys("enter")
	c.waitForText(t, "function now: as it was before the lab")
	d, err := tn.client.FunctionDetail(t.Context(), tn.fn)
	if err != nil {
		t.Fatal(err)
	}
	cfg := tune.ConfigOf(d)
	if cfg.MemoryMB != 128 || cfg.Reserved != nil || len(cfg.Provisioned) != 0 || len(d.Aliases) != 0 || len(d.Versions) != 0 {
		t.Fatalf("not restored: %s, aliases %v, versions %v", cfg.Summary(), d.Aliases, d.Versions)
	}

	// The report to hand in: Markdown and HTML, every step in it.
	c.keys("e")
	c.waitForText(t, "saved "+dir)
	matches, _ := filepath.Glob(filepath.Join(dir, "lab-*.md"))
	if len(matches) != 1 {
		t.Fatalf("reports in %s: %v, want one", dir, matches)
	}
	md, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1. Baseline: 128 MB", "2. Memory 3008 MB", "3. Provisioned concurrency 40 on live", "4. Reserved concurrency 20"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the report has no row %q", want)
		}
	}
	if _, err := os.Stat(strings.TrimSuffix(matches[0], ".md") + ".html"); err != nil {
		t.Errorf("no HTML report: %v", err)
	}
}

func TestLabDeclinedChangeLeavesTheFunction(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c, _ := tn.openLab(t, "5", "1s")
	c.keys("down", "enter") // step 2 without step 1
	c.waitForWords(t, "Make this change? • memory 128 MB → 3008 MB")
	c.keys("n")
	c.waitForText(t, "not run: the step's change was declined")
	if n := tn.writes.Load(); n != 0 {
		t.Fatalf("%d write requests reached the sandbox after a declined change", n)
	}
	if verdictOf(c.screen.String(), 2) != "" {
		t.Fatal("a declined step was judged")
	}
}

func TestLabSaysWhenTheAPIDoesNotAnswer(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c, _ := tn.openLab(t, "5", "1s")
	tn.api.stop()
	c.keys("enter")
	if v := c.waitForVerdict(t, 1); v != "no data" {
		t.Fatalf("step 1 against a dead API: %q, want no data", v)
	}
	c.waitForWords(t, "could not reach the API")
	if strings.Contains(c.screen.String(), "average ≥ 90 ms at 128 MB (the 100 ms target is not met with margin) —") {
		t.Fatal("a step without answers shows judged numbers")
	}
}

func TestLabLeavingMidStepSaysWhereTheFunctionIs(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c, _ := tn.openLab(t, "5", "30s")
	c.keys("down", "enter")
	c.confirm(t, "memory 128 MB → 3008 MB")
	c.waitForText(t, "running 0:0")
	c.keys("esc")
	c.waitForWords(t, "Leave the lab? Step 2 is under way")
	c.waitForWords(t, "The function stays at: memory 3008 MB (was 128 MB)")
	c.keys("y")
	c.waitForText(t, "left the lab; the function is at: memory 3008 MB (was 128 MB)")
	// The stopped run is kept: the journal has step 2's run, from the lab.
	c.waitFor(t, "the run in the journal", func(string) bool {
		ts, err := tn.session.TuningSession(t.Context(), tn.fn)
		if err != nil {
			return false
		}
		for _, r := range ts.Runs {
			if r.Path == tune.PathLab && r.Config.MemoryMB == 3008 {
				return true
			}
		}
		return false
	})
}

// Quitting the console mid-step stops the load test, and the console waits
// until the step's run is in the journal (as Run does on every way out).
func TestLabQuitMidStepKeepsTheRun(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c, _ := tn.openLab(t, "5", "5m")
	c.keys("enter")
	c.waitForText(t, "running 0:0")
	c.keys("q")
	app, ok := c.tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(App)
	if !ok {
		t.Fatal("no final model")
	}
	app.c.background.stopAll()
	ts, err := tn.session.TuningSession(t.Context(), tn.fn)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ts.Runs {
		if r.Path == tune.PathLab && r.Elapsed < time.Minute {
			return
		}
	}
	t.Fatalf("the stopped step's run is not in the journal: %+v", ts.Runs)
}
