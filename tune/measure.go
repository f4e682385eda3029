package tune

import (
	"context"
	"time"

	"github.com/lambdatune/lambdatune/load"
)

// Measure is one measured load test: what a sweep's step and a lab's step
// run after their change.
type Measure struct {
	// Settings is the load test (an HTTP or an Invoke target).
	Settings LoadSettings
	// Meta says which function the run measures and the configuration it
	// runs under.
	Meta RunMeta
	// Started, when set, hears the live run once, before Measure waits for
	// it: a screen samples it for its charts.
	Started func(*load.Run)
}

// measureRecordTimeout bounds what recording a run adds after it ends:
// reading CloudWatch and the journal's write.
const measureRecordTimeout = 30 * time.Second

// Measure runs the load test to its end (its run time, its request cap, or
// ctx's end) and records it: in the journal when the session keeps one (the
// id is then above 0), and always in the returned record, with the
// CloudWatch view of its window. A run cut short by ctx is recorded all the
// same, and Measure returns it with ctx's error.
func (s *Session) Measure(ctx context.Context, m Measure) (int64, RunRecord, error) {
	cfg, err := s.LoadConfig(m.Settings)
	if err != nil {
		return 0, RunRecord{}, err
	}
	run, err := load.Start(ctx, cfg)
	if err != nil {
		return 0, RunRecord{}, err
	}
	if m.Started != nil {
		m.Started(run)
	}
	run.Wait()
	// The record outlives a cancelled ctx: what ran is kept.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), measureRecordTimeout)
	defer cancel()
	rec, err := s.runRecord(rctx, run, m.Meta)
	if err == nil && s.journal != nil {
		rec.ID, err = s.journal.AddRun(rctx, rec)
	}
	if err == nil {
		err = ctx.Err()
	}
	return rec.ID, rec, err
}
