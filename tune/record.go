package tune

import (
	"context"
	"time"
)

// ChangeRecord is one configuration change as the journal keeps it: what was
// asked, the configuration before and after as AWS reported them, and how it
// ended. It holds no secrets: FunctionConfig has no environment values.
type ChangeRecord struct {
	// ID is the journal's number for the change (0 until it is recorded);
	// Scope the session's scope key. The journal fills both.
	ID       int64      `json:"id,omitempty"`
	Scope    string     `json:"scope,omitempty"`
	Function string     `json:"function"`
	Kind     ChangeKind `json:"kind"`
	// Path is where the change came from: console, cli, undo, sweep, lab.
	Path      string         `json:"path"`
	Title     string         `json:"title"`
	Steps     []string       `json:"steps,omitempty"`
	Requested time.Time      `json:"requested"`
	Finished  time.Time      `json:"finished"`
	Before    FunctionConfig `json:"before"`
	After     FunctionConfig `json:"after"`
	// Status is done, failed or stopped waiting; Error says why it failed.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// Recorder keeps change records: the journal implements it.
type Recorder interface {
	RecordChange(ctx context.Context, rec ChangeRecord) error
}

// record hands an outcome to the session's recorder. A journal that cannot
// write must not undo a change AWS made, so its error is only logged by the
// recorder itself.
func (s *Session) record(ctx context.Context, o Outcome, path string, started time.Time) {
	if s.recorder == nil {
		return
	}
	rec := ChangeRecord{Function: o.Plan.Request.Function, Kind: o.Plan.Request.Kind, Path: path, Title: o.Plan.Title(),
		Requested: started, Finished: s.clock.Now(), Before: o.Plan.Before, After: o.After, Status: o.Status()}
	for _, step := range o.Plan.Steps {
		rec.Steps = append(rec.Steps, step.Describe())
	}
	if o.Err != nil {
		rec.Error = o.Summary()
	}
	_ = s.recorder.RecordChange(ctx, rec)
}
