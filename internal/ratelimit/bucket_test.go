package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
)

var start = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }

// TestAllowBurstsThenSustainsTheRate: full at first use, then one token per
// 1/rate seconds, never more than the burst banked.
func TestAllowBurstsThenSustainsTheRate(t *testing.T) {
	var b Bucket
	l := PerSecond(5)
	for i := range 5 {
		if ok, _ := b.Allow(at(0), l); !ok {
			t.Fatalf("token %d of the burst refused", i)
		}
	}
	ok, wait := b.Allow(at(0), l)
	if ok || wait != 200*time.Millisecond {
		t.Fatalf("sixth token: ok=%v wait %v, want refused for 200ms at 5/s", ok, wait)
	}
	if ok, _ := b.Allow(at(199), l); ok {
		t.Fatal("a token arrived before 200ms")
	}
	if ok, _ := b.Allow(at(200), l); !ok {
		t.Fatal("no token at 200ms")
	}
	taken := 0
	for {
		if ok, _ := b.Allow(at(60_000), l); !ok {
			break
		}
		taken++
	}
	if taken != 5 {
		t.Fatalf("after a long idle the bucket gave %d tokens, want its burst of 5", taken)
	}
}

// TestLimitGivenAtEachUse: a smaller burst caps what the bucket holds at once.
func TestLimitGivenAtEachUse(t *testing.T) {
	var b Bucket
	if !b.Ready(at(0), Limit{Rate: 100, Burst: 100}) {
		t.Fatal("a new bucket is not ready")
	}
	small := Limit{Rate: 2, Burst: 2}
	for i := range 2 {
		if !b.Ready(at(0), small) {
			t.Fatalf("token %d refused", i)
		}
		b.Take()
	}
	if b.Ready(at(0), small) {
		t.Fatal("the bucket kept more than the new burst")
	}
	if got := RetryAfterSeconds(b.Until(small)); got != 1 {
		t.Fatalf("retry after %d s, want 1", got)
	}
}

func TestZeroRateNeverRefillsAndUnlimitedNeverRefuses(t *testing.T) {
	var b Bucket
	zero := PerSecond(0)
	if ok, _ := b.Allow(at(0), zero); !ok {
		t.Fatal("the single token of a zero-rate bucket was refused")
	}
	if ok, wait := b.Allow(at(3_600_000), zero); ok || RetryAfterSeconds(wait) != 1 {
		t.Fatalf("zero rate refilled (ok=%v, wait %v)", ok, wait)
	}
	var u Bucket
	for i := range 10_000 {
		if ok, _ := u.Allow(at(0), PerSecond(-1)); !ok {
			t.Fatalf("unlimited refused request %d", i)
		}
	}
}

func TestRetryAfterSecondsRoundsUp(t *testing.T) {
	for wait, want := range map[time.Duration]int{0: 1, time.Millisecond: 1, time.Second: 1, 1001 * time.Millisecond: 2, 2500 * time.Millisecond: 3} {
		if got := RetryAfterSeconds(wait); got != want {
			t.Errorf("RetryAfterSeconds(%v) = %d, want %d", wait, got, want)
		}
	}
}

// TestWaitSleepsOnItsClock: a waiting caller sleeps exactly until its token
// on the injected clock, and stops when its context ends.
func TestWaitSleepsOnItsClock(t *testing.T) {
	clk := clock.NewManual(start)
	var b Bucket
	l := PerSecond(5)
	ctx := t.Context()
	for i := range 5 {
		if err := b.Wait(ctx, clk, l); err != nil {
			t.Fatalf("take %d: %v", i, err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- b.Wait(ctx, clk, l) }()
	if err := clk.WaitForSleepers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if next, _ := clk.NextDeadline(); next.Sub(start) != 200*time.Millisecond {
		t.Fatalf("sixth token waits %v, want 200ms at 5/s", next.Sub(start))
	}
	clk.Advance(200 * time.Millisecond)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := b.Wait(cancelled, clk, PerSecond(-1)); err != context.Canceled {
		t.Fatalf("Wait on a cancelled context = %v", err)
	}
}
