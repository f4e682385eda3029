package load

import (
	"errors"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// step is one simulated second of a driven run: once the engine has sent
// requests (cumulative) and has sleepers asleep on the clock, hook runs (a
// change of the load) and the engine settles again at after (requests,
// sleepers), then the clock moves on.
type step struct {
	requests, sleepers int
	hook               func()
	after              [2]int
}

// driveSteps moves the manual clock one second at a time through steps,
// waiting at each for the engine to settle; the run must end after the last.
func driveSteps(t *testing.T, clk *clock.Manual, run *Run, target *instantTarget, steps []step) {
	t.Helper()
	giveUp := time.Now().Add(20 * time.Second)
	settle := func(second, requests, sleepers int) {
		for target.sent() < requests || clk.Sleepers() < sleepers {
			if time.Now().After(giveUp) {
				t.Fatalf("second %d: %d requests, %d sleepers; waiting for %d, %d", second, target.sent(), clk.Sleepers(), requests, sleepers)
			}
			time.Sleep(100 * time.Microsecond)
		}
	}
	for second, s := range steps {
		settle(second, s.requests, s.sleepers)
		if s.hook != nil {
			s.hook()
			settle(second, s.after[0], s.after[1])
		}
		clk.Advance(time.Second)
	}
	run.Wait()
}

// 2 users at 1/s, 1 s between requests; at the end of second 2 two more are
// asked for (they start at once and a second later, at the spawn rate), at
// the end of second 5 all but one are let go (they stop before their next
// task, as Locust's do). Requests per second: 1 2 2+1 4 4 4 1 1 1 1 = 22.
func TestSetUsersInSimulatedTime(t *testing.T) {
	begin := time.Unix(1_700_000_000, 0)
	clk := clock.NewManual(begin)
	target := &instantTarget{clk: clk}
	run := mustStart(t, Config{Target: target, Scenario: GetScenario{}, Users: 2, SpawnRate: 1, Wait: Constant(time.Second),
		RunTime: 10 * time.Second, Clock: clk})
	set := func(n int) func() {
		return func() {
			if err := run.SetUsers(n); err != nil {
				t.Error(err)
			}
		}
	}
	// Sleepers: the run-time watch and the window ticker, each user between
	// tasks, and the spawner while a phase is under way.
	driveSteps(t, clk, run, target, []step{
		{requests: 1, sleepers: 4},                                    // 0 s: user 0; the spawner waits for user 1
		{requests: 3, sleepers: 4},                                    // 1 s: users 0 and 1
		{requests: 5, sleepers: 4, hook: set(4), after: [2]int{6, 6}}, // user 2 starts at once, the spawner waits for user 3
		{requests: 10, sleepers: 6},                                   // 3 s: users 0–2, and user 3 starts
		{requests: 14, sleepers: 6},
		{requests: 18, sleepers: 6, hook: set(1), after: [2]int{18, 6}},
		{requests: 19, sleepers: 3}, // 6 s: three stop, one goes on
		{requests: 20, sleepers: 3},
		{requests: 21, sleepers: 3},
		{requests: 22, sleepers: 3},
	})
	snap := run.Wait()
	if got := run.Adjustments(); len(got) != 2 || got[0].Users != 4 || got[1].Users != 1 || got[0].At != 2*time.Second {
		t.Fatalf("adjustments %+v", got)
	}
	if snap.Total.Requests != 22 {
		t.Fatalf("%d requests, want 22", snap.Total.Requests)
	}
	if users, _ := run.Target(); users != 1 || snap.Users != 1 {
		t.Fatalf("target %d, users at the end %d; want 1, 1", users, snap.Users)
	}
	if info := run.Info(); len(info.Adjustments) != 2 {
		t.Fatalf("info lacks the adjustments: %+v", info)
	}
}

// 10 requests/s; at 0.9 s, once that second's request is out, 40/s: the
// new schedule starts at once (the scheduler's wait ends), so requests fall
// due at 0.9 (a second one), 0.925 … 1.975 s — 10 + 44 = 54, none late.
func TestSetRateInSimulatedTime(t *testing.T) {
	begin := time.Unix(1_700_000_000, 0)
	clk := clock.NewManual(begin)
	target := &instantTarget{clk: clk}
	run := mustStart(t, Config{Target: target, Scenario: GetScenario{}, Users: 4, Pacer: ConstantRate{Freq: 10, Per: time.Second},
		RunTime: 2 * time.Second, Clock: clk})
	changed := false
	change := 900 * time.Millisecond
	driveUntilDone(t, clk, begin, run, target, func(elapsed time.Duration) (int, int) {
		if elapsed < change {
			return 3, int(elapsed/(100*time.Millisecond)) + 1
		}
		if !changed {
			// Settle at 0.9 s first: its request out, the scheduler asleep.
			for giveUp := time.Now().Add(10 * time.Second); target.sent() < 10 || clk.Sleepers() < 3; time.Sleep(100 * time.Microsecond) {
				if time.Now().After(giveUp) {
					t.Fatalf("never settled at 0.9 s: %d requests, %d sleepers", target.sent(), clk.Sleepers())
				}
			}
			changed = true
			if err := run.SetRate(40); err != nil {
				t.Error(err)
			}
		}
		return 3, 10 + int((elapsed-change)/(25*time.Millisecond)) + 1
	})
	snap := run.Wait()
	if snap.Total.Requests != 54 || snap.Open.Dropped != 0 || snap.Open.Late != 0 {
		t.Fatalf("%d requests, %d dropped, %d late; want 54, 0, 0", snap.Total.Requests, snap.Open.Dropped, snap.Open.Late)
	}
	if _, rate := run.Target(); rate != 40 {
		t.Fatalf("target rate %g, want 40", rate)
	}
}

func TestSetLoadRefusesTheOtherModel(t *testing.T) {
	clk := clock.NewManual(time.Unix(1_700_000_000, 0))
	closed := mustStart(t, Config{Target: &instantTarget{clk: clk}, Scenario: GetScenario{}, Users: 1, RunTime: time.Second, Clock: clk})
	defer closed.Stop()
	if err := closed.SetRate(5); !errors.Is(err, ErrWrongModel) {
		t.Fatalf("SetRate on the closed model: %v", err)
	}
	if err := closed.SetUsers(0); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("SetUsers(0): %v", err)
	}
	open := mustStart(t, Config{Target: &instantTarget{clk: clk}, Scenario: GetScenario{}, Users: 1, Pacer: ConstantRate{Freq: 1, Per: time.Second},
		RunTime: time.Second, Clock: clk})
	defer open.Stop()
	if err := open.SetUsers(5); !errors.Is(err, ErrWrongModel) {
		t.Fatalf("SetUsers on the open model: %v", err)
	}
	if err := open.SetRate(-1); !errors.Is(err, ErrBadConfig) {
		t.Fatalf("SetRate(-1): %v", err)
	}
}
