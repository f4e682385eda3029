package load

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// instantTarget answers every request at once and notes the simulated time
// of each, per user: the engine's timing then comes from the clock alone.
type instantTarget struct {
	clk *clock.Manual
	mu  sync.Mutex
	at  []time.Time
}

func (t *instantTarget) NewSession() (Session, error) { return instantSession{t}, nil }
func (t *instantTarget) Describe() string             { return "instant" }

type instantSession struct{ t *instantTarget }

func (s instantSession) Do(_ context.Context, _ *Request, out *Outcome) {
	s.t.mu.Lock()
	s.t.at = append(s.t.at, s.t.clk.Now())
	s.t.mu.Unlock()
	out.Status = 200
}
func (instantSession) Abort() {}
func (instantSession) Close() {}

func (t *instantTarget) sent() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.at)
}

// settled says, for a simulated elapsed time, how many goroutines must be
// asleep on the clock and how many requests must have been sent before the
// clock may move on.
type settled func(elapsed time.Duration) (sleepers, requests int)

// driveUntilDone moves the manual clock from deadline to deadline, each time
// only once the engine has done everything due at the current instant, so
// the run is deterministic however slowly the machine runs it.
func driveUntilDone(t *testing.T, clk *clock.Manual, begin time.Time, run *Run, target *instantTarget, ready settled) {
	t.Helper()
	giveUp := time.Now().Add(20 * time.Second)
	for !isClosed(run.Done()) {
		sleepers, requests := ready(clk.Now().Sub(begin))
		for clk.Sleepers() < sleepers || target.sent() < requests {
			if isClosed(run.Done()) {
				return
			}
			if time.Now().After(giveUp) {
				t.Fatalf("at %v: %d sleepers, %d requests; waiting for %d, %d", clk.Now().Sub(begin), clk.Sleepers(), target.sent(), sleepers, requests)
			}
			time.Sleep(100 * time.Microsecond)
		}
		if next, ok := clk.NextDeadline(); ok {
			clk.Set(next)
		}
	}
}

// TestClosedModelInSimulatedTime: 5 users spawned at 1/s, each waiting a
// constant 1 s between instant requests, for 10 simulated seconds. User i
// starts at i s and sends at i, i+1, …, 9 s: 10+9+8+7+6 = 40 requests, at
// whole simulated seconds, in well under a second of real time.
func TestClosedModelInSimulatedTime(t *testing.T) {
	begin := time.Unix(1_700_000_000, 0)
	clk := clock.NewManual(begin)
	target := &instantTarget{clk: clk}
	run := mustStart(t, Config{
		Target: target, Scenario: GetScenario{}, Users: 5, SpawnRate: 1, Wait: Constant(time.Second),
		RunTime: 10 * time.Second, Clock: clk,
	})
	schedule := SpawnSchedule{Users: 5, Rate: 1}
	driveUntilDone(t, clk, begin, run, target, func(elapsed time.Duration) (int, int) {
		started := schedule.UsersAt(elapsed)
		sleepers, requests := 2+started, 0 // the run-time watch, the window ticker, the users
		if started < schedule.Users {
			sleepers++ // the spawner
		}
		for i := range started {
			requests += int((elapsed-schedule.StartOf(i))/time.Second) + 1
		}
		return sleepers, requests
	})
	snap := run.Wait()
	perSecond := map[int]int{}
	for _, at := range target.at {
		offset := at.Sub(begin)
		if offset%time.Second != 0 {
			t.Fatalf("a request at %v, not on a whole simulated second", offset)
		}
		perSecond[int(offset/time.Second)]++
	}
	if snap.Total.Requests != 40 || snap.Reason != StopRunTime || snap.Elapsed != 10*time.Second {
		t.Fatalf("%d requests, reason %q, elapsed %v; want 40, run time, 10s (per second %v)", snap.Total.Requests, snap.Reason, snap.Elapsed, perSecond)
	}
	for second := range 10 {
		if want := min(second+1, 5); perSecond[second] != want {
			t.Fatalf("second %d: %d requests, want %d (%v)", second, perSecond[second], want, perSecond)
		}
	}
	// Requests land exactly on the window boundaries here, so which window
	// counts each is a race; the series must still hold them all.
	var inWindows uint64
	for _, w := range snap.Windows {
		inWindows += w.Requests
	}
	if len(snap.Windows) != 10 || inWindows != 40 || snap.Windows[9].Users != 5 {
		t.Fatalf("windows %+v", windowCounts(snap.Windows))
	}
}

// TestOpenModelInSimulatedTime: 20 requests/s for 3 simulated seconds are
// sent exactly on their due times: 60 requests, none late or dropped.
func TestOpenModelInSimulatedTime(t *testing.T) {
	begin := time.Unix(1_700_000_000, 0)
	clk := clock.NewManual(begin)
	target := &instantTarget{clk: clk}
	run := mustStart(t, Config{
		Target: target, Scenario: GetScenario{}, Users: 4, Pacer: ConstantRate{Freq: 20, Per: time.Second},
		RunTime: 3 * time.Second, Clock: clk,
	})
	driveUntilDone(t, clk, begin, run, target, func(elapsed time.Duration) (int, int) {
		return 3, int(elapsed/(50*time.Millisecond)) + 1 // watch, ticker, scheduler
	})
	snap := run.Wait()
	if snap.Total.Requests != 60 || snap.Open.Late != 0 || snap.Open.Dropped != 0 || snap.Reason != StopRunTime {
		t.Fatalf("%d requests, %d late, %d dropped, %q; want 60, 0, 0, run time", snap.Total.Requests, snap.Open.Late, snap.Open.Dropped, snap.Reason)
	}
	for i, at := range target.at {
		if want := begin.Add(time.Duration(i) * 50 * time.Millisecond); !at.Equal(want) {
			t.Fatalf("request %d sent at %v, due at %v", i, at.Sub(begin), want.Sub(begin))
		}
	}
}
