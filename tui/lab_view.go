package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/tune"
)

func (s labScreen) View() string {
	var lines []string
	if s.phase == labSetup {
		lines = s.setupView()
	} else {
		lines = s.readyView()
	}
	return padLines(strings.Join(fitAll(lines, s.c.width), "\n"), s.c.bodyHeight())
}

func (s labScreen) setupView() []string {
	st := s.c.styles
	lines := []string{
		st.section.Render("The AWS lab, step by step"),
		st.muted.Render("Four steps: baseline at 128 MB → 3008 MB → provisioned concurrency 40 on alias live → reserved concurrency 20."),
		st.muted.Render("Every step makes its change through the usual preview and confirmation, then runs this load test:"),
		"",
	}
	lines = append(lines, s.form.lines(st, s.c.width)...)
	if s.err != nil {
		lines = append(lines, "", st.errorLine.Render("✗ "+printable(s.err.Error())))
	}
	return lines
}

func (s labScreen) readyView() []string {
	st := s.c.styles
	ls := s.settingsUsed
	lines := []string{st.muted.Render(fmt.Sprintf("load: %s · %d users, spawn %g/s · %s a step",
		printable(ls.Target.String()), ls.Users, ls.SpawnRate, ls.RunTime))}
	for i := range s.steps {
		lines = append(lines, s.stepLine(i))
	}
	now := "function now: " + printable(s.state)
	if s.state == "" {
		now = "function now: reading…"
	}
	lines = append(lines, st.muted.Render(now))
	if s.err != nil {
		lines = append(lines, st.errorLine.Render("✗ "+printable(s.err.Error())))
	}
	lines = append(lines, st.muted.Render(strings.Repeat("─", max(10, s.c.width))))
	lines = append(lines, s.stepDetail(s.sel)...)
	return append(lines, s.footLines()...)
}

// mark is the checklist's sign for a verdict.
func labMark(v tune.LabVerdict) string {
	switch v {
	case tune.LabMet:
		return "✓"
	case tune.LabMissed:
		return "✗"
	case tune.LabTooBusy:
		return "~"
	}
	return "?"
}

func (s labScreen) verdictStyle(v tune.LabVerdict) func(...string) string {
	st := s.c.styles
	switch v {
	case tune.LabMet:
		return st.okLine.Render
	case tune.LabMissed:
		return st.errorLine.Render
	}
	return st.warn.Render
}

// stepLine is one row of the checklist: mark, number and title, what it is
// doing or its verdict, and its numbers.
func (s labScreen) stepLine(i int) string {
	st := s.c.styles
	step, stat := s.steps[i], s.status[i]
	cursor := "  "
	if i == s.sel {
		cursor = st.filter.Render("▸ ")
	}
	title := padRight(fmt.Sprintf("%d  %s", step.Number, step.Title), 40)
	res, ran := s.lab.Result(step.Number)
	mark, state := " ", st.muted.Render("not run")
	switch {
	case stat.doing == labPlanning:
		state = st.section.Render("planning the change…")
	case stat.doing == labConfirming:
		state = st.section.Render("waiting for your confirmation")
	case stat.doing == labRunning:
		state = st.section.Render("running " + s.progressText())
	case ran:
		v := res.Verdict()
		mark = s.verdictStyle(v)(labMark(v))
		state = s.verdictStyle(v)(padRight(string(v), 9)) + " " + labNumbers(res)
	}
	return cursor + mark + " " + title + state
}

// labNumbers is a result's headline: average, maximum, peak concurrency.
func labNumbers(r tune.LabResult) string {
	if r.Problem != "" {
		return printable(r.Problem)
	}
	sum := r.Run.Summary()
	text := fmt.Sprintf("avg %s · max %s", durText(sum.Average), durText(sum.Max))
	if cw := r.Run.CloudWatch; cw != nil && cw.ConcurrentMax != nil {
		text += fmt.Sprintf(" · peak %.0f", *cw.ConcurrentMax)
	}
	return text
}

func (s labScreen) progressText() string {
	switch {
	case s.run == nil:
		return "(starting the load test…)"
	case s.sample.snap.Done:
		return clockText(s.sample.snap.Elapsed) + " done, reading CloudWatch…"
	}
	return fmt.Sprintf("%s / %s", clockText(s.sample.at), clockText(s.runTime))
}

