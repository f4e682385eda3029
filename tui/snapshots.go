package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lambdatune/lambdatune/tune"
)

// snapshotsScreen lists the snapshots of a function's tuning session (or, as
// the global view, of every function kept for this account): each change
// with the numbers that matter before → after and whether they got better.
// enter opens the full comparison, u undoes a change, e exports.
type snapshotsScreen struct {
	c        *common
	id       int
	keys     snapshotKeys
	function string // "" for every function
	snaps    []tune.Snapshot
	loaded   bool
	cursor   int
	offset   int
	err      error
}

type snapshotKeys struct {
	nav                                 navKeys
	Open, Undo, Export, Report, Refresh key.Binding
	Back                                key.Binding
}

func newSnapshotKeys(readOnly bool) snapshotKeys {
	return snapshotKeys{
		nav:     newNavKeys(),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "compare")),
		Undo:    editKey(readOnly, "u", "undo change"),
		Export:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export snapshot")),
		Report:  key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "session report")),
		Refresh: refreshKey(),
		Back:    backKey("back"),
	}
}

func (k snapshotKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Undo, k.Export, k.Report, k.Back}
}

func (k snapshotKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.nav.bindings(), {k.Open, k.Undo, k.Export, k.Report, k.Refresh, k.Back}}
}

type snapshotsMsg struct {
	id    int
	snaps []tune.Snapshot
	err   error
}

// newSnapshotsScreen opens the snapshots of function, or of every function
// when function is "".
func newSnapshotsScreen(c *common, function string) (snapshotsScreen, tea.Cmd) {
	s := snapshotsScreen{c: c, id: c.newID(), keys: newSnapshotKeys(c.readOnly()), function: function}
	return s, s.load()
}

func (s snapshotsScreen) Title() string {
	if s.function == "" {
		return "Snapshots · every function"
	}
	return "Snapshots · " + s.function
}
func (s snapshotsScreen) Capturing() bool   { return false }
func (s snapshotsScreen) Keys() help.KeyMap { return s.keys }

// load reads the session(s) from the journal, newest snapshot first.
func (s snapshotsScreen) load() tea.Cmd {
	session, ctx, id, function := s.c.session, s.c.ctx, s.id, s.function
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		var sessions []tune.TuningSession
		var err error
		if function == "" {
			sessions, err = session.Sessions(ctx)
		} else {
			var one tune.TuningSession
			one, err = session.TuningSession(ctx, function)
			sessions = []tune.TuningSession{one}
		}
		var snaps []tune.Snapshot
		for _, ts := range sessions {
			snaps = append(snaps, ts.Snapshots...)
		}
		slices.SortStableFunc(snaps, func(a, b tune.Snapshot) int { return b.At().Compare(a.At()) })
		return snapshotsMsg{id: id, snaps: snaps, err: err}
	}
}

func (s snapshotsScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotsMsg:
		if msg.id == s.id {
			s.snaps, s.err, s.loaded = msg.snaps, msg.err, true
			s.clamp()
		}
	case changeDoneMsg:
		if s.function == "" || msg.function == s.function {
			return s, s.load() // an undo (or any change) is a new snapshot
		}
	case reportSavedMsg:
		if msg.id == s.id {
			return s, status(msg.text(), msg.err != nil)
		}
	case tea.KeyPressMsg:
		return s.onKey(msg)
	}
	return s, nil
}

func (s snapshotsScreen) onKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	k := s.keys
	if cursor, ok := k.nav.move(msg, s.cursor, len(s.snaps), s.listHeight()); ok {
		s.cursor = cursor
		s.clamp()
		return s, nil
	}
	switch {
	case key.Matches(msg, k.Back):
		s.c.pop()
	case key.Matches(msg, k.Refresh):
		return s, s.load()
	case key.Matches(msg, k.Open):
		if snap, ok := s.selected(); ok {
			d, init := newComparisonScreen(s.c, snap)
			s.c.push(d)
			return s, init
		}
	case key.Matches(msg, k.Undo):
		return s, s.undo()
	case key.Matches(msg, k.Export):
		if snap, ok := s.selected(); ok {
			return s, saveReportCmd(s.c, s.id, snap.Function, snap.ID)
		}
	case key.Matches(msg, k.Report):
		if snap, ok := s.selected(); ok {
			return s, saveReportCmd(s.c, s.id, snap.Function, 0)
		}
	}
	s.clamp()
	return s, nil
}

