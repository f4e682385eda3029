package tui

import (
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

// detailScreen is the Function screen: one function's configuration,
// concurrency, aliases, versions and live metrics, and the keys that change
// it or load it. It re-reads the function every few seconds, so changes made
// elsewhere (lambdatune set, the AWS CLI, another console) show by themselves.
type detailScreen struct {
	c       *common
	keys    detailKeys
	name    string
	summary aws.Function // from the list, shown until the detail arrives
	detail  *aws.FunctionDetail
	account *aws.Account
	metrics metricsPanel
	polling bool // a re-read is scheduled or under way
	err     error
	failing bool
}

type detailKeys struct {
	change                                changeKeys
	Load, Sweep, Snapshots, Refresh, Back key.Binding
}

func newDetailKeys(readOnly bool) detailKeys {
	return detailKeys{
		change:    newChangeKeys(readOnly),
		Load:      key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "load test")),
		Sweep:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "sweep")),
		Snapshots: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "snapshots")),
		Refresh:   refreshKey(),
		Back:      backKey("back"),
	}
}

func (k detailKeys) ShortHelp() []key.Binding {
	return append(k.change.bindings(), k.Load, k.Sweep, k.Snapshots, k.Refresh, k.Back)
}

func (k detailKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.change.bindings(), {k.Load, k.Sweep, k.Snapshots, k.Refresh, k.Back}}
}

// detailPollEvery paces the background re-read: GetFunction and three list
// calls, far under AWS's control-plane throttle.
const detailPollEvery = 5 * time.Second

type detailPollMsg struct{ name string }

func newDetailScreen(c *common, f aws.Function) (detailScreen, tea.Cmd) {
	s := detailScreen{c: c, keys: newDetailKeys(c.readOnly()), name: f.Name, summary: f, metrics: newMetricsPanel(c, f.Name)}
	return s, tea.Batch(loadDetailCmd(c.ctx, c.session, f.Name), loadAccountCmd(c.ctx, c.session))
}

func (s detailScreen) Title() string     { return s.name }
func (s detailScreen) Capturing() bool   { return false }
func (s detailScreen) Keys() help.KeyMap { return s.keys }

// command answers :load and :snap on this screen.
func (s detailScreen) command(verb, arg string) (tea.Cmd, bool) {
	switch verb {
	case "load":
		return s.openLoad(), true
	case "snap", "snapshots":
		return s.openSnapshots(), true
	case "lab":
		if arg != "" {
			return nil, false // :lab NAME names another function
		}
		lab, init := newLabScreen(s.c, s.name)
		s.c.push(lab)
		return init, true
	case "sweep":
		return s.openSweep(), true
	}
	return nil, false
}

func (s detailScreen) openSnapshots() tea.Cmd {
	snaps, init := newSnapshotsScreen(s.c, s.name)
	s.c.push(snaps)
	return init
}

func (s detailScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case detailMsg:
		return s.onDetail(msg)
	case accountMsg:
		if msg.err == nil {
			s.account = &msg.account
		}
	case detailPollMsg:
		if msg.name == s.name {
			return s, loadDetailCmd(s.c.ctx, s.c.session, s.name)
		}
	case changeDoneMsg:
		if msg.function == s.name {
			return s, tea.Batch(loadDetailCmd(s.c.ctx, s.c.session, s.name), loadAccountCmd(s.c.ctx, s.c.session))
		}
	case metricsTickMsg, metricsMsg:
		var cmd tea.Cmd
		s.metrics, cmd = s.metrics.Update(msg)
		return s, cmd
	case tea.KeyPressMsg:
		return s.onKey(msg)
	}
	return s, nil
}

func (s detailScreen) onKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	k := s.keys
	if cmd, ok := k.change.open(s.c, msg, s.name, s.facts); ok {
		return s, cmd
	}
	switch {
	case key.Matches(msg, k.Back):
		s.c.pop()
		return s, nil
	case key.Matches(msg, k.Refresh):
		var refresh tea.Cmd
		s.metrics, refresh = s.metrics.refresh()
		return s, tea.Batch(loadDetailCmd(s.c.ctx, s.c.session, s.name), loadAccountCmd(s.c.ctx, s.c.session), refresh)
	case key.Matches(msg, k.Load):
		return s, s.openLoad()
	case key.Matches(msg, k.Sweep):
		return s, s.openSweep()
	case key.Matches(msg, k.Snapshots):
		return s, s.openSnapshots()
	}
	return s, nil
}

