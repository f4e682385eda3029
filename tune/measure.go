package tune

import (
	"context"
	"sync"
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
	// Before, when set, runs before each of the workload's tasks, outside
	// its measured time: a cold-start sweep forces a new execution
	// environment there. When it fails the run stops, and Measure returns
	// its error with the run recorded so far.
	Before func(context.Context) error
	// CloudWatch, when set, replaces the record's CloudWatch view (the
	// minutes the run touched) before it is journalled: a sweep's HTTP steps
	// read exactly their own seconds in the sandbox.
	CloudWatch func(context.Context, RunRecord) *CloudWatchView
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
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var beforeErr error
	if m.Before != nil {
		var once sync.Once
		cfg.Scenario = beforeEach{cfg.Scenario, func(c context.Context) error {
			err := m.Before(c)
			if err != nil && c.Err() == nil {
				once.Do(func() { beforeErr = err; stop() })
			}
			return err
		}}
	}
	run, err := load.Start(runCtx, cfg)
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
	if err == nil && m.CloudWatch != nil {
		rec.CloudWatch = m.CloudWatch(rctx, rec)
	}
	if err == nil && s.journal != nil {
		rec.ID, err = s.journal.AddRun(rctx, rec)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil && beforeErr != nil {
		err = beforeErr
	}
	return rec.ID, rec, err
}

// beforeEach runs a step before every task of a scenario.
type beforeEach struct {
	load.Scenario
	before func(context.Context) error
}

func (b beforeEach) Tasks() []load.Task {
	tasks := b.Scenario.Tasks()
	for i, t := range tasks {
		run := t.Run
		tasks[i].Run = func(ctx context.Context, u *load.User) {
			if b.before(ctx) == nil {
				run(ctx, u)
			}
		}
	}
	return tasks
}
