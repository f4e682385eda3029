package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// functionsScreen is the list of the account's functions: filled page by page,
// with the concurrency columns filling in as they arrive.
type functionsScreen struct {
	c          *common
	catalog    *tune.Catalog
	cursor     int
	offset     int
	filtering  bool
	generation int
	loadCtx    context.Context // ends when a newer load starts
	cancel     context.CancelFunc
	listing    bool // more pages to come
	account    *aws.Account
	usage      *aws.AccountMetrics // the account's concurrency now, from CloudWatch
	usageErr   error
	ticking    bool // the usage refresh is running
	err        error
}

func newFunctionsScreen(c *common) functionsScreen {
	return functionsScreen{c: c, catalog: tune.NewCatalog()}
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

// load (re)reads the list and the account from the start, abandoning any
// earlier load still in flight.
func (s functionsScreen) load() (functionsScreen, tea.Cmd) {
	if s.cancel != nil {
		s.cancel()
	}
	s.loadCtx, s.cancel = context.WithCancel(s.c.ctx)
	s.generation++
	s.listing = true
	s.err = nil
	cmds := []tea.Cmd{loadPageCmd(s.loadCtx, s.c.session, s.generation, ""), loadAccountCmd(s.loadCtx, s.c.session)}
	if !s.ticking {
		s.ticking = true
		cmds = append(cmds, s.usageCmd())
	}
	return s, tea.Batch(cmds...)
}

// usageCmd reads the account's current concurrency from CloudWatch; its
// answer schedules the next read.
func (s functionsScreen) usageCmd() tea.Cmd {
	view := viewFor(s.c.where.Sandbox)
	now := s.c.clock.Now()
	w := aws.MetricWindow{Start: now.Add(-5 * view.period), End: now, Period: view.period, PendingHorizon: view.pending}
	session, ctx := s.c.session, s.c.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		m, err := session.AccountMetrics(ctx, w)
		return usageMsg{metrics: m, err: err}
	}
}

func (s functionsScreen) Update(msg tea.Msg) (functionsScreen, tea.Cmd) {
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
		return s, tea.Tick(viewFor(s.c.where.Sandbox).every, func(time.Time) tea.Msg { return usageTickMsg{} })
	case usageTickMsg:
		return s, s.usageCmd()
	case accountMsg:
		if msg.err != nil {
			s.err = msg.err
			return s, nil
		}
		s.account = &msg.account
	case tea.KeyPressMsg:
		if s.filtering {
			return s.editFilter(msg), nil
		}
		return s.onKey(msg)
	}
	return s, nil
}

func (s functionsScreen) onPage(msg pageMsg) (functionsScreen, tea.Cmd) {
	if msg.generation != s.generation {
		return s, nil
	}
	if msg.err != nil {
		s.err, s.listing = msg.err, false
		return s, nil
	}
	if msg.page.NextMarker == "" && len(msg.page.Functions) == 0 && s.catalog.Total() == 0 {
		s.listing = false
		return s, nil
	}
	s.catalog.Add(msg.page.Functions)
	if len(msg.page.Functions) > 0 {
		s.c.where = s.c.where.WithAccountFrom(msg.page.Functions[0].ARN)
	}
	s.clampCursor()
	ctx := s.loadCtx
	var cmds []tea.Cmd
	names := make([]string, len(msg.page.Functions))
	for i, f := range msg.page.Functions {
		names[i] = f.Name
	}
	stream := s.c.session.FillConcurrency(ctx, names)
	cmds = append(cmds, awaitConcurrencyCmd(s.generation, stream))
	s.listing = msg.page.NextMarker != ""
	if s.listing {
		cmds = append(cmds, loadPageCmd(ctx, s.c.session, s.generation, msg.page.NextMarker))
	}
	return s, tea.Batch(cmds...)
}

func (s functionsScreen) onConcurrency(msg concurrencyMsg) (functionsScreen, tea.Cmd) {
	if msg.generation != s.generation {
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

func (s functionsScreen) onKey(msg tea.KeyPressMsg) (functionsScreen, tea.Cmd) {
	k := s.c.keys
	rows := s.catalog.Rows()
	switch {
	case key.Matches(msg, k.Up):
		s.cursor--
	case key.Matches(msg, k.Down):
		s.cursor++
	case key.Matches(msg, k.PageUp):
		s.cursor -= s.tableHeight()
	case key.Matches(msg, k.PageDn):
		s.cursor += s.tableHeight()
	case key.Matches(msg, k.Top):
		s.cursor = 0
	case key.Matches(msg, k.Bottom):
		s.cursor = len(rows) - 1
	case key.Matches(msg, k.Filter):
		s.filtering = true
	case key.Matches(msg, k.Sort):
		s.catalog.NextSort()
	case key.Matches(msg, k.Reverse):
		key, _ := s.catalog.Sort()
		s.catalog.SortBy(key)
	case key.Matches(msg, k.Refresh):
		return s.load()
	case key.Matches(msg, k.Back):
		s.catalog.SetFilter("")
	}
	s.clampCursor()
	return s, nil
}

// editFilter is the filter line: typing narrows the list at once; enter keeps
// the filter, esc clears it.
func (s functionsScreen) editFilter(msg tea.KeyPressMsg) functionsScreen {
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
func (s functionsScreen) Selected() (aws.Function, bool) {
	rows := s.catalog.Rows()
	if s.cursor < 0 || s.cursor >= len(rows) {
		return aws.Function{}, false
	}
	return rows[s.cursor], true
}

func (s *functionsScreen) clampCursor() {
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
func (s functionsScreen) tableHeight() int { return max(1, s.c.height-bodyChrome-4) }

func (s functionsScreen) View() string {
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
	body := padLines(strings.Join(lines, "\n"), s.c.height-bodyChrome-1)
	return body + "\n" + s.statusLine()
}

func (s functionsScreen) emptyText() string {
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

func (s functionsScreen) accountLine() string {
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
func (s functionsScreen) usageText() string {
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

func (s functionsScreen) filterLine() string {
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

func (s functionsScreen) statusLine() string {
	if s.err != nil {
		return s.c.styles.errorLine.Render("✗ " + aws.Explain(s.err))
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
		return f.Name
	case "RUNTIME":
		return f.Runtime
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