// facts is what the edit dialogs plan against; ok is false until the detail
// and the account are in.
func (s detailScreen) facts() (tune.Facts, bool) {
	if s.detail == nil || s.account == nil {
		return tune.Facts{}, false
	}
	return tune.Facts{Detail: *s.detail, Account: *s.account, AverageDurationMs: s.metrics.averageDuration(),
		Prices: s.c.session.Prices()}, true
}

func (s detailScreen) openLoad() tea.Cmd {
	if s.detail == nil {
		return status("the function is still loading", false)
	}
	l, init := newLoadScreen(s.c, *s.detail, s.account)
	s.c.push(l)
	return init
}

func (s detailScreen) openSweep() tea.Cmd {
	if s.detail == nil {
		return status("the function is still loading", false)
	}
	w, init := newSweepScreen(s.c, *s.detail)
	s.c.push(w)
	return init
}

// onDetail shows the detail and, the first time, starts the live panel: it
// needs the detail's concurrency to know which alias's provisioned series to
// read. Every answer schedules the next background re-read.
func (s detailScreen) onDetail(msg detailMsg) (screen, tea.Cmd) {
	if msg.name != s.name {
		return s, nil
	}
	next := tea.Tick(s.c.detailEvery, func(time.Time) tea.Msg { return detailPollMsg{name: s.name} })
	if msg.err != nil {
		if !s.failing {
			s.c.log.Warn("function read failed", "function", s.name, "err", msg.err)
		}
		s.err, s.failing = msg.err, true
		return s, next
	}
	if s.failing {
		s.c.log.Info("function read recovered", "function", s.name)
	}
	s.err, s.failing = nil, false
	first := s.detail == nil
	s.detail = &msg.detail
	s.metrics = s.metrics.setConcurrency(msg.detail)
	if !first {
		return s, next
	}
	var refresh tea.Cmd
	s.metrics, refresh = s.metrics.refresh()
	return s, tea.Batch(refresh, s.metrics.tick(), next)
}

// twoColumnWidth is the narrowest terminal that shows the configuration and
// the concurrency side by side.
const twoColumnWidth = 100

func (s detailScreen) View() string {
	st := s.c.styles
	f := s.summary
	if s.detail != nil {
		f = s.detail.Function
	}
	lines := []string{st.title.Render(printable(f.Name))}
	if f.Description != "" {
		lines = append(lines, st.muted.Render(fit(printable(f.Description), s.c.width, false)))
	}
	left := append([]string{"", st.section.Render("Configuration")}, s.configLines(f)...)
	var right []string
	if s.detail == nil && s.err == nil {
		right = []string{"", st.muted.Render("loading aliases, versions and concurrency…")}
	}
	if s.detail != nil {
		right = s.settingsLines(*s.detail)
	}
	lines = append(lines, s.columns(left, right)...)
	if s.detail != nil {
		lines = append(lines, "", s.metrics.View(s.c.width))
	}
	body := padLines(strings.Join(lines, "\n"), s.c.bodyHeight()-1)
	line := ""
	if s.err != nil {
		line = st.errorLine.Render(fit("✗ "+printable(aws.Explain(s.err)), s.c.width, false))
	}
	return body + "\n" + line
}

func (s detailScreen) settingsLines(d aws.FunctionDetail) []string {
	st := s.c.styles
	lines := append([]string{"", st.section.Render("Concurrency")}, s.concurrencyLines(d)...)
	lines = append(lines, "", st.section.Render("Aliases"))
	lines = append(lines, s.aliasLines(d)...)
	lines = append(lines, "", st.section.Render("Versions"))
	return append(lines, s.versionLines(d)...)
}

