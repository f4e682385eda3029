package clock

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

var epoch = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func TestManualSleepWakesInDeadlineOrder(t *testing.T) {
	clk := NewManual(epoch)
	ctx := context.Background()
	var mu sync.Mutex
	var order []time.Duration
	var wg sync.WaitGroup
	for _, d := range []time.Duration{3 * time.Second, time.Second, 2 * time.Second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := clk.Sleep(ctx, d); err != nil {
				t.Errorf("sleep %v: %v", d, err)
			}
			mu.Lock()
			order = append(order, clk.Now().Sub(epoch))
			mu.Unlock()
		}()
	}
	if err := clk.WaitForSleepers(ctx, 3); err != nil {
		t.Fatal(err)
	}
	next, ok := clk.NextDeadline()
	if !ok || !next.Equal(epoch.Add(time.Second)) {
		t.Fatalf("NextDeadline = %v, %v; want epoch+1s", next, ok)
	}
	clk.Advance(1500 * time.Millisecond)
	if err := clk.WaitForSleepers(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if got := clk.Sleepers(); got != 2 {
		t.Fatalf("after 1.5s, %d sleepers; want 2", got)
	}
	clk.Advance(10 * time.Second)
	wg.Wait()
	if len(order) != 3 {
		t.Fatalf("woke %d sleepers, want 3", len(order))
	}
}

func TestManualSleepCancelled(t *testing.T) {
	clk := NewManual(epoch)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- clk.Sleep(ctx, time.Hour) }()
	if err := clk.WaitForSleepers(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep returned %v, want context.Canceled", err)
	}
	if n := clk.Sleepers(); n != 0 {
		t.Fatalf("%d sleepers left after cancel", n)
	}
}

func TestManualSetNeverGoesBack(t *testing.T) {
	clk := NewManual(epoch)
	clk.Set(epoch.Add(-time.Hour))
	if !clk.Now().Equal(epoch) {
		t.Fatalf("clock moved back to %v", clk.Now())
	}
	clk.Set(epoch.Add(time.Minute))
	if got := clk.Now().Sub(epoch); got != time.Minute {
		t.Fatalf("Set moved clock by %v, want 1m", got)
	}
}

func TestRealSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (Real{}).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Real.Sleep on cancelled ctx = %v", err)
	}
	if err := (Real{}).Sleep(context.Background(), 0); err != nil {
		t.Fatalf("Real.Sleep(0) = %v", err)
	}
}

func TestManualDrive(t *testing.T) {
	clk := NewManual(epoch)
	ctx := context.Background()
	var woke []time.Duration
	clk.Drive(ctx, func() {
		for _, d := range []time.Duration{time.Second, 250 * time.Millisecond, time.Minute} {
			if err := clk.Sleep(ctx, d); err != nil {
				t.Error(err)
			}
			woke = append(woke, clk.Now().Sub(epoch))
		}
	})
	want := []time.Duration{time.Second, 1250 * time.Millisecond, time.Minute + 1250*time.Millisecond}
	if len(woke) != 3 || woke[0] != want[0] || woke[1] != want[1] || woke[2] != want[2] {
		t.Fatalf("woke at %v, want %v", woke, want)
	}
}
