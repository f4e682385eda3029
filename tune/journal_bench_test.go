package tune

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkSnapshotsFirstFrame measures what the Snapshots screen needs for
// its first frame with 10,000 snapshots of one function in the journal
// (10,001 runs, 10,000 changes): the session's runs and changes read from
// their list columns, paired, and every snapshot's deltas priced.
//
// Besides the wall time it reports the process's CPU time per read
// (cpu-ms/op), which a machine shared with other work inflates far less.
//
//	go test ./tune -run '^$' -bench SnapshotsFirstFrame -benchtime 20x
func BenchmarkSnapshotsFirstFrame(b *testing.B) {
	const snapshots = 10_000
	j := benchJournal(b, snapshots)
	ctx, prices := context.Background(), DefaultPrices()
	cpuBefore := cpuTime()
	for b.Loop() {
		s, err := j.Session(ctx, SandboxScope, "fn")
		if err != nil {
			b.Fatal(err)
		}
		deltas := 0
		for _, snap := range s.Snapshots {
			deltas += len(snap.Deltas(prices))
		}
		if len(s.Snapshots) != snapshots+1 || deltas != 9*snapshots {
			b.Fatalf("%d snapshots, %d deltas", len(s.Snapshots), deltas)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpuBefore)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchJournal fills a journal with a baseline and n changes each followed
// by a run, in one transaction (the benchmark is of reading).
func benchJournal(b *testing.B, n int) *Journal {
	b.Helper()
	ctx := context.Background()
	j, err := OpenJournal(ctx, filepath.Join(b.TempDir(), JournalFile), JournalOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = j.Close() })
	err = j.inTx(ctx, func(tx *sql.Tx) error {
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i <= n; i++ {
			if i > 0 {
				if err := benchChange(ctx, j, tx, at.Add(-time.Minute), i); err != nil {
					return err
				}
			}
			if err := benchRun(ctx, j, tx, at, i); err != nil {
				return err
			}
			at = at.Add(5 * time.Minute)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return j
}

func benchRun(ctx context.Context, j *Journal, tx *sql.Tx, at time.Time, i int) error {
	rec := RunRecord{Scope: SandboxScope.Key(), Function: "fn", Path: PathConsole, Started: at, Ended: at.Add(3 * time.Minute),
		Elapsed: 3 * time.Minute, Settings: RunSettings{Target: "sandbox/Prod", Scenario: "products", Model: "closed", Users: 100,
			SpawnRate: 3, Wait: "between(250ms, 550ms)", RunTime: 3 * time.Minute, MaxRequests: 10_000_000},
		Config: FunctionConfig{MemoryMB: int32(128 + i%3000), Architecture: ArchX86}, ConfigKnown: true,
		Total: EndpointRecord{Name: "Aggregated", Requests: 36_000, Failures: uint64(i % 7), Average: time.Duration(100+i%50) * time.Millisecond,
			P50: 90 * time.Millisecond, P95: 300 * time.Millisecond, P99: 800 * time.Millisecond, Max: time.Second,
			Server: &ServerRecord{Invocations: 36_000, ColdStarts: uint64(i % 40), AverageBilled: 91 * time.Millisecond}}}
	for s := range 180 { // a three-minute run's seconds, as a real record carries them
		rec.Windows = append(rec.Windows, WindowRecord{Start: time.Duration(s) * time.Second, Length: time.Second, Requests: 200, RPS: 200,
			P50: 90 * time.Millisecond, P95: 300 * time.Millisecond, Max: time.Second, InFlight: 20, Users: 100})
	}
	id, err := j.addEvent(ctx, tx, rec.Scope, rec.Function, "run", rec.Started)
	if err != nil {
		return err
	}
	rec.ID = id
	return insertRun(ctx, tx, rec)
}

func benchChange(ctx context.Context, j *Journal, tx *sql.Tx, at time.Time, i int) error {
	before := FunctionConfig{MemoryMB: int32(128 + (i-1)%3000), Architecture: ArchX86}
	after := FunctionConfig{MemoryMB: int32(128 + i%3000), Architecture: ArchX86}
	rec := ChangeRecord{Scope: SandboxScope.Key(), Function: "fn", Kind: ChangeMemory, Path: PathConsole,
		Title: fmt.Sprintf("memory %d MB → %d MB", before.MemoryMB, after.MemoryMB), Requested: at, Finished: at.Add(2 * time.Second),
		Before: before, After: after, Status: "done"}
	id, err := j.addEvent(ctx, tx, rec.Scope, rec.Function, "change", rec.Requested)
	if err != nil {
		return err
	}
	rec.ID = id
	return insertChange(ctx, tx, rec)
}
