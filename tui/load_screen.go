package tui

import (
	"context"
	"fmt"
	"math"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/tune"
)

// loadScreen is the load test of one function: a form with the lab's
// defaults, then the live view while the engine runs (Locust's table and
// charts sampled four times a second), then the summary and the export.
// The edit dialogs work here too, so a change can be watched under load.
type loadScreen struct {
	c       *common
	id      int
	keys    loadKeys
	detail  aws.FunctionDetail
	account *aws.Account
	phase   loadPhase
	form    form
	target  *tune.LoadTarget // found, or remembered for this function
	run     *load.Run
	info    load.RunInfo
	started time.Time
	sample  loadSample
	panel   metricsPanel // the function's CloudWatch view, for concurrency
	marks   []chartMark
	view    chartView
	err     error
	saved   []string // files of the last export
	// ranUnder is the configuration when the run started, for its record.
	ranUnder tune.FunctionConfig
	target0  tune.LoadTarget
	recorded *runRecorded // the journal's answer once the run is kept
	// charts keeps the last drawing of the charts: they change once a
	// second (a window closes) while the table changes four times.
	chartMemo *chartCache
}

// chartCache is the last charts drawn and what they were drawn from.
type chartCache struct {
	key   string
	lines []string
}

// runRecorded is what the journal made of the run: its id and, when a change
// came before it, the snapshot it completes.
type runRecorded struct {
	id       int64
	snapshot *tune.Snapshot
	err      error
	// coldStarts and initMs are what CloudWatch (Lambda Insights) counted for
	// the run's window, for an HTTP run that has no REPORT lines.
	coldStarts tune.Count
	initMs     *float64
}

type loadPhase int

const (
	phaseForm loadPhase = iota
	phaseRunning
	phaseFinished
)

// loadSample is the engine's state as of one tick: its own copies.
type loadSample struct {
	snap    load.Snapshot
	windows []load.Window
	at      time.Duration
}

// chartMark is a change made during the run, drawn as a vertical rule.
type chartMark struct {
	at    time.Duration
	label string
}

// loadTick is how often the live view samples the engine.
const loadTick = 250 * time.Millisecond

type (
	loadTargetMsg struct {
		id     int
		target tune.LoadTarget
	}
	loadSampleMsg struct {
		id      int
		snap    load.Snapshot
		at      time.Duration
		from    int
		windows []load.Window // closed since window from
		done    bool
	}
	loadExportMsg struct {
		id    int
		files []string
		err   error
	}
	loadRecordedMsg struct {
		id  int
		rec runRecorded
	}
)

func newLoadScreen(c *common, d aws.FunctionDetail, account *aws.Account) (loadScreen, tea.Cmd) {
	s := loadScreen{c: c, id: c.newID(), keys: newLoadKeys(c.readOnly()), detail: d, account: account, panel: newMetricsPanel(c, d.Name)}
	s.panel = s.panel.setConcurrency(d)
	if saved, ok := c.loadTargets[d.Name]; ok {
		s.target = &saved
	}
	s.form = newLoadForm(s.target)
	if s.target != nil {
		return s, nil
	}
	session, ctx, id := c.session, c.ctx, s.id
	return s, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		return loadTargetMsg{id: id, target: session.FindLoadTarget(ctx, d)}
	}
}

func (s loadScreen) Title() string   { return "Load test · " + s.detail.Name }
func (s loadScreen) Capturing() bool { return s.phase == phaseForm }

func (s loadScreen) Keys() help.KeyMap {
	switch s.phase {
	case phaseForm:
		return s.keys.formKeys()
	case phaseRunning:
		return s.keys.runningKeys()
	}
	return s.keys.finishedKeys()
}

func (s loadScreen) facts() (tune.Facts, bool) {
	if s.account == nil {
		return tune.Facts{}, false
	}
	avg := s.panel.averageDuration()
	return tune.Facts{Detail: s.detail, Account: *s.account, AverageDurationMs: avg, Prices: s.c.session.Prices()}, true
}

