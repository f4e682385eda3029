package load

import (
	"context"
	"testing"
	"time"
)

// sleepyTarget answers every request after a fixed delay, without a network.
type sleepyTarget struct{ delay time.Duration }

func (t sleepyTarget) NewSession() (Session, error) { return sleepySession(t), nil }
func (t sleepyTarget) Describe() string             { return "sleepy" }

type sleepySession sleepyTarget

func (s sleepySession) Do(ctx context.Context, _ *Request, out *Outcome) {
	select {
	case <-time.After(s.delay):
		out.Status = 200
	case <-ctx.Done():
		out.Err = ctx.Err()
	}
}
func (sleepySession) Abort() {}
func (sleepySession) Close() {}

// TestOpenModelAccountsForEveryDueRequest: every request that fell due before
// the run ended was sent or counted as dropped, including the ones a worker
// was handed just as the run ended — 1,000 a second for 400 ms is 400, with
// too few workers to keep up.
func TestOpenModelAccountsForEveryDueRequest(t *testing.T) {
	t.Parallel()
	for range 3 {
		snap := runToEnd(t, Config{
			Target: sleepyTarget{delay: 3 * time.Millisecond}, Scenario: GetScenario{},
			Users: 2, Pacer: ConstantRate{Freq: 1000, Per: time.Second}, RunTime: 400 * time.Millisecond,
		})
		if due := snap.Open.Sent + snap.Open.Dropped; due != 400 || snap.Open.Dropped == 0 {
			t.Fatalf("sent %d + dropped %d = %d, want the 400 that fell due", snap.Open.Sent, snap.Open.Dropped, due)
		}
	}
}
