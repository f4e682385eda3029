package tui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// openMemoryDialogAt opens the memory edit dialog with mb typed in, once
// the function and the account are read: the user sees the preview, confirms
// and watches the change as with m.
func openMemoryDialogAt(c *common, name string, mb int32) tea.Cmd {
	if c.readOnly() {
		return status(aws.ErrReadOnly.Error(), true)
	}
	session, ctx := c.session, c.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		facts, err := session.Facts(ctx, name)
		if err != nil {
			return statusMsg{text: fmt.Sprintf("read %s: %s", name, aws.Explain(err)), isErr: true}
		}
		return openMemoryDialogMsg{facts: facts, memory: mb}
	}
}

// openMemoryDialogMsg carries the facts the dialog plans against.
type openMemoryDialogMsg struct {
	facts  tune.Facts
	memory int32
}

// onOpenMemoryDialog opens the dialog with the value typed in.
func (s sweepScreen) onOpenMemoryDialog(msg openMemoryDialogMsg) (screen, tea.Cmd) {
	d := newEditDialog(s.c, tune.ChangeMemory, msg.facts, false)
	d.path = tune.PathSweep
	d.input.SetValue(fmt.Sprint(msg.memory))
	d.input.CursorEnd()
	s.c.openOverlay(d.replan())
	return s, nil
}
