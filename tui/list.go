package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// listScreen is the Functions screen, the account's function list: filled
// page by page, with the concurrency columns filling in as they arrive, and
// re-read quietly every few seconds so changes made elsewhere show.
type listScreen struct {
	c          *common
	keys       listKeys
	catalog    *tune.Catalog
	cursor     int
	offset     int
	filtering  bool
	generation int
	loadCtx    context.Context // ends when a newer load starts
	cancel     context.CancelFunc
	// fillCtx and fills cover the concurrency reads: only a full load (not
	// the quiet re-read) abandons the ones under way.
	fillCtx    context.Context
	fillCancel context.CancelFunc
	fills      int
	listing    bool            // more pages to come
	quiet      bool            // the load under way is the background re-read
	seen       map[string]bool // functions listed by the load under way
	account    *aws.Account
	usage      *aws.AccountMetrics // the account's concurrency now, from CloudWatch
	usageErr   error
	ticking    bool // the usage refresh is running
	err        error
	failing    bool // the last read failed (logged once per change of state)
}

type listKeys struct {
	nav                         navKeys
	Open, Filter, Sort, Reverse key.Binding
	Refresh, ClearFilter        key.Binding
}

func newListKeys() listKeys {
	return listKeys{
		nav:         newNavKeys(),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Sort:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Reverse:     key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse")),
		Refresh:     refreshKey(),
		ClearFilter: backKey("clear filter"),
	}
}

func (k listKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Filter, k.Sort, k.Refresh}
}

func (k listKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.nav.bindings(), {k.Open, k.Filter, k.ClearFilter, k.Sort, k.Reverse, k.Refresh}}
}

// filterKeys are the keys while the filter is being typed.
var filterKeys = keyMap{
	short: []key.Binding{
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "erase")),
	},
}

func newListScreen(c *common) listScreen {
	return listScreen{c: c, keys: newListKeys(), catalog: tune.NewCatalog()}
}

func (s listScreen) Title() string   { return "Functions" }
func (s listScreen) Capturing() bool { return s.filtering }
func (s listScreen) Keys() help.KeyMap {
	if s.filtering {
		return filterKeys
	}
	return s.keys
}

var functionColumns = []column{
	{title: "NAME", width: 16, flex: true},
	{title: "RUNTIME", width: 15},
	{title: "ARCH", width: 6},
	{title: "MEMORY", width: 6, right: true},
	{title: "TIMEOUT", width: 7, right: true},
	{title: "RESERVED", width: 8, right: true},
	{title: "PROVISIONED", width: 11, right: true},
	{title: "MODIFIED", width: 10, optional: true},
}

// listPollEvery is how often the list is re-read in the background: a page
// of 50 functions per request and the visible rows' concurrency, well under
// AWS's control-plane throttle of 15 requests/s.
const listPollEvery = 10 * time.Second

type listPollMsg struct{}

// load (re)reads the list and the account from the start, abandoning any
// earlier load still in flight. A quiet load is the background re-read: the
// screen shows no "listing…" and fills in only the visible rows' concurrency.
func (s listScreen) load(quiet bool) (listScreen, tea.Cmd) {
	if s.cancel != nil {
		s.cancel()
	}
	s.loadCtx, s.cancel = context.WithCancel(s.c.ctx)
	s.generation++
	if !quiet || s.fillCtx == nil {
		if s.fillCancel != nil {
			s.fillCancel()
		}
		s.fillCtx, s.fillCancel = context.WithCancel(s.c.ctx)
		s.fills++
	}
	s.listing, s.quiet = !quiet, quiet
	s.seen = map[string]bool{}
	cmds := []tea.Cmd{loadPageCmd(s.loadCtx, s.c.session, s.generation, ""), loadAccountCmd(s.loadCtx, s.c.session)}
	if !s.ticking {
		s.ticking = true
		cmds = append(cmds, s.usageCmd())
	}
	return s, tea.Batch(cmds...)
}

