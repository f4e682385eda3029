package tune_test

// The journal's crash guarantees, tested with real processes: this test
// binary re-executed as a child that journals runs and changes and prints
// each ID once its commit has returned, killed with SIGKILL at random moments.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/tune"
)

const (
	childJournalEnv  = "LAMBDATUNE_TEST_JOURNAL_CHILD"
	childFunctionEnv = "LAMBDATUNE_TEST_JOURNAL_FUNCTION"
	childCountEnv    = "LAMBDATUNE_TEST_JOURNAL_COUNT"
)

// TestJournalChild is the child process: it is a no-op unless the parent
// set its environment.
func TestJournalChild(t *testing.T) {
	path := os.Getenv(childJournalEnv)
	if path == "" {
		t.Skip("only runs as the child of the crash and two-writer tests")
	}
	count, _ := strconv.Atoi(os.Getenv(childCountEnv))
	if err := journalAsChild(path, os.Getenv(childFunctionEnv), count); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	os.Exit(0)
}

// journalAsChild writes count records (runs and changes in turn), printing
// "run ID" or "change ID" after each commit.
func journalAsChild(path, function string, count int) error {
	ctx := context.Background()
	j, err := tune.OpenJournal(ctx, path, tune.JournalOptions{})
	if err != nil {
		return err
	}
	defer j.Close()
	fmt.Fprintln(os.Stdout, "open")
	for i := range count {
		kind, id, err := writeOne(ctx, j, function, i)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(os.Stdout, "%s %d\n", kind, id); err != nil {
			return err
		}
	}
	return nil
}

func writeOne(ctx context.Context, j *tune.Journal, function string, i int) (string, int64, error) {
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	if i%2 == 0 {
		id, err := j.AddRun(ctx, syntheticRun(function, at, i))
		return "run", id, err
	}
	before := tune.FunctionConfig{MemoryMB: 128, Architecture: tune.ArchX86, TimeoutSec: 3, Runtime: "python3.12"}
	after := before
	after.MemoryMB = int32(128 + i)
	id, err := j.AddChange(ctx, tune.SandboxScope, tune.ChangeRecord{Function: function, Kind: tune.ChangeMemory,
		Path: tune.PathCLI, Title: before.Diff(after)[0], Requested: at, Finished: at.Add(time.Second),
		Before: before, After: after, Status: "done"})
	return "change", id, err
}

// syntheticRun is a run record of a realistic size: a minute of windows, a
// few endpoints with histograms.
func syntheticRun(function string, at time.Time, seed int) tune.RunRecord {
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	rec := tune.RunRecord{Scope: tune.SandboxScope.Key(), Function: function, Path: tune.PathCLI,
		Settings: tune.RunSettings{Target: "sandbox/Prod", Scenario: "products", Model: "closed", Users: 100, SpawnRate: 3,
			Wait: "between(250ms, 550ms)", RunTime: time.Minute, MaxRequests: 10_000_000, Seed: uint64(seed)},
		Started: at, Ended: at.Add(time.Minute), Elapsed: time.Minute, StopReason: "run time reached",
		Config: tune.FunctionConfig{MemoryMB: 128, Architecture: tune.ArchX86}, ConfigKnown: true}
	for s := range 60 {
		rec.Windows = append(rec.Windows, tune.WindowRecord{Start: time.Duration(s) * time.Second, Length: time.Second,
			Requests: 200, RPS: 200, P50: 90 * time.Millisecond, P95: 300 * time.Millisecond, Max: time.Second, InFlight: 20, Users: 100})
	}
	rec.Total = syntheticEndpoint("Aggregated", rng)
	for _, name := range []string{"/products", "/products/[id]"} {
		rec.Endpoints = append(rec.Endpoints, syntheticEndpoint(name, rng))
	}
	return rec
}

func syntheticEndpoint(name string, rng *rand.Rand) tune.EndpointRecord {
	h := &tune.Histogram{Lowest: 1, Highest: int64(time.Hour / time.Microsecond), Digits: 3}
	for i := range 400 {
		h.Counts = append(h.Counts, [2]int64{int64(10000 + 7*i), 1 + rng.Int64N(50)})
	}
	return tune.EndpointRecord{Name: name, Requests: 12000, Failures: 3, Average: 100 * time.Millisecond,
		Min: 10 * time.Millisecond, Max: time.Second, P50: 90 * time.Millisecond, P95: 300 * time.Millisecond,
		P99: 800 * time.Millisecond, RPS: 200, Latency: h}
}

// startChild starts this test binary as a journalling child.
func startChild(t *testing.T, path, function string, count int) (*exec.Cmd, io.ReadCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestJournalChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childJournalEnv+"="+path, childFunctionEnv+"="+function, childCountEnv+"="+strconv.Itoa(count))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdout
}

// committed reads the child's "kind ID" lines.
func committed(t *testing.T, r io.Reader) map[int64]string {
	return committedWithProgress(t, r, nil)
}

// committedWithProgress also sends the count of commits so far on progress
// after each one (and closes it at the end), when progress is not nil.
func committedWithProgress(t *testing.T, r io.Reader, progress chan<- int) map[int64]string {
	out := map[int64]string{}
	if progress != nil {
		defer close(progress)
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if sc.Text() == "open" {
			continue
		}
		kind, id, ok := strings.Cut(sc.Text(), " ")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil {
			t.Errorf("child printed %q", sc.Text())
			continue
		}
		out[n] = kind
		if progress != nil {
			select {
			case progress <- len(out):
			default:
			}
		}
	}
	return out
}

