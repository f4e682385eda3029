package tui

import (
	"context"
	"fmt"
	"log/slog"
	"syscall"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// BenchmarkSnapshotsScreenFirstFrame measures the Snapshots screen's first
// frame with 10,000 snapshots of one function in the journal: the screen
// opened, its read of the session (runs and changes, paired), the answer
// handled, and the frame drawn. Filling the journal takes a minute or so.
//
//	go test ./tui -run '^$' -bench SnapshotsScreenFirstFrame -benchtime 10x
func BenchmarkSnapshotsScreenFirstFrame(b *testing.B) {
	const snapshots = 10_000
	ctx := context.Background()
	j, err := tune.OpenJournal(ctx, tune.JournalPath(b.TempDir()), tune.JournalOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	fillJournal(b, j, snapshots)
	client, err := aws.New(ctx, aws.Options{EndpointURL: "http://127.0.0.1:1", StaticCredentials: true})
	if err != nil {
		b.Fatal(err)
	}
	session := tune.NewSession(client, tune.Where{Sandbox: true})
	session.SetJournal(j)
	c := &common{ctx: ctx, session: session, where: session.Where(), styles: newStyles(true), global: newGlobalKeys(), log: slog.New(slog.DiscardHandler),
		width: 120, height: 40}
	cpu := processCPU()
	b.ResetTimer()
	for b.Loop() {
		s, init := newSnapshotsScreen(c, "fn")
		next, _ := s.Update(init())
		frame := next.View()
		if got := next.(snapshotsScreen); len(got.snaps) != snapshots+1 || len(frame) == 0 {
			b.Fatalf("%d snapshots on screen", len(got.snaps))
		}
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// fillJournal writes a baseline run and n memory changes each followed by a
// three-minute run, as a long session would leave them.
func fillJournal(b *testing.B, j *tune.Journal, n int) {
	b.Helper()
	ctx, at := context.Background(), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i <= n; i++ {
		if i > 0 {
			before, after := tune.FunctionConfig{MemoryMB: int32(128 + (i-1)%3000)}, tune.FunctionConfig{MemoryMB: int32(128 + i%3000)}
			_, err := j.AddChange(ctx, tune.SandboxScope, tune.ChangeRecord{Function: "fn", Kind: tune.ChangeMemory, Path: tune.PathConsole,
				Title: fmt.Sprintf("memory %d MB → %d MB", before.MemoryMB, after.MemoryMB), Requested: at.Add(-time.Minute),
				Finished: at.Add(-time.Minute + 2*time.Second), Before: before, After: after, Status: "done"})
			if err != nil {
				b.Fatal(err)
			}
		}
		if _, err := j.AddRun(ctx, benchRun(at, i)); err != nil {
			b.Fatal(err)
		}
		at = at.Add(5 * time.Minute)
	}
}

func benchRun(at time.Time, i int) tune.RunRecord {
	rec := tune.RunRecord{Scope: tune.SandboxScope.Key(), Function: "fn", Path: tune.PathConsole, Started: at, Ended: at.Add(3 * time.Minute),
		Elapsed: 3 * time.Minute, Settings: tune.RunSettings{Target: "sandbox/Prod", Scenario: "products", Model: "closed", Users: 100,
			SpawnRate: 3, Wait: "between(250ms, 550ms)", RunTime: 3 * time.Minute, MaxRequests: 10_000_000},
		Config: tune.FunctionConfig{MemoryMB: int32(128 + i%3000), Architecture: tune.ArchX86}, ConfigKnown: true,
		Total: tune.EndpointRecord{Name: "Aggregated", Requests: 36_000, Failures: uint64(i % 7), Average: time.Duration(100+i%50) * time.Millisecond,
			P50: 90 * time.Millisecond, P95: 300 * time.Millisecond, P99: 800 * time.Millisecond, Max: time.Second,
			Server: &tune.ServerRecord{Invocations: 36_000, ColdStarts: uint64(i % 40), AverageBilled: 91 * time.Millisecond}}}
	for s := range 180 {
		rec.Windows = append(rec.Windows, tune.WindowRecord{Start: time.Duration(s) * time.Second, Length: time.Second, Requests: 200,
			RPS: 200, P50: 90 * time.Millisecond, P95: 300 * time.Millisecond, Max: time.Second, InFlight: 20, Users: 100})
	}
	return rec
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