// usageCmd reads the account's current concurrency from CloudWatch; its
// answer schedules the next read.
func (s listScreen) usageCmd() tea.Cmd {
	view := s.c.session.MetricsView()
	now := s.c.clock.Now()
	w := aws.MetricWindow{Start: now.Add(-5 * view.Period), End: now, Period: view.Period, PendingHorizon: view.Pending}
	session, ctx := s.c.session, s.c.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		m, err := session.AccountMetrics(ctx, w)
		return usageMsg{metrics: m, err: err}
	}
}

func (s listScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case pageMsg:
		return s.onPage(msg)
	case concurrencyMsg:
		return s.onConcurrency(msg)
	case usageMsg:
		s.usageErr = msg.err
		if msg.err == nil {
			s.usage = &msg.metrics
		}
		return s, tea.Tick(s.c.session.MetricsView().Every, func(time.Time) tea.Msg { return usageTickMsg{} })
	case usageTickMsg:
		return s, s.usageCmd()
	case listPollMsg:
		if s.listing || s.quiet {
			return s, nil // a read is under way; its end schedules the next
		}
		return s.load(true)
	case accountMsg:
		if msg.err != nil {
			return s.failed(msg.err), nil
		}
		s.account = &msg.account
	case openFunctionMsg:
		f, ok := s.catalog.Get(msg.name)
		if !ok {
			f = aws.Function{Name: msg.name}
		}
		d, init := newDetailScreen(s.c, f)
		s.c.push(d)
		return s, init
	case detailMsg:
		// An open function's detail is the freshest word on its row.
		if msg.err == nil && s.catalog.Update(msg.detail.Function) {
			s.clampCursor()
		}
	case tea.KeyPressMsg:
		if s.filtering {
			return s.editFilter(msg), nil
		}
		return s.onKey(msg)
	}
	return s, nil
}

// failed shows a read's error until a later read succeeds, and logs the
// change of state once, not on every retry.
func (s listScreen) failed(err error) listScreen {
	if !s.failing {
		s.c.log.Warn("function list read failed", "err", err)
	}
	s.err, s.failing = err, true
	return s
}

func (s listScreen) recovered() listScreen {
	if s.failing {
		s.c.log.Info("function list read recovered")
	}
	s.err, s.failing = nil, false
	return s
}

func (s listScreen) onPage(msg pageMsg) (screen, tea.Cmd) {
	if msg.generation != s.generation {
		return s, nil
	}
	if msg.err != nil {
		s = s.failed(msg.err)
		s.listing, s.quiet = false, false
		return s, s.pollLater()
	}
	s = s.recovered()
	if len(msg.page.Functions) > 0 {
		s.c.where = s.c.where.WithAccountFrom(msg.page.Functions[0].ARN)
	}
	changed := s.changedOnPage(msg.page.Functions)
	s.catalog.Add(msg.page.Functions)
	s.clampCursor()
	var cmds []tea.Cmd
	if len(changed) > 0 {
		cmds = append(cmds, awaitConcurrencyCmd(s.fills, s.c.session.FillConcurrency(s.fillCtx, changed)))
	}
	if msg.page.NextMarker != "" {
		return s, tea.Batch(append(cmds, loadPageCmd(s.loadCtx, s.c.session, s.generation, msg.page.NextMarker))...)
	}
	s.catalog.Retain(s.seen)
	s.clampCursor()
	s.listing, s.quiet = false, false
	return s, tea.Batch(append(cmds, s.pollLater())...)
}

// changedOnPage marks the page's functions as seen and names those whose
// concurrency to (re)read: all of them on a full load; on the quiet re-read,
// new ones, changed ones and the rows on screen.
func (s listScreen) changedOnPage(page []aws.Function) []string {
	visible := map[string]bool{}
	if s.quiet {
		rows := s.catalog.Rows()
		for i := s.offset; i < min(len(rows), s.offset+s.tableHeight()); i++ {
			visible[rows[i].Name] = true
		}
	}
	var names []string
	for _, f := range page {
		s.seen[f.Name] = true
		old, known := s.catalog.Get(f.Name)
		if !s.quiet || !known || visible[f.Name] || !old.LastModified.Equal(f.LastModified) {
			names = append(names, f.Name)
		}
	}
	return names
}

func (s listScreen) pollLater() tea.Cmd {
	return tea.Tick(s.c.listEvery, func(time.Time) tea.Msg { return listPollMsg{} })
}