func (s loadScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case loadTargetMsg:
		if msg.id == s.id && s.target == nil {
			s.target = &msg.target
			s.form = s.form.withTarget(msg.target)
		}
	case loadSampleMsg:
		return s.onSample(msg)
	case loadExportMsg:
		if msg.id == s.id {
			s.saved, s.err = msg.files, msg.err
		}
	case loadRecordedMsg:
		if msg.id == s.id {
			s.recorded = &msg.rec
		}
	case detailMsg:
		if msg.name == s.detail.Name && msg.err == nil {
			s.detail = msg.detail
			s.panel = s.panel.setConcurrency(msg.detail)
		}
	case accountMsg:
		if msg.err == nil {
			s.account = &msg.account
		}
	case changeDoneMsg:
		return s.onChange(msg)
	case stopAndLeaveMsg:
		if msg.id == s.id {
			s.c.pop()
			return s.stop(), nil
		}
	case metricsTickMsg, metricsMsg:
		var cmd tea.Cmd
		s.panel, cmd = s.panel.Update(msg)
		return s, cmd
	case tea.KeyPressMsg:
		return s.onKey(msg)
	default:
		if s.phase == phaseForm {
			var cmd tea.Cmd
			s.form, cmd = s.form.Update(msg)
			return s, cmd
		}
	}
	return s, nil
}

// onChange marks a change made during the run and re-reads the function,
// so the reserved and provisioned levels on the charts follow.
func (s loadScreen) onChange(msg changeDoneMsg) (screen, tea.Cmd) {
	if msg.function != s.detail.Name {
		return s, nil
	}
	if s.phase == phaseRunning {
		s.marks = append(s.marks, chartMark{at: s.c.clock.Now().Sub(s.started), label: msg.outcome.Plan.Title()})
	}
	return s, tea.Batch(loadDetailCmd(s.c.ctx, s.c.session, s.detail.Name), loadAccountCmd(s.c.ctx, s.c.session))
}

// start checks the form, builds the engine's configuration and starts it.
func (s loadScreen) start() (screen, tea.Cmd) {
	settings, err := s.form.settings()
	if err != nil {
		s.err = err
		return s, nil
	}
	if settings.Target.Kind == tune.TargetInvoke && s.c.readOnly() {
		s.err = fmt.Errorf("read-only mode: Invoke is a write (it runs the function), so a load test by Invoke is blocked; give an HTTP URL")
		return s, nil
	}
	cfg, err := s.c.session.LoadConfig(settings)
	if err != nil {
		s.err = err
		return s, nil
	}
	run, err := load.Start(s.c.ctx, cfg)
	if err != nil {
		s.err = err
		return s, nil
	}
	remembered := settings.Target
	if s.target != nil && remembered.String() == s.target.String() {
		remembered.Source = s.target.Source // found, not typed: keep saying where from
	}
	s.c.loadTargets[s.detail.Name] = remembered
	s.run, s.info, s.phase, s.err = run, run.Info(), phaseRunning, nil
	s.ranUnder, s.target0, s.recorded = tune.ConfigOf(s.detail), settings.Target, nil
	s.started, s.marks, s.saved, s.sample = s.c.clock.Now(), nil, nil, loadSample{}
	s.chartMemo = &chartCache{}
	var refresh tea.Cmd
	s.panel, refresh = s.panel.refresh()
	return s, tea.Batch(s.tick(), refresh, s.panel.tick())
}

// tick samples the engine after loadTick, in the timer's goroutine: one
// message (and one frame) per sample.
func (s loadScreen) tick() tea.Cmd {
	sample := s.sampler()
	return tea.Tick(loadTick, func(time.Time) tea.Msg { return sample() })
}

// sampleCmd samples the engine now (after a stop), off the UI's goroutine.
func (s loadScreen) sampleCmd() tea.Cmd {
	sample := s.sampler()
	return func() tea.Msg { return sample() }
}

// sampler copies the engine's statistics and the windows closed since the
// last sample.
func (s loadScreen) sampler() func() loadSampleMsg {
	run, id, from, started, clk := s.run, s.id, len(s.sample.windows), s.started, s.c.clock
	return func() loadSampleMsg {
		done := false
		select {
		case <-run.Done():
			done = true
		default:
		}
		return loadSampleMsg{id: id, snap: run.Snapshot(), at: clk.Now().Sub(started), from: from, windows: run.Windows(from), done: done}
	}
}

func (s loadScreen) onSample(msg loadSampleMsg) (screen, tea.Cmd) {
	if msg.id != s.id || s.run == nil {
		return s, nil
	}
	windows := s.sample.windows
	if msg.from == len(windows) {
		windows = append(windows, msg.windows...)
	}
	s.sample = loadSample{snap: msg.snap, at: msg.at, windows: windows}
	if !msg.done {
		return s, s.tick()
	}
	s.phase = phaseFinished
	return s, s.recordCmd()
}

