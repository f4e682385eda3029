package tui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"
)

// The sweep screen: start a sweep from the function, watch the steps
// complete and the chart grow, see the choice, apply it through the memory
// dialog's confirmation, and see the function at the chosen memory.
func TestSweepFlowChoosesAndApplies(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.keys("w")
	c.waitForText(t, "Memory (MB)")
	c.retype("128,512,1024")
	c.keys("down")
	c.retype("12")
	c.keys("down", "down")
	c.retype("speed p95")
	c.keys("enter")
	c.waitForText(t, "SANDBOX: the numbers come from lambdatune's model")
	c.waitForText(t, "1=128 MB 2=512 MB")  // the chart has two points
	c.waitForText(t, "2=512 MB 3=1024 MB") // and then three
	text := c.waitForText(t, "end: restored memory 1024 MB → 128 MB")
	if !strings.Contains(text, "▸ ") || !strings.Contains(text, "choice (speed, p95): speed:") {
		t.Fatalf("no choice shown:\n%s", text)
	}
	chosen := chosenMemory(t, text)
	c.keys("a")
	c.waitForText(t, "• memory 128 MB → "+chosen+" MB")
	c.keys("enter")
	c.waitForText(t, "Make this change?")
	c.keys("y")
	c.waitForText(t, "done in")
	c.keys("esc")
	c.waitForText(t, "function now at "+chosen+" MB")
	d, err := tn.session.Detail(t.Context(), tn.fn)
	if err != nil || strconv.Itoa(int(d.MemoryMB)) != chosen || chosen == "128" {
		t.Fatalf("function at %d MB (%v), chose %s", d.MemoryMB, err, chosen)
	}
}

// chosenMemory reads the memory of the row marked chosen.
func chosenMemory(t *testing.T, text string) string {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "▸" {
			return f[1]
		}
	}
	t.Fatalf("no chosen row:\n%s", text)
	return ""
}

// Quitting the console mid-sweep stops the sweep, and the console waits
// until it has put the function back (as Run does on every way out).
func TestSweepQuitMidwayRestores(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.keys("w")
	c.waitForText(t, "Memory (MB)")
	c.retype("1024,2048")
	c.keys("down")
	c.retype("100000")
	c.keys("enter")
	c.waitForText(t, "step 1 of 2 (1024 MB): measuring")
	c.keys("q")
	app, ok := c.tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(App)
	if !ok {
		t.Fatal("no final model")
	}
	app.c.background.stopAll()
	d, err := tn.session.Detail(t.Context(), tn.fn)
	if err != nil || d.MemoryMB != 128 {
		t.Fatalf("after quitting the function is at %d MB (%v), want 128", d.MemoryMB, err)
	}
}

// A duration as the workload is a load test per step through the API the
// load screen would use (the sandbox's products API for the lab's function).
func TestSweepFlowWithTheProductsLoad(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.keys("w")
	c.waitForText(t, "Memory (MB)")
	c.retype("128,2048")
	c.keys("down")
	c.retype("2s")
	c.keys("enter")
	text := c.waitForText(t, "end: restored memory 2048 MB → 128 MB")
	if !strings.Contains(text, "1=128 MB 2=2048 MB") || !strings.Contains(text, "▸ ") {
		t.Fatalf("no chart or choice:\n%s", text)
	}
}