// columns puts left and right side by side on a wide terminal, one above the
// other on a narrow one.
func (s detailScreen) columns(left, right []string) []string {
	if s.c.width < twoColumnWidth {
		return append(left, right...)
	}
	half := s.c.width / 2
	out := make([]string, max(len(left), len(right)))
	for i := range out {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = fit(l, half, false) + fit(r, s.c.width-half, false)
	}
	return out
}

func (s detailScreen) configLines(f aws.Function) []string {
	pairs := [][2]string{
		{"Runtime", printable(f.Runtime + " · " + f.Architecture)},
		{"Memory", fmt.Sprintf("%d MB (%.2f vCPU)", f.MemoryMB, float64(f.MemoryMB)/1769)},
		{"Timeout", strconv.Itoa(int(f.TimeoutSec)) + " s"},
		{"Handler", printable(f.Handler)},
	}
	if f.State != "" {
		pairs = append(pairs, [2]string{"State", f.State + " · last update " + f.LastUpdateStatus})
	}
	if !f.LastModified.IsZero() {
		pairs = append(pairs, [2]string{"Modified", f.LastModified.UTC().Format("2006-01-02 15:04:05 UTC")})
	}
	if f.EnvironmentVariables > 0 {
		pairs = append(pairs, [2]string{"Environment", fmt.Sprintf("%d variables (values hidden)", f.EnvironmentVariables)})
	}
	if where := s.c.where; where.ProductsAPI != "" && f.Name == where.ProductsFunction {
		pairs = append(pairs, [2]string{"API", where.ProductsAPI + " (ProductApiUrl)"})
	}
	return s.pairLines(pairs)
}

func (s detailScreen) concurrencyLines(d aws.FunctionDetail) []string {
	reserved := "none (draws on the account's unreserved pool)"
	if r := d.Concurrency.Reserved; r != nil {
		reserved = strconv.Itoa(int(*r))
		if *r == 0 {
			reserved += " (every invocation is throttled)"
		}
	}
	lines := s.pairLines([][2]string{{"Reserved", reserved}})
	if len(d.Concurrency.Provisioned) == 0 {
		return append(lines, s.pairLines([][2]string{{"Provisioned", "none"}})...)
	}
	for _, p := range d.Concurrency.Provisioned {
		text := fmt.Sprintf("%d on %s · %s · %d allocated", p.Requested, p.Qualifier, p.Status, p.Allocated)
		if p.StatusReason != "" {
			text += " · " + printable(p.StatusReason)
		}
		lines = append(lines, s.pairLines([][2]string{{"Provisioned", text}})...)
	}
	return lines
}

func (s detailScreen) aliasLines(d aws.FunctionDetail) []string {
	if len(d.Aliases) == 0 {
		return []string{s.c.styles.muted.Render("  no aliases")}
	}
	var lines []string
	for _, a := range d.Aliases {
		text := printable(a.Name + " → version " + a.Version)
		if p, ok := d.ProvisionedFor(a.Name); ok {
			text += fmt.Sprintf(" · provisioned %d (%s)", p.Requested, p.Status)
		}
		lines = append(lines, "  "+text)
	}
	return lines
}

// maxVersionLines keeps a long version history from pushing the rest away.
const maxVersionLines = 5

func (s detailScreen) versionLines(d aws.FunctionDetail) []string {
	if len(d.Versions) == 0 {
		return []string{s.c.styles.muted.Render("  only $LATEST (no published versions)")}
	}
	var lines []string
	start := max(0, len(d.Versions)-maxVersionLines)
	if start > 0 {
		lines = append(lines, s.c.styles.muted.Render(fmt.Sprintf("  … %d older", start)))
	}
	for _, v := range d.Versions[start:] {
		text := fmt.Sprintf("  %-4s %5d MB %4d s", v.Version, v.MemoryMB, v.TimeoutSec)
		if v.Description != "" {
			text += "  " + printable(v.Description)
		}
		lines = append(lines, text)
	}
	return lines
}

func (s detailScreen) pairLines(pairs [][2]string) []string {
	lines := make([]string, len(pairs))
	for i, p := range pairs {
		lines[i] = "  " + s.c.styles.label.Render(fmt.Sprintf("%-12s", p[0])) + s.c.styles.value.Render(p[1])
	}
	return lines
}
