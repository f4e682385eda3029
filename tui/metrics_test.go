package tui

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/tune"
)

// series builds a 1-second series from values; nil is a period without a
// datapoint and pending marks the last n periods as not yet published.
func series(start time.Time, pending int, values ...any) aws.Series {
	s := aws.Series{}
	for i, v := range values {
		pt := aws.Point{Time: start.Add(time.Duration(i) * time.Second), State: aws.PointNoData}
		if f, ok := v.(float64); ok {
			pt.Value, pt.State = f, aws.PointValue
		}
		if i >= len(values)-pending {
			pt.State = aws.PointPending
		}
		s.Points = append(s.Points, pt)
	}
	return s
}

func panelFixture(t *testing.T) metricsPanel {
	t.Helper()
	c := &common{where: tune.Where{Sandbox: true}, styles: newStyles(true), clock: clock.NewManual(epoch), width: 120, height: 40,
		log: slog.New(slog.DiscardHandler)}
	return newMetricsPanel(c, "product-api")
}

func TestMetricsPanelValues(t *testing.T) {
	p := panelFixture(t)
	reserved := int32(50)
	p = p.setConcurrency(aws.FunctionDetail{Function: aws.Function{Name: "product-api", Concurrency: aws.Concurrency{
		Known: true, Reserved: &reserved, Provisioned: []aws.ProvisionedConcurrency{{Qualifier: "live", Requested: 40}}}}})
	m := aws.FunctionMetrics{
		Period:                            time.Second,
		InvocationsPerSecond:              series(epoch, 1, 150.0, 190.0, 201.0, 198.0, nil),
		Invocations:                       series(epoch, 1, 150.0, 190.0, 201.0, 198.0, nil),
		Errors:                            series(epoch, 1, 0.0, 0.0, 1.0, 0.0, nil),
		Throttles:                         series(epoch, 1, 0.0, 0.0, 0.0, 0.0, nil),
		DurationAverage:                   series(epoch, 1, 95.0, 91.0, 92.4, 90.1, nil),
		DurationP99:                       series(epoch, 1, 240.0, 230.0, 250.0, 238.0, nil),
		DurationMaximum:                   series(epoch, 1, 1020.0, 300.0, 280.0, 260.0, nil),
		ConcurrentExecutions:              series(epoch, 1, 12.0, 22.0, 25.0, 21.0, nil),
		ProvisionedConcurrentExecutions:   series(epoch, 1, 12.0, 22.0, 25.0, 21.0, nil),
		ProvisionedConcurrencyUtilization: series(epoch, 1, 0.3, 0.55, 0.625, 0.525, nil),
		SpilloverInvocations:              series(epoch, 1, nil, nil, nil, nil, nil),
		ColdStarts:                        series(epoch, 1, 2.0, nil, 1.0, nil, nil),
		InitDurationAverage:               series(epoch, 1, 400.0, nil, 406.0, nil, nil),
	}
	for i := range 5 {
		m.Times = append(m.Times, epoch.Add(time.Duration(i)*time.Second))
	}
	p, _ = p.Update(metricsMsg{panel: p.id, metrics: m, at: epoch.Add(5 * time.Second)})
	view := ansi.Strip(p.View(120))
	for _, want := range []string{
		"Live metrics · AWS/Lambda · 1-s periods over the last 3 min · updated 09:00:05",
		"198.0/s", "90.1 ms · p99 238 ms", "260 ms", "21 now · peak 25",
		"── reserved 50", "── provisioned 40", "52% used on live · spillover 0",
		"3 · init 402 ms, not in Duration",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("panel lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "no data") {
		t.Errorf("panel with data says no data:\n%s", view)
	}
}

func TestMetricsPanelNoDataIsNotZero(t *testing.T) {
	p := panelFixture(t)
	empty := series(epoch, 1, nil, nil, nil)
	m := aws.FunctionMetrics{Times: []time.Time{epoch, epoch.Add(time.Second), epoch.Add(2 * time.Second)}, Period: time.Second,
		Invocations: empty, InvocationsPerSecond: empty, Throttles: empty, ConcurrentExecutions: empty}
	p, _ = p.Update(metricsMsg{panel: p.id, metrics: m, at: epoch})
	view := ansi.Strip(p.View(120))
	if !strings.Contains(view, "no data: no invocations in the last 3 min") || strings.Contains(view, "0.0/s") {
		t.Fatalf("empty window rendered as:\n%s", view)
	}
}

func TestMetricsPanelErrorAndStaleMessages(t *testing.T) {
	p := panelFixture(t)
	p, _ = p.Update(metricsMsg{panel: p.id + 1, err: errors.New("from an older panel")})
	if p.err != nil {
		t.Fatal("a message for another panel was applied")
	}
	p, _ = p.Update(metricsMsg{panel: p.id, err: aws.ErrReadOnly})
	view := ansi.Strip(p.View(120))
	if !strings.Contains(view, "✗ metrics unavailable: read-only mode") {
		t.Fatalf("error rendered as:\n%s", view)
	}
}

func TestPendingNote(t *testing.T) {
	s := series(epoch, 3, 5.0, 6.0, nil, nil, nil)
	if got := formatCount(s, "%.0f"); got != "6 (3 pending)" {
		t.Fatalf("formatCount = %q", got)
	}
	if got := formatDuration(series(epoch, 0, 1500.0)); got != "1.50 s" {
		t.Fatalf("formatDuration = %q", got)
	}
}
