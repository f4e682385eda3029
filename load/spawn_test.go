package load

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
)

func TestSpawnScheduleTable(t *testing.T) {
	lab := SpawnSchedule{Users: 100, Rate: 3}
	tests := []struct {
		name      string
		schedule  SpawnSchedule
		elapsed   time.Duration
		wantUsers int
	}{
		{"first user at once", lab, 0, 1},
		{"3 per second: after 1 s four have started", lab, time.Second, 4},
		{"just before the second user", lab, 333 * time.Millisecond, 1},
		{"lab ramp takes 33 s", lab, 33 * time.Second, 100},
		{"capped at Users", lab, time.Hour, 100},
		{"not started yet", lab, -time.Second, 0},
		{"rate 0 starts everyone", SpawnSchedule{Users: 50}, 0, 50},
		{"fractional rate", SpawnSchedule{Users: 10, Rate: 0.5}, 4 * time.Second, 3},
		{"no users", SpawnSchedule{Users: 0, Rate: 1}, time.Minute, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.schedule.UsersAt(tt.elapsed); got != tt.wantUsers {
				t.Fatalf("UsersAt(%v) = %d, want %d", tt.elapsed, got, tt.wantUsers)
			}
		})
	}
	if got := lab.RampTime(); got != 33*time.Second {
		t.Fatalf("RampTime = %v, want 33s", got)
	}
}

// TestSpawnInSimulatedTime runs the spawner on a manual clock: the lab's 100
// users at 3/s start over 33 simulated seconds, each at its scheduled instant.
func TestSpawnInSimulatedTime(t *testing.T) {
	begin := time.Unix(1_000_000, 0)
	clk := clock.NewManual(begin)
	schedule := SpawnSchedule{Users: 100, Rate: 3}
	var mu sync.Mutex
	startedAt := make([]time.Duration, 0, schedule.Users)
	done := make(chan int)
	go func() {
		done <- schedule.spawn(context.Background(), clk, begin, func(int) {
			mu.Lock()
			startedAt = append(startedAt, clk.Now().Sub(begin))
			mu.Unlock()
		})
	}()
	for {
		select {
		case n := <-done:
			checkSpawnTimes(t, n, startedAt, schedule)
			return
		default:
		}
		if next, ok := clk.NextDeadline(); ok {
			clk.Set(next)
		}
		time.Sleep(10 * time.Microsecond)
	}
}

func checkSpawnTimes(t *testing.T, n int, startedAt []time.Duration, s SpawnSchedule) {
	t.Helper()
	if n != s.Users || len(startedAt) != s.Users {
		t.Fatalf("started %d users (%d recorded), want %d", n, len(startedAt), s.Users)
	}
	for i, at := range startedAt {
		if at != s.StartOf(i) {
			t.Fatalf("user %d started at %v, want %v", i, at, s.StartOf(i))
		}
	}
}

func TestSpawnStopsOnCancel(t *testing.T) {
	clk := clock.NewManual(time.Unix(0, 0))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- SpawnSchedule{Users: 10, Rate: 1}.spawn(ctx, clk, clk.Now(), func(int) {})
	}()
	if err := clk.WaitForSleepers(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if n := <-done; n != 1 {
		t.Fatalf("started %d users before cancel, want 1", n)
	}
}

func TestWaitTimes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		spec     string
		took     time.Duration
		min, max time.Duration
	}{
		{"0", 0, 0, 0},
		{"1.5", 0, 1500 * time.Millisecond, 1500 * time.Millisecond},
		{"500ms", 0, 500 * time.Millisecond, 500 * time.Millisecond},
		{"constant(2s)", 0, 2 * time.Second, 2 * time.Second},
		{"between(1, 3)", 0, time.Second, 3 * time.Second},
		{"between(100ms,200ms)", 0, 100 * time.Millisecond, 200 * time.Millisecond},
		{"pacing(1s)", 300 * time.Millisecond, 700 * time.Millisecond, 700 * time.Millisecond},
		{"constant_pacing(1s)", 3 * time.Second, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			w, err := ParseWaitTime(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			for range 100 {
				if got := w.Wait(rng, tt.took); got < tt.min || got > tt.max {
					t.Fatalf("%s waited %v, want within [%v, %v]", w, got, tt.min, tt.max)
				}
			}
		})
	}
}

func TestParseWaitTimeRejects(t *testing.T) {
	for _, spec := range []string{"", "soon", "between(3,1)", "between(1)", "constant(1s", "-1s", "2h", "sometimes(1s)"} {
		if _, err := ParseWaitTime(spec); err == nil {
			t.Errorf("ParseWaitTime(%q) accepted it", spec)
		}
	}
}
