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
	err     error
}

func newFunctionScreen(c *common, f aws.Function) (functionScreen, tea.Cmd) {
	s := functionScreen{c: c, name: f.Name, summary: f}
	return s, loadDetailCmd(c.ctx, c.session, f.Name)
}

func (s functionScreen) Update(msg tea.Msg) (functionScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case detailMsg:
		if msg.name != s.name {
			return s, nil
		}
		s.err = msg.err
		if msg.err == nil {
			s.detail = &msg.detail
		}
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+r" {
			return s, loadDetailCmd(s.c.ctx, s.c.session, s.name)
		}
	}
	return s, nil
}

func (s functionScreen) View() string {
	st := s.c.styles
	f := s.summary
	if s.detail != nil {
		f = s.detail.Function
	}
	lines := []string{st.title.Render(f.Name)}
	if f.Description != "" {
		lines = append(lines, st.muted.Render(f.Description))
	}
	lines = append(lines, "", st.section.Render("Configuration"))
	lines = append(lines, s.configLines(f)...)
	if s.detail == nil && s.err == nil {
		lines = append(lines, "", st.muted.Render("loading aliases, versions and concurrency…"))
	}
	if s.detail != nil {
		lines = append(lines, "", st.section.Render("Concurrency"))
		lines = append(lines, s.concurrencyLines(*s.detail)...)
		lines = append(lines, "", st.section.Render("Aliases"))
		lines = append(lines, s.aliasLines(*s.detail)...)
		lines = append(lines, "", st.section.Render("Versions"))
		lines = append(lines, s.versionLines(*s.detail)...)
	}
	body := padLines(strings.Join(lines, "\n"), s.c.height-bodyChrome-1)
	status := ""
	if s.err != nil {
		status = st.errorLine.Render("✗ " + aws.Explain(s.err))
	}
	return body + "\n" + status
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
