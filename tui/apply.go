package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/tune"
)

// applyProgressMsg is one progress report of a change being applied; next
// waits for the one after.
type applyProgressMsg struct {
	id       int
	progress tune.Progress
	next     tea.Cmd
}

// applyDoneMsg is the end of a change: done, failed or no longer waited for.
type applyDoneMsg struct {
	id      int
	outcome tune.Outcome
}

// changeDoneMsg tells every screen that a function's configuration changed,
// so it re-reads it (and a load test marks the moment on its charts).
type changeDoneMsg struct {
	function string
	outcome  tune.Outcome
}

// startApply applies plan in the background; the returned command streams its
// progress and then its outcome. When replan is set it runs first and its plan
// is the one applied (a retry plans afresh once the function is idle). cancel
// stops waiting (the change stays as AWS has it).
func startApply(c *common, id int, plan tune.Plan, path string, replan func(context.Context) (tune.Plan, error)) (cancel context.CancelFunc, cmd tea.Cmd) {
	ctx, cancel := context.WithCancel(c.ctx)
	progress := make(chan tune.Progress, 64)
	done := make(chan tune.Outcome, 1)
	go func() {
		defer close(progress)
		if replan != nil {
			fresh, err := replan(ctx)
			if err != nil {
				done <- tune.Outcome{Plan: plan, After: plan.Before, Err: err}
				return
			}
			plan = fresh
		}
		out, _ := c.session.Apply(ctx, plan, tune.ApplyOptions{Path: path, Progress: func(p tune.Progress) {
			select {
			case progress <- p:
			default: // a slow screen skips a report rather than slow the change
			}
		}})
		done <- out
	}()
	return cancel, awaitApply(id, progress, done)
}

func awaitApply(id int, progress <-chan tune.Progress, done <-chan tune.Outcome) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-progress
		if !ok {
			return applyDoneMsg{id: id, outcome: <-done}
		}
		return applyProgressMsg{id: id, progress: p, next: awaitApply(id, progress, done)}
	}
}
