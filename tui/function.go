package tui

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/aws"
)

// functionScreen shows one function: its configuration, concurrency, aliases
// and versions.
type functionScreen struct {
	c       *common
	name    string
	summary aws.Function // from the list, shown until the detail arrives
	detail  *aws.FunctionDetail
	metrics metricsPanel
	err     error
}

func newFunctionScreen(c *common, f aws.Function) (functionScreen, tea.Cmd) {
	s := functionScreen{c: c, name: f.Name, summary: f, metrics: newMetricsPanel(c, f.Name)}
	return s, loadDetailCmd(c.ctx, c.session, f.Name)
}

func (s functionScreen) Update(msg tea.Msg) (functionScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case detailMsg:
		return s.onDetail(msg)
	case metricsTickMsg, metricsMsg:
		var cmd tea.Cmd
		s.metrics, cmd = s.metrics.Update(msg)
		return s, cmd
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+r" {
			return s, loadDetailCmd(s.c.ctx, s.c.session, s.name)
		}
	}
	return s, nil
}

// onDetail shows the detail and, the first time, starts the live panel: it
// needs the detail's concurrency to know which alias's provisioned series to read.
func (s functionScreen) onDetail(msg detailMsg) (functionScreen, tea.Cmd) {
	if msg.name != s.name {
		return s, nil
	}
	s.err = msg.err
	if msg.err != nil {
		return s, nil
	}
	first := s.detail == nil
	s.detail = &msg.detail
	s.metrics = s.metrics.setConcurrency(msg.detail)
	if !first {
		return s, nil
	}
	var refresh tea.Cmd
	s.metrics, refresh = s.metrics.refresh()
	return s, tea.Batch(refresh, s.metrics.tick())
}

// twoColumnWidth is the narrowest terminal that shows the configuration and
// the concurrency side by side.
const twoColumnWidth = 100

func (s functionScreen) View() string {
	st := s.c.styles
	f := s.summary
	if s.detail != nil {
		f = s.detail.Function
	}
	lines := []string{st.title.Render(f.Name)}
	if f.Description != "" {
		lines = append(lines, st.muted.Render(fit(f.Description, s.c.width, false)))
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
	body := padLines(strings.Join(lines, "\n"), s.c.height-bodyChrome-1)
	status := ""
	if s.err != nil {
		status = st.errorLine.Render("✗ " + aws.Explain(s.err))
	}
	return body + "\n" + status
}

func (s functionScreen) settingsLines(d aws.FunctionDetail) []string {
	st := s.c.styles
	lines := append([]string{"", st.section.Render("Concurrency")}, s.concurrencyLines(d)...)
	lines = append(lines, "", st.section.Render("Aliases"))
	lines = append(lines, s.aliasLines(d)...)
	lines = append(lines, "", st.section.Render("Versions"))
	return append(lines, s.versionLines(d)...)
}

// columns puts left and right side by side on a wide terminal, one above the
// other on a narrow one.
func (s functionScreen) columns(left, right []string) []string {
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

func (s functionScreen) configLines(f aws.Function) []string {
	pairs := [][2]string{
		{"Runtime", f.Runtime + " · " + f.Architecture},
		{"Memory", fmt.Sprintf("%d MB (%.2f vCPU)", f.MemoryMB, float64(f.MemoryMB)/1769)},
		{"Timeout", strconv.Itoa(int(f.TimeoutSec)) + " s"},
		{"Handler", f.Handler},
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

func (s functionScreen) concurrencyLines(d aws.FunctionDetail) []string {
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
			text += " · " + p.StatusReason
		}
		lines = append(lines, s.pairLines([][2]string{{"Provisioned", text}})...)
	}
	return lines
}

func (s functionScreen) aliasLines(d aws.FunctionDetail) []string {
	if len(d.Aliases) == 0 {
		return []string{s.c.styles.muted.Render("  no aliases")}
	}
	var lines []string
	for _, a := range d.Aliases {
		text := a.Name + " → version " + a.Version
		if p, ok := d.ProvisionedFor(a.Name); ok {
			text += fmt.Sprintf(" · provisioned %d (%s)", p.Requested, p.Status)
		}
		lines = append(lines, "  "+text)
	}
	return lines
}

// maxVersionLines keeps a long version history from pushing the rest away.
const maxVersionLines = 5

func (s functionScreen) versionLines(d aws.FunctionDetail) []string {
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
			text += "  " + v.Description
		}
		lines = append(lines, text)
	}
	return lines
}

func (s functionScreen) pairLines(pairs [][2]string) []string {
	lines := make([]string, len(pairs))
	for i, p := range pairs {
		lines[i] = "  " + s.c.styles.label.Render(fmt.Sprintf("%-12s", p[0])) + s.c.styles.value.Render(p[1])
	}
	return lines
}