func (s listScreen) onConcurrency(msg concurrencyMsg) (screen, tea.Cmd) {
	if msg.generation != s.fills {
		return s, nil
	}
	for _, r := range msg.results {
		s.catalog.SetConcurrency(r.Name, r.Concurrency)
	}
	if msg.done {
		return s, nil
	}
	return s, awaitConcurrencyCmd(msg.generation, msg.stream)
}

func (s listScreen) onKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	k := s.keys
	if cursor, ok := k.nav.move(msg, s.cursor, len(s.catalog.Rows()), s.tableHeight()); ok {
		s.cursor = cursor
		s.clampCursor()
		return s, nil
	}
	switch {
	case key.Matches(msg, k.Open):
		if f, ok := s.Selected(); ok {
			d, init := newDetailScreen(s.c, f)
			s.c.push(d)
			return s, init
		}
	case key.Matches(msg, k.Filter):
		s.filtering = true
	case key.Matches(msg, k.Sort):
		s.catalog.NextSort()
	case key.Matches(msg, k.Reverse):
		key, _ := s.catalog.Sort()
		s.catalog.SortBy(key)
	case key.Matches(msg, k.Refresh):
		return s.load(false)
	case key.Matches(msg, k.ClearFilter):
		s.catalog.SetFilter("")
	}
	s.clampCursor()
	return s, nil
}

// editFilter is the filter line: typing narrows the list at once; enter keeps
// the filter, esc clears it.
func (s listScreen) editFilter(msg tea.KeyPressMsg) listScreen {
	text := s.catalog.Filter()
	switch msg.String() {
	case "enter":
		s.filtering = false
	case "esc":
		s.filtering = false
		text = ""
	case "backspace":
		if r := []rune(text); len(r) > 0 {
			text = string(r[:len(r)-1])
		}
	case "ctrl+u":
		text = ""
	default:
		text += msg.Text
	}
	s.catalog.SetFilter(text)
	s.cursor, s.offset = 0, 0
	return s
}

// Selected is the function under the cursor.
func (s listScreen) Selected() (aws.Function, bool) {
	rows := s.catalog.Rows()
	if s.cursor < 0 || s.cursor >= len(rows) {
		return aws.Function{}, false
	}
	return rows[s.cursor], true
}

func (s *listScreen) clampCursor() {
	n := len(s.catalog.Rows())
	s.cursor = max(0, min(s.cursor, n-1))
	h := s.tableHeight()
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+h {
		s.offset = s.cursor - h + 1
	}
	s.offset = max(0, min(s.offset, max(0, n-h)))
}

// tableHeight is how many function rows fit: the body less the account line,
// the filter line, the column titles and the status line.
func (s listScreen) tableHeight() int { return max(1, s.c.bodyHeight()-4) }

func (s listScreen) View() string {
	lines := []string{s.accountLine(), s.filterLine()}
	cols, widths := layoutColumns(functionColumns, s.c.width)
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	lines = append(lines, s.c.styles.tableHeader.Render(renderRow(cols, widths, titles)))
	rows := s.catalog.Rows()
	end := min(len(rows), s.offset+s.tableHeight())
	for i := s.offset; i < end; i++ {
		line := renderRow(cols, widths, functionCells(rows[i], cols))
		if i == s.cursor {
			line = s.c.styles.selected.Render(line)
		}
		lines = append(lines, line)
	}
	if len(rows) == 0 {
		lines = append(lines, s.c.styles.muted.Render(s.emptyText()))
	}
	body := padLines(strings.Join(lines, "\n"), s.c.bodyHeight()-1)
	return body + "\n" + s.statusLine()
}

func (s listScreen) emptyText() string {
	switch {
	case s.listing:
		return "loading functions…"
	case s.catalog.Total() > 0:
		return "no function matches the filter (esc clears it)"
	case s.err != nil:
		return ""
	}
	return "no functions in this account and region"
}