// stepDetail explains the selected step: what changes and why, what the lab
// expects, then the live run or each expectation judged.
func (s labScreen) stepDetail(i int) []string {
	st := s.c.styles
	step, stat := s.steps[i], s.status[i]
	lines := []string{st.title.Render(fmt.Sprintf("Step %d · %s", step.Number, step.Title))}
	lines = append(lines, wrapAll([]string{step.Explain}, s.c.width)...)
	if stat.note != "" {
		style := st.muted.Render
		if stat.isErr {
			style = st.errorLine.Render
		}
		lines = append(lines, style(printable(stat.note)))
	}
	if stat.doing == labRunning && s.run != nil && s.busy == step.Number {
		return append(lines, s.liveLines()...)
	}
	res, ran := s.lab.Result(step.Number)
	if !ran {
		lines = append(lines, st.label.Render("The lab expects:"))
		for _, e := range step.Expect {
			lines = append(lines, "  • "+e)
		}
		return lines
	}
	if res.Problem != "" {
		return append(lines, st.errorLine.Render("✗ "+printable(res.Problem)))
	}
	sum := res.Run.Summary()
	lines = append(lines, st.muted.Render(fmt.Sprintf("%d requests · %.0f req/s · p50 %s · p99 %s · %d failures%s",
		sum.Requests, sum.RPS, durText(sum.P50), durText(sum.P99), sum.Failures, lagText(res))))
	for _, c := range res.Checks {
		line := s.verdictStyle(c.Verdict)(labMark(c.Verdict)) + " " + c.Expect + " — " + c.Got
		lines = append(lines, wrapAll([]string{line}, s.c.width)...)
		if c.Why != "" {
			lines = append(lines, wrapAll([]string{st.muted.Render("    " + printable(c.Why))}, s.c.width)...)
		}
	}
	return lines
}

func lagText(r tune.LabResult) string {
	if !r.LagKnown {
		return ""
	}
	return fmt.Sprintf(" · sandbox lag p99 %s", durText(r.LagP99))
}

// liveLines are the running step's numbers and its latency chart.
func (s labScreen) liveLines() []string {
	st := s.c.styles
	t := s.sample.snap.Total
	lines := []string{st.section.Render(fmt.Sprintf("%s · %d users · %d requests · %.0f req/s · avg %s · max %s · %d failures",
		s.progressText(), s.sample.snap.Users, t.Requests, t.CurrentRPS, durText(t.Average), durText(t.Max), t.Failures))}
	room := s.c.bodyHeight() - 4 - len(s.steps) - len(lines) - 8
	if room < 5 {
		return lines
	}
	// The chart changes once a second (a window closes), the View far more
	// often: draw it again only when what it shows changed.
	height, w := min(room, 20), s.sample.windows
	key := fmt.Sprintf("%d/%d/%d", s.c.width, height, len(w))
	if s.chartMemo != nil && s.chartMemo.key == key {
		return append(lines, s.chartMemo.lines...)
	}
	chart := chartSpec{title: "latency", span: max(s.sample.at, s.runTime), format: msText, lines: []chartLine{
		windowLine("p50", st.okLine, w, func(w load.Window) float64 { return millisOf(w.P50) }),
		windowLine("p95", st.section, w, func(w load.Window) float64 { return millisOf(w.P95) }),
		windowLine("max", st.errorLine, w, func(w load.Window) float64 { return millisOf(w.Max) }),
	}}
	drawn := chart.draw(st, s.c.width, height)
	if s.chartMemo != nil {
		s.chartMemo.key, s.chartMemo.lines = key, drawn
	}
	return append(lines, drawn...)
}

func (s labScreen) footLines() []string {
	st := s.c.styles
	switch {
	case len(s.saved) > 0:
		return []string{"", st.okLine.Render("saved " + strings.Join(s.saved, ", "))}
	case s.allRun() && s.changed:
		return []string{"", st.warn.Render("All four steps ran. x restores the function as the lab found it; e exports the report to hand in.")}
	case s.allRun():
		return []string{"", st.muted.Render("All four steps ran. e exports the report to hand in.")}
	}
	return nil
}

func (s labScreen) allRun() bool {
	for _, step := range s.steps {
		if _, ok := s.lab.Result(step.Number); !ok {
			return false
		}
	}
	return len(s.steps) > 0
}

// fitAll cuts every line to width.
func fitAll(lines []string, width int) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = fit(l, width, false)
	}
	return out
}

// writeLabReport writes the lab's report as Markdown and HTML next to each
// other in dir, named prefix with the extension of each.
func writeLabReport(ctx context.Context, lab *tune.Lab, dir, prefix string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var files []string
	for _, f := range []struct {
		format tune.Format
		ext    string
	}{{tune.FormatMarkdown, ".md"}, {tune.FormatHTML, ".html"}} {
		path := filepath.Join(dir, prefix+f.ext)
		out, err := os.Create(path)
		if err != nil {
			return files, err
		}
		err = lab.Report(ctx, f.format, out)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}