// recordCmd keeps the finished run in the journal and looks up the snapshot
// it completes, off the UI's goroutine.
func (s loadScreen) recordCmd() tea.Cmd {
	session := s.c.session
	if session.Journal() == nil {
		return nil
	}
	meta := tune.RunMeta{Function: s.detail.Name, Path: tune.PathConsole, Config: s.ranUnder, ConfigKnown: true}
	if s.target0.Kind == tune.TargetInvoke {
		meta.Qualifier = s.target0.Qualifier
	} else if _, ok := s.ranUnder.AliasVersion(tune.DefaultAlias); ok && s.c.where.Sandbox {
		meta.Qualifier = tune.DefaultAlias // the sandbox's API invokes the lab's alias when it exists
	}
	run, id, ctx := s.run, s.id, s.c.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		runID, record, err := session.RecordRun(ctx, run, meta)
		rec := runRecorded{id: runID, err: err, coldStarts: record.ColdStarts()}
		if record.CloudWatch != nil {
			rec.initMs = record.CloudWatch.InitDurationAverageMs
		}
		if err == nil {
			rec.snapshot = completedSnapshot(ctx, session, meta.Function, runID)
		}
		return loadRecordedMsg{id: id, rec: rec}
	}
}

// completedSnapshot is the change snapshot whose after-run is runID, if any.
func completedSnapshot(ctx context.Context, session *tune.Session, function string, runID int64) *tune.Snapshot {
	ts, err := session.TuningSession(ctx, function)
	if err != nil {
		return nil
	}
	for i := range ts.Snapshots {
		snap := ts.Snapshots[i]
		if snap.Kind == tune.KindChange && snap.After != nil && snap.After.ID == runID {
			return &snap
		}
	}
	return nil
}

func (s loadScreen) stop() loadScreen {
	if s.run != nil && s.phase == phaseRunning {
		s.run.Stop()
	}
	return s
}

func (s loadScreen) onKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	switch s.phase {
	case phaseForm:
		return s.onFormKey(msg)
	case phaseRunning:
		return s.onRunningKey(msg)
	}
	return s.onFinishedKey(msg)
}

func (s loadScreen) onFormKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	switch {
	case key.Matches(msg, s.keys.Back):
		s.c.pop()
		return s, nil
	case key.Matches(msg, s.keys.Start):
		return s.start()
	}
	var cmd tea.Cmd
	s.form, cmd = s.form.Update(msg)
	s.err = nil
	return s, cmd
}

func (s loadScreen) onRunningKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	k := s.keys
	if cmd, ok := k.change.open(s.c, msg, s.detail.Name, s.facts); ok {
		return s, cmd
	}
	switch {
	case key.Matches(msg, k.Stop):
		return s.stop(), s.sampleCmd()
	case key.Matches(msg, k.Back):
		yes := func() tea.Msg { return stopAndLeaveMsg{id: s.id} }
		s.c.openOverlay(newConfirm(s.c, "Stop the load test?", []string{"The test is still running; leaving stops it."}, yes))
		return s, nil
	case key.Matches(msg, k.View):
		s.view = (s.view + 1) % chartViews
	case key.Matches(msg, k.More):
		return s.adjust(+1)
	case key.Matches(msg, k.Less):
		return s.adjust(-1)
	}
	return s, nil
}

func (s loadScreen) onFinishedKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	k := s.keys
	switch {
	case key.Matches(msg, k.Back):
		s.c.pop()
		return s, nil
	case key.Matches(msg, k.Again):
		s.phase, s.run = phaseForm, nil
		return s, nil
	case key.Matches(msg, k.Export):
		return s, s.exportCmd()
	case key.Matches(msg, k.View):
		s.view = (s.view + 1) % chartViews
	}
	return s, nil
}

// adjust changes the load while it runs: 10 users more or less in the
// closed model, 10% of the rate in the open model. The moment is marked on
// the charts like a change of the function.
func (s loadScreen) adjust(direction int) (screen, tea.Cmd) {
	users, rate := s.run.Target()
	var err error
	label := ""
	if s.info.Model == "open" {
		rate = math.Max(1, math.Round(rate*(1+0.1*float64(direction))))
		err, label = s.run.SetRate(rate), fmt.Sprintf("rate %g/s", rate)
	} else {
		users = max(1, users+10*direction)
		err, label = s.run.SetUsers(users), fmt.Sprintf("users %d", users)
	}
	if err != nil {
		return s, status(err.Error(), true)
	}
	s.marks = append(s.marks, chartMark{at: s.c.clock.Now().Sub(s.started), label: label})
	return s, status("load now "+label, false)
}

// stopAndLeaveMsg is the confirmed esc of a running test.
type stopAndLeaveMsg struct{ id int }
