package load

import (
	"testing"
	"time"
)

func TestConstantRatePace(t *testing.T) {
	perSecond100 := ConstantRate{Freq: 100, Per: time.Second}
	tests := []struct {
		name     string
		pacer    ConstantRate
		elapsed  time.Duration
		hits     uint64
		wantWait time.Duration
		wantStop bool
	}{
		{"first hit is due at once", perSecond100, 0, 0, 0, false},
		{"second hit 10ms later", perSecond100, 0, 1, 10 * time.Millisecond, false},
		{"on time", perSecond100, 50 * time.Millisecond, 5, 0, false},
		{"behind: due in the past", perSecond100, 1 * time.Second, 50, -500 * time.Millisecond, false},
		{"ahead", perSecond100, 1 * time.Second, 150, 500 * time.Millisecond, false},
		{"per minute", ConstantRate{Freq: 60, Per: time.Minute}, 0, 3, 3 * time.Second, false},
		{"zero rate stops", ConstantRate{Freq: 0, Per: time.Second}, 0, 0, 0, true},
		{"zero period stops", ConstantRate{Freq: 10}, 0, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, stop := tt.pacer.Pace(tt.elapsed, tt.hits)
			if wait != tt.wantWait || stop != tt.wantStop {
				t.Fatalf("Pace(%v, %d) = (%v, %v), want (%v, %v)", tt.elapsed, tt.hits, wait, stop, tt.wantWait, tt.wantStop)
			}
		})
	}
}

func TestLinearRatePace(t *testing.T) {
	// 0 → 100/s over 10 s: 500 hits in the ramp, hit n due at sqrt(n/5) s.
	ramp := LinearRate{Start: 0, End: 100, Ramp: 10 * time.Second}
	tests := []struct {
		name     string
		pacer    LinearRate
		hits     uint64
		wantDue  time.Duration
		wantStop bool
	}{
		{"ramp from zero, first hit at t=0", ramp, 0, 0, false},
		{"ramp: 5 hits after 1 s", ramp, 5, time.Second, false},
		{"ramp: 125 hits after 5 s", ramp, 125, 5 * time.Second, false},
		{"end of ramp", ramp, 500, 10 * time.Second, false},
		{"holds End after the ramp", ramp, 600, 11 * time.Second, false},
		{"flat ramp is a constant rate", LinearRate{Start: 20, End: 20, Ramp: 5 * time.Second}, 40, 2 * time.Second, false},
		{"no ramp holds End", LinearRate{Start: 1, End: 50}, 100, 2 * time.Second, false},
		{"ramp down", LinearRate{Start: 100, End: 0, Ramp: 10 * time.Second}, 500, 10 * time.Second, false},
		{"ramp down to zero stops after its hits", LinearRate{Start: 100, End: 0, Ramp: 10 * time.Second}, 501, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, stop := tt.pacer.Pace(0, tt.hits)
			if stop != tt.wantStop {
				t.Fatalf("stop = %v, want %v", stop, tt.wantStop)
			}
			if diff := wait - tt.wantDue; !stop && (diff > time.Microsecond || diff < -time.Microsecond) {
				t.Fatalf("hit %d due at %v, want %v", tt.hits, wait, tt.wantDue)
			}
		})
	}
}

// TestPacerInSimulatedTime drives a pacer the way the engine does, jumping a
// simulated clock to each due time, and checks the count per second.
func TestPacerInSimulatedTime(t *testing.T) {
	pacers := []struct {
		name  string
		pacer Pacer
		want  []int // hits sent in each simulated second
	}{
		{"constant 7/s", ConstantRate{Freq: 7, Per: time.Second}, []int{7, 7, 7}},
		{"ramp 0→20/s over 2 s", LinearRate{Start: 0, End: 20, Ramp: 2 * time.Second}, []int{5, 15, 20}},
	}
	for _, tt := range pacers {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]int, len(tt.want))
			var elapsed time.Duration
			for hits := uint64(0); hits < 1000; hits++ {
				wait, stop := tt.pacer.Pace(elapsed, hits)
				if stop {
					break
				}
				elapsed += max(wait, 0)
				second := int(elapsed / time.Second)
				if second >= len(got) {
					break
				}
				got[second]++
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("hits per second = %v, want %v", got, tt.want)
				}
			}
		})
	}
}
