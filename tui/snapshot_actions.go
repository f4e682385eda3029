package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/tune"
)

// undoMsg carries what an undo dialog needs: the function and account now,
// and the configuration before the change.
type undoMsg struct {
	id     int
	facts  tune.Facts
	target tune.FunctionConfig
	err    error
}

// openUndoDialog opens the dialog that undoes a snapshot's changes: a
// restore to the configuration before the first of them, through the same
// previewed, confirmed, validated and waited-on path as any edit, journalled
// as an undo.
func openUndoDialog(c *common, snap tune.Snapshot) tea.Cmd {
	d := newEditDialog(c, tune.ChangeRestore, tune.Facts{}, true)
	d.facts.Detail.Name, d.undoing, d.path = snap.Function, snap.Title(), tune.PathUndo
	c.openOverlay(d)
	session, ctx, id, first := c.session, c.ctx, d.id, snap.Changes[0].ID
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		rec, err := session.UndoTarget(ctx, first)
		if err != nil {
			return undoMsg{id: id, err: err}
		}
		facts, err := session.Facts(ctx, snap.Function)
		return undoMsg{id: id, facts: facts, target: rec.Before, err: err}
	}
}

// onUndo fills the dialog once the change and the function are read.
func (d editDialog) onUndo(msg undoMsg) editDialog {
	if msg.err != nil {
		d.err = msg.err
		return d
	}
	target := msg.target
	d.restore = &target
	return d.withFacts(msg.facts, false)
}

// reportSavedMsg says which files an export wrote.
type reportSavedMsg struct {
	id    int
	files []string
	err   error
}

func (m reportSavedMsg) text() string {
	if m.err != nil {
		return "export: " + m.err.Error()
	}
	return "saved " + strings.Join(m.files, ", ")
}

// saveReportCmd writes a snapshot's report (snapshotID > 0) or the whole
// session's in every format — Markdown, JSON, CSV and the HTML report with
// its charts — to the export directory.
func saveReportCmd(c *common, id int, function string, snapshotID int64) tea.Cmd {
	session, ctx, dir := c.session, c.ctx, c.exportDir
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		report, name, err := readReport(ctx, session, function, snapshotID)
		if err != nil {
			return reportSavedMsg{id: id, err: err}
		}
		files, err := writeReport(report, filepath.Join(dir, name))
		return reportSavedMsg{id: id, files: files, err: err}
	}
}

func readReport(ctx context.Context, session *tune.Session, function string, snapshotID int64) (tune.Report, string, error) {
	j := session.Journal()
	if j == nil {
		return tune.Report{}, "", tune.ErrNoJournal
	}
	scope, err := session.Scope(ctx, function)
	if err != nil {
		return tune.Report{}, "", err
	}
	base := "lambdatune-" + safeFileName(function)
	if snapshotID > 0 {
		r, err := j.SnapshotReport(ctx, scope, snapshotID, session.Prices())
		return r, fmt.Sprintf("%s-snapshot-%d", base, snapshotID), err
	}
	r, err := j.SessionReport(ctx, scope, function, session.Prices())
	return r, base + "-session", err
}

func writeReport(r tune.Report, prefix string) ([]string, error) {
	var files []string
	for _, f := range tune.Formats {
		path := prefix + "." + string(f)
		if err := writeFile(path, func(w *os.File) error { return r.Write(w, f) }); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}

func writeFile(path string, write func(*os.File) error) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