func (s snapshotsScreen) selected() (tune.Snapshot, bool) {
	if s.cursor < 0 || s.cursor >= len(s.snaps) {
		return tune.Snapshot{}, false
	}
	return s.snaps[s.cursor], true
}

// undo opens the restore dialog for the selected snapshot's changes: it
// brings back the configuration before the first of them.
func (s snapshotsScreen) undo() tea.Cmd {
	snap, ok := s.selected()
	switch {
	case !ok:
		return nil
	case snap.Kind != tune.KindChange:
		return status("a baseline has no change to undo", false)
	case s.c.readOnly():
		return status("read-only mode: changes are disabled (restart without --read-only to make changes)", true)
	}
	return openUndoDialog(s.c, snap)
}

func (s *snapshotsScreen) clamp() {
	n := len(s.snaps)
	s.cursor = max(0, min(s.cursor, n-1))
	h := s.listHeight()
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+h {
		s.offset = s.cursor - h + 1
	}
	s.offset = max(0, min(s.offset, max(0, n-h)))
}

// detailLines is how many lines the selected snapshot's deltas take below the list.
const detailLines = 9

func (s snapshotsScreen) listHeight() int { return max(1, s.c.bodyHeight()-3-detailLines) }

var snapshotColumns = []column{
	{title: "ID", width: 5, right: true},
	{title: "WHEN", width: 11},
	{title: "FUNCTION", width: 14, optional: true},
	{title: "SNAPSHOT", width: 18, flex: true},
	{title: "AVG", width: 19, right: true},
	{title: "P95", width: 21, right: true, optional: true},
	{title: "COST/1M", width: 15, right: true, optional: true},
}

func (s snapshotsScreen) View() string {
	st := s.c.styles
	lines := []string{st.title.Render(s.Title()) + st.muted.Render(fmt.Sprintf(" · %d snapshots", len(s.snaps)))}
	switch {
	case s.err != nil:
		lines = append(lines, st.errorLine.Render(fit("✗ "+printable(s.err.Error()), s.c.width, false)))
	case !s.loaded:
		lines = append(lines, st.muted.Render("reading the journal…"))
	case len(s.snaps) == 0:
		lines = append(lines, st.muted.Render("nothing kept yet: run a load test (l), change a setting, run it again"))
	default:
		lines = append(lines, s.table()...)
		lines = append(lines, "")
		lines = append(lines, s.detail()...)
	}
	return padLines(strings.Join(lines, "\n"), s.c.bodyHeight())
}

func (s snapshotsScreen) columns() []column {
	if s.function != "" {
		return slices.DeleteFunc(slices.Clone(snapshotColumns), func(c column) bool { return c.title == "FUNCTION" })
	}
	return snapshotColumns
}