// TestJournalSurvivesKill9AtRandomMoments kills 200 journalling processes,
// two at a time (so some die while the other writes): one kill in ten while
// the child starts or opens the journal, the others after a random number of
// commits and a random sub-millisecond wait, wherever the next write is.
func TestJournalSurvivesKill9AtRandomMoments(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 200 processes (about 20 s)")
	}
	if raceDetector {
		t.Skip("runs without -race: it tests processes, not goroutines, and -race makes each child several times slower (over two minutes)")
	}
	path := filepath.Join(t.TempDir(), tune.JournalFile)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))
	all, kills, duringWrites := map[int64]string{}, 0, 0
	for round := 0; kills < 200; round++ {
		results := make(chan map[int64]string, 2)
		for _, fn := range []string{"fn-a", "fn-b"} {
			early := kills%10 == 0
			plan := killPlan{early: early, afterCommits: 1 + rng.IntN(4), wait: time.Duration(rng.IntN(2000)) * time.Microsecond}
			go func() { results <- killChild(t, path, fn, plan) }()
			kills++
			if !early {
				duringWrites++
			}
		}
		fresh := map[int64]string{}
		for range 2 {
			for id, kind := range <-results {
				fresh[id], all[id] = kind, kind
			}
		}
		checkCommitted(t, path, all, fresh, round)
	}
	if len(all) < duringWrites {
		t.Errorf("only %d records were committed over %d kills during writes", len(all), duringWrites)
	}
	t.Logf("%d committed records all still there after %d kills", len(all), kills)
}

// killPlan says when to kill a child: early (without waiting for it to open
// the journal), or a wait after its afterCommits-th commit.
type killPlan struct {
	early        bool
	afterCommits int
	wait         time.Duration
}

// killChild starts a child, kills it as planned and returns what it
// reported committed.
func killChild(t *testing.T, path, function string, plan killPlan) map[int64]string {
	cmd, stdout := startChild(t, path, function, 1_000_000)
	progress, reports := make(chan int, 1024), make(chan map[int64]string, 1)
	go func() { reports <- committedWithProgress(t, stdout, progress) }()
	if !plan.early {
		waitForCommits(progress, plan.afterCommits)
	}
	time.Sleep(plan.wait)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	got := <-reports
	if err := cmd.Wait(); err == nil {
		t.Errorf("a child ended on its own before the kill")
	}
	return got
}

// waitForCommits waits until the child reported n commits (or its output ended).
func waitForCommits(progress <-chan int, n int) {
	deadline := time.After(30 * time.Second)
	for {
		select {
		case got, ok := <-progress:
			if !ok || got >= n {
				return
			}
		case <-deadline:
			return
		}
	}
}

// checkCommitted opens the journal as a user would after a crash, finds
// every record the children reported committed in its session, and reads
// this round's whole.
func checkCommitted(t *testing.T, path string, all, fresh map[int64]string, round int) {
	t.Helper()
	j, err := tune.OpenJournal(t.Context(), path, tune.JournalOptions{})
	if err != nil {
		t.Fatalf("round %d: the journal does not open after a kill: %v", round, err)
	}
	defer j.Close()
	sessions, err := j.Sessions(t.Context(), tune.SandboxScope)
	if err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
	present := map[int64]bool{}
	for _, s := range sessions {
		for _, r := range s.Runs {
			present[r.ID] = true
		}
		for _, c := range s.Changes {
			present[c.ID] = true
		}
	}
	for id, kind := range all {
		if !present[id] {
			t.Fatalf("round %d: %s %d was reported committed but is lost", round, kind, id)
		}
	}
	for id, kind := range fresh {
		if kind == "run" {
			_, err = j.Run(t.Context(), id)
		} else {
			_, err = j.Change(t.Context(), id)
		}
		if err != nil {
			t.Fatalf("round %d: %s %d was reported committed but is lost: %v", round, kind, id, err)
		}
	}
	if round%10 != 9 { // the whole-file check every tenth round keeps the test short
		return
	}
	if ok, err := j.IntegrityCheck(t.Context()); err != nil || !ok {
		t.Fatalf("round %d: integrity check failed: %v", round, err)
	}
}

// TestJournalTwoWritersLoseNothing: two processes write at once; every
// record each reported is there, and neither failed on a busy database.
func TestJournalTwoWritersLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), tune.JournalFile)
	const each = 60
	a, outA := startChild(t, path, "fn-a", each)
	b, outB := startChild(t, path, "fn-b", each)
	doneB := make(chan map[int64]string)
	go func() { doneB <- committed(t, outB) }()
	gotA, gotB := committed(t, outA), <-doneB
	if err := a.Wait(); err != nil {
		t.Fatalf("writer a: %v", err)
	}
	if err := b.Wait(); err != nil {
		t.Fatalf("writer b: %v", err)
	}
	if len(gotA) != each || len(gotB) != each {
		t.Fatalf("writers reported %d and %d records, want %d each", len(gotA), len(gotB), each)
	}
	j := openTestJournal(t, filepath.Dir(path))
	for fn, want := range map[string]map[int64]string{"fn-a": gotA, "fn-b": gotB} {
		s, err := j.Session(t.Context(), tune.SandboxScope, fn)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Runs)+len(s.Changes) != len(want) {
			t.Errorf("%s: %d runs + %d changes in the journal, %d reported", fn, len(s.Runs), len(s.Changes), len(want))
		}
	}
}