func (s listScreen) accountLine() string {
	st := s.c.styles
	if s.account == nil {
		return st.muted.Render("account concurrency: loading…")
	}
	a := s.account
	line := st.label.Render("concurrency limit ") + st.value.Render(strconv.Itoa(int(a.ConcurrencyLimit))) +
		st.label.Render(" · unreserved ") + st.value.Render(strconv.Itoa(int(a.Unreserved))) +
		st.label.Render(" · reservable ") + st.value.Render(strconv.Itoa(int(a.Reservable()))) +
		st.label.Render(fmt.Sprintf(" (floor %d)", a.Floor())) + s.usageText()
	return fit(line, s.c.width, false)
}

// usageText is the account's concurrency in use now, from CloudWatch.
func (s listScreen) usageText() string {
	st := s.c.styles
	switch {
	case s.usageErr != nil:
		return st.muted.Render(" · usage unavailable")
	case s.usage == nil:
		return ""
	case !anyValue(s.usage.ClaimedAccountConcurrency, s.usage.ConcurrentExecutions):
		return st.muted.Render(" · claimed: no data")
	}
	return st.label.Render(" · claimed ") + st.value.Render(formatCount(s.usage.ClaimedAccountConcurrency, "%.0f")) +
		st.label.Render(" · running ") + st.value.Render(formatCount(s.usage.ConcurrentExecutions, "%.0f"))
}

func (s listScreen) filterLine() string {
	st := s.c.styles
	sortKey, desc := s.catalog.Sort()
	order := "↑"
	if desc {
		order = "↓"
	}
	shown := len(s.catalog.Rows())
	count := fmt.Sprintf("%d functions", s.catalog.Total())
	if shown != s.catalog.Total() {
		count = fmt.Sprintf("%d of %d functions", shown, s.catalog.Total())
	}
	if s.listing {
		count += ", listing…"
	}
	if pending := s.catalog.PendingConcurrency(); pending > 0 && s.catalog.Total() > 0 {
		count += fmt.Sprintf(", concurrency %d/%d", s.catalog.Total()-pending, s.catalog.Total())
	}
	left := st.label.Render(count + " · sort: " + sortKey.String() + " " + order)
	switch {
	case s.filtering:
		left += st.filter.Render("  /" + s.catalog.Filter() + "▏")
	case s.catalog.Filter() != "":
		left += st.filter.Render("  filter: " + s.catalog.Filter())
	}
	return left
}

func (s listScreen) statusLine() string {
	if s.err != nil {
		return s.c.styles.errorLine.Render(fit("✗ "+printable(aws.Explain(s.err)), s.c.width, false))
	}
	return ""
}

func functionCells(f aws.Function, cols []column) []string {
	cells := make([]string, 0, len(cols))
	for _, c := range cols {
		cells = append(cells, functionCell(f, c.title))
	}
	return cells
}

func functionCell(f aws.Function, title string) string {
	switch title {
	case "NAME":
		return printable(f.Name)
	case "RUNTIME":
		return printable(f.Runtime)
	case "ARCH":
		return f.Architecture
	case "MEMORY":
		return strconv.Itoa(int(f.MemoryMB))
	case "TIMEOUT":
		return strconv.Itoa(int(f.TimeoutSec)) + "s"
	case "RESERVED":
		return reservedCell(f.Concurrency)
	case "PROVISIONED":
		return provisionedCell(f.Concurrency)
	case "MODIFIED":
		if f.LastModified.IsZero() {
			return ""
		}
		return f.LastModified.Format("2006-01-02")
	}
	return ""
}

func reservedCell(c aws.Concurrency) string {
	switch {
	case c.Err != nil:
		return "error"
	case !c.Known:
		return "…"
	case c.Reserved == nil:
		return "-"
	}
	return strconv.Itoa(int(*c.Reserved))
}

func provisionedCell(c aws.Concurrency) string {
	switch {
	case c.Err != nil:
		return "error"
	case !c.Known:
		return "…"
	case len(c.Provisioned) == 0:
		return "-"
	case len(c.Provisioned) == 1:
		return fmt.Sprintf("%d %s", c.Provisioned[0].Requested, c.Provisioned[0].Qualifier)
	}
	return fmt.Sprintf("%d (%d)", c.ProvisionedTotal(), len(c.Provisioned))
}