func (s snapshotsScreen) table() []string {
	st := s.c.styles
	cols, widths := layoutColumns(s.columns(), s.c.width)
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	lines := []string{st.tableHeader.Render(renderRow(cols, widths, titles))}
	end := min(len(s.snaps), s.offset+s.listHeight())
	prices := s.c.session.Prices()
	for i := s.offset; i < end; i++ {
		line := renderRow(cols, widths, snapshotCells(s.snaps[i], cols, prices))
		if i == s.cursor {
			line = st.selected.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}

func snapshotCells(snap tune.Snapshot, cols []column, p tune.Prices) []string {
	deltas := snap.Deltas(p)
	cells := make([]string, len(cols))
	for i, c := range cols {
		switch c.title {
		case "ID":
			cells[i] = fmt.Sprint(snap.ID)
		case "WHEN":
			cells[i] = snap.At().Local().Format("01-02 15:04")
		case "FUNCTION":
			cells[i] = printable(snap.Function)
		case "SNAPSHOT":
			cells[i] = printable(snapshotTitle(snap))
		case "AVG":
			cells[i] = arrowCell(deltas, "average")
		case "P95":
			cells[i] = arrowCell(deltas, "p95")
		case "COST/1M":
			cells[i] = arrowCell(deltas, "cost per 1M")
		}
	}
	return cells
}

func snapshotTitle(snap tune.Snapshot) string {
	title := snap.Title()
	switch {
	case snap.Awaiting():
		title += " · awaiting a run"
	case snap.Kind == tune.KindChange && !snap.Comparable:
		title += " · not comparable"
	}
	return title
}

// arrowCell is one delta as "106 ms → 29.0 ms", or the baseline's value.
func arrowCell(deltas []tune.Delta, metric string) string {
	for _, d := range deltas {
		if d.Metric == metric && d.Known {
			return d.Value(d.Before) + " → " + d.Value(d.After)
		}
	}
	return "—"
}

// detail is the selected snapshot in full: its changes, its runs' load, and
// every delta with its verdict.
func (s snapshotsScreen) detail() []string {
	st := s.c.styles
	snap, ok := s.selected()
	if !ok {
		return nil
	}
	lines := []string{st.section.Render(fit(fmt.Sprintf("%s %d · %s", snap.Kind, snap.ID, printable(snap.Title())), s.c.width, false))}
	for _, n := range snap.Notes {
		lines = append(lines, st.warn.Render(fit("! "+printable(n), s.c.width, false)))
	}
	if snap.Kind == tune.KindBaseline || snap.After == nil || snap.Before == nil {
		if run := firstOf(snap.After, snap.Before); run != nil {
			lines = append(lines, fit(runLine(*run), s.c.width, false))
		}
		return lines
	}
	lines = append(lines, st.muted.Render(fit("load: "+snap.After.Settings.Describe(), s.c.width, false)))
	for _, d := range snap.Deltas(s.c.session.Prices()) {
		lines = append(lines, deltaRow(st, d))
	}
	return lines
}

func firstOf(runs ...*tune.RunSummary) *tune.RunSummary {
	for _, r := range runs {
		if r != nil {
			return r
		}
	}
	return nil
}

func runLine(r tune.RunSummary) string {
	return fmt.Sprintf("run %d: %d requests · average %s · p95 %s · max %s · %.1f req/s · under %s",
		r.ID, r.Requests, durText(r.Average), durText(r.P95), durText(r.Max), r.RPS, r.Config.Summary)
}

// deltaRow is one metric before → after, coloured by its verdict.
func deltaRow(st styles, d tune.Delta) string {
	text := fmt.Sprintf("  %-12s %s", d.Metric, d.Text())
	return verdictStyle(st, d.Verdict).Render(text + "  " + string(d.Verdict))
}

// deltaLine is the deltas that matter in one line, each coloured by verdict.
func deltaLine(st styles, deltas []tune.Delta) string {
	var parts []string
	for _, d := range deltas {
		if !d.Known || !slices.Contains([]string{"average", "p95", "max", "failure %", "cost per 1M"}, d.Metric) {
			continue
		}
		parts = append(parts, verdictStyle(st, d.Verdict).Render(fmt.Sprintf("%s %s (%s)", d.Metric, d.Value(d.After), d.ChangeText())))
	}
	return strings.Join(parts, st.muted.Render(" · "))
}

func verdictStyle(st styles, v tune.Verdict) lipgloss.Style {
	switch v {
	case tune.Better:
		return st.okLine
	case tune.Worse:
		return st.errorLine
	}
	return st.muted
}
