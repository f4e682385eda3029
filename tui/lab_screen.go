package tui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/tune"
)

// labScreen walks the AWS lab's four steps on one function: a short form
// for the load test every step runs, then the steps as a checklist. Running
// a step plans the changes it needs against the function as it is now,
// asks for each in the edit dialog (preview, confirm, progress), runs the
// load test with a live latency chart, and shows the trainee's numbers next
// to what the lab expects. The restore and the report are one key each.
// The lab itself (steps, plans, verdicts) is tune.Lab: the screen holds
// only what it shows.
type labScreen struct {
	c        *common
	id       int
	keys     labKeys
	function string
	phase    labPhase
	form     form
	target   *tune.LoadTarget
	lab      *tune.Lab
	// settingsUsed is the load test every step runs, as the form gave it.
	settingsUsed tune.LoadSettings
	steps        []tune.LabStep
	sel          int // the step the cursor is on, 0-based
	status       []labStepStatus
	// busy is the step (1-based) being changed or run, 0 when none;
	// restoring is true while the restore is asked or applied.
	busy      int
	restoring bool
	// The live run of the busy step.
	run     *load.Run
	cancel  context.CancelFunc
	started time.Time
	sample  loadSample
	runTime time.Duration
	// chartMemo keeps the live chart's last drawing (shared by the copies
	// of the screen Bubble Tea makes).
	chartMemo *chartCache
	// state is the function now against its original configuration;
	// changed is true when a restore has something to do.
	state   string
	changed bool
	err     error
	saved   []string
}

type labPhase int

const (
	labSetup labPhase = iota
	labReady
)

// labStepStatus is what the checklist says of one step beside its result.
type labStepStatus struct {
	doing labDoing
	note  string
	isErr bool
}

type labDoing int

const (
	labIdle labDoing = iota
	labPlanning
	labConfirming
	labRunning
)

// The lab form's fields.
const (
	labFieldTarget = iota
	labFieldUsers
	labFieldSpawn
	labFieldRunTime
)

// labDefaultRunTime is a step's load test unless the trainee types another:
// long enough for 100 users at 3/s to be all started (34 s) and run a while.
const labDefaultRunTime = 60 * time.Second

type (
	labTargetMsg struct {
		id     int
		target tune.LoadTarget
	}
	labReadyMsg struct {
		id  int
		lab *tune.Lab
		err error
	}
	labPlanMsg struct {
		id, step int
		plan     tune.Plan
		done     bool
		err      error
	}
	labRunStartedMsg struct {
		id, step int
		run      *load.Run
		next     tea.Cmd
	}
	labRunDoneMsg struct {
		id, step int
		result   tune.LabResult
		err      error
	}
	labSampleMsg struct {
		id      int
		snap    load.Snapshot
		at      time.Duration
		from    int
		windows []load.Window
	}
	labRestorePlanMsg struct {
		id   int
		plan tune.Plan
		done bool
		err  error
	}
	labStateMsg struct {
		id      int
		state   string
		changed bool
		err     error
	}
	labReportMsg struct {
		id    int
		files []string
		err   error
	}
	labLeaveMsg struct{ id int }
)

// newLabScreen opens the lab on function; it finds the API in front of it
// (the lab stack's ProductApiUrl) for the form.
func newLabScreen(c *common, function string) (labScreen, tea.Cmd) {
	s := labScreen{c: c, id: c.newID(), keys: newLabKeys(), function: function, runTime: labDefaultRunTime}
	if saved, ok := c.loadTargets[function]; ok {
		s.target = &saved
	}
	s.form = newLabForm(s.target)
	if s.target != nil {
		return s, nil
	}
	session, ctx, id := c.session, c.ctx, s.id
	return s, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		d, err := session.Detail(ctx, function)
		if err != nil {
			return labReadyMsg{id: id, err: err}
		}
		return labTargetMsg{id: id, target: session.FindLoadTarget(ctx, d)}
	}
}

// prefill puts what the command line gave in the form.
func (s labScreen) prefill(runTime time.Duration, url string) labScreen {
	if runTime > 0 {
		fl := &s.form.fields[labFieldRunTime]
		fl.input.SetValue(runTime.String())
		fl.err = fl.check(fl.input.Value())
	}
	if url != "" {
		t, err := tune.ParseLoadTarget(url)
		if err == nil {
			t.Source = "--url"
			s.target = &t
			s.form = s.form.withTarget(t)
		}
	}
	return s
}

func newLabForm(target *tune.LoadTarget) form {
	targetText, hint := "", "finding the API in front of the function…"
	if target != nil {
		targetText, hint = target.String(), target.Source
	}
	return newForm(
		newField("target", targetText, hint, checkTarget),
		newField("users", strconv.Itoa(tune.DefaultUsers), "the lab's Locust users (100)", checkUsers),
		newField("spawn rate", fmt.Sprint(tune.DefaultSpawnRate), "users started per second (the lab's 3)", checkPositive("spawn rate")),
		newField("run time", labDefaultRunTime.String(), "each step's load test: 60s, 2m, 3m (the lab's)", checkRunTime),
	)
}

// settings reads the form into the lab's load test.
func (s labScreen) settings() (tune.LoadSettings, error) {
	f := s.form
	if i, err := f.firstError(); err != nil {
		return tune.LoadSettings{}, fmt.Errorf("%s: %w", f.fields[i].label, err)
	}
	target, _ := tune.ParseLoadTarget(f.value(labFieldTarget))
	if s.target != nil && target.String() == s.target.String() {
		target.Source = s.target.Source
	}
	runTime, _ := tune.ParseRunTime(f.value(labFieldRunTime))
	ls := tune.DefaultLabSettings(target, runTime)
	ls.Users, _ = strconv.Atoi(f.value(labFieldUsers))
	ls.SpawnRate, _ = strconv.ParseFloat(f.value(labFieldSpawn), 64)
	return ls, ls.Validate()
}

func (s labScreen) Title() string   { return "Lab · " + s.function }
func (s labScreen) Capturing() bool { return s.phase == labSetup }

func (s labScreen) Keys() help.KeyMap {
	k := s.keys
	if s.phase == labSetup {
		return keyMap{short: []key.Binding{k.Begin, k.Fields, k.Back}}
	}
	if s.run != nil {
		return keyMap{short: []key.Binding{k.Move, k.Stop, k.Back}}
	}
	if s.busy != 0 || s.restoring {
		return keyMap{short: []key.Binding{k.Move, k.Back}}
	}
	return keyMap{short: []key.Binding{k.Move, k.Run, k.Restore, k.Report, k.Back}}
}

func (s labScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case labTargetMsg:
		if msg.id == s.id && s.target == nil {
			s.target = &msg.target
			s.form = s.form.withTarget(msg.target)
		}
	case labReadyMsg:
		return s.onReady(msg)
	case labPlanMsg:
		return s.onPlan(msg)
	case plannedClosedMsg:
		return s.onPlannedClosed(msg)
	case labRunStartedMsg:
		if msg.id == s.id && msg.step == s.busy {
			s.run, s.started, s.sample, s.chartMemo = msg.run, s.c.clock.Now(), loadSample{}, &chartCache{}
			return s, tea.Batch(msg.next, s.tick())
		}
	case labSampleMsg:
		return s.onSample(msg)
	case labRunDoneMsg:
		return s.onRunDone(msg)
	case labRestorePlanMsg:
		return s.onRestorePlan(msg)
	case labStateMsg:
		if msg.id == s.id {
			s.state, s.changed = msg.state, msg.changed
			if msg.err != nil {
				s.state = "could not read the function: " + aws.Explain(msg.err)
			}
		}
	case labReportMsg:
		if msg.id == s.id {
			s.saved, s.err = msg.files, msg.err
		}
	case labLeaveMsg:
		if msg.id == s.id {
			return s.leave()
		}
	case tea.KeyPressMsg:
		return s.onKey(msg)
	default:
		if s.phase == labSetup {
			var cmd tea.Cmd
			s.form, cmd = s.form.Update(msg)
			return s, cmd
		}
	}
	return s, nil
}

func (s labScreen) onKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	k := s.keys
	if s.phase == labSetup {
		switch {
		case key.Matches(msg, k.Back):
			s.c.pop()
			return s, nil
		case key.Matches(msg, k.Begin):
			return s.begin()
		}
		var cmd tea.Cmd
		s.form, cmd = s.form.Update(msg)
		s.err = nil
		return s, cmd
	}
	switch {
	case key.Matches(msg, k.Move):
		if msg.String() == "up" || msg.String() == "k" {
			s.sel = (s.sel + len(s.steps) - 1) % len(s.steps)
		} else {
			s.sel = (s.sel + 1) % len(s.steps)
		}
	case key.Matches(msg, k.Back):
		return s.askLeave()
	case s.run != nil && key.Matches(msg, k.Stop):
		s.run.Stop()
		return s, status("stopping the load test: the step is judged on what ran", false)
	case s.busy != 0 || s.restoring:
		return s, status(fmt.Sprintf("step %d is under way", max(s.busy, 1)), true)
	case key.Matches(msg, k.Run):
		return s.startStep(s.sel + 1)
	case key.Matches(msg, k.Restore):
		return s.startRestore()
	case key.Matches(msg, k.Report):
		return s, s.reportCmd()
	}
	return s, nil
}

// begin reads the form and sets the lab up: the function's configuration
// now is what the restore brings back.
func (s labScreen) begin() (screen, tea.Cmd) {
	ls, err := s.settings()
	if err != nil {
		s.err = err
		return s, nil
	}
	s.c.loadTargets[s.function] = ls.Target
	s.runTime, s.settingsUsed, s.err = ls.RunTime, ls, nil
	session, ctx, id, fn := s.c.session, s.c.ctx, s.id, s.function
	return s, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		lab, err := tune.NewLab(ctx, session, tune.LabOptions{Function: fn, Settings: ls})
		return labReadyMsg{id: id, lab: lab, err: err}
	}
}

func (s labScreen) onReady(msg labReadyMsg) (screen, tea.Cmd) {
	if msg.id != s.id {
		return s, nil
	}
	if msg.err != nil {
		s.err = msg.err
		return s, nil
	}
	s.lab, s.steps, s.phase = msg.lab, msg.lab.Steps(), labReady
	s.status = make([]labStepStatus, len(s.steps))
	return s, s.stateCmd()
}

// startStep plans step n's first change; the dialog asks for each in turn.
func (s labScreen) startStep(n int) (screen, tea.Cmd) {
	if s.c.readOnly() {
		return s, status(aws.ErrReadOnly.Error()+": the lab changes the function at every step", true)
	}
	s.busy, s.saved = n, nil
	s.status[n-1] = labStepStatus{doing: labPlanning}
	return s, s.planCmd(n)
}

func (s labScreen) planCmd(n int) tea.Cmd {
	lab, ctx, id := s.lab, s.c.ctx, s.id
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		plan, done, err := lab.NextChange(ctx, n)
		return labPlanMsg{id: id, step: n, plan: plan, done: done, err: err}
	}
}

func (s labScreen) onPlan(msg labPlanMsg) (screen, tea.Cmd) {
	if msg.id != s.id || msg.step != s.busy {
		return s, nil
	}
	i := msg.step - 1
	switch {
	case msg.err != nil:
		s.busy = 0
		s.status[i] = labStepStatus{note: "could not plan the step's change: " + aws.Explain(msg.err) + " (enter tries again)", isErr: true}
		return s, nil
	case msg.done:
		return s.startRun(msg.step)
	}
	s.status[i] = labStepStatus{doing: labConfirming, note: "asking: " + msg.plan.Title()}
	return s, openPlannedDialog(s.c, s.id, msg.plan, tune.PathLab)
}

// onPlannedClosed goes on with the step (or the restore) once the dialog
// that asked for its change is closed.
func (s labScreen) onPlannedClosed(msg plannedClosedMsg) (screen, tea.Cmd) {
	if msg.owner != s.id {
		return s, nil
	}
	if s.restoring {
		s.restoring = false
		switch {
		case msg.outcome == nil:
			return s, status("not restored: the function stays as it is", false)
		case msg.outcome.Err != nil:
			s.err = fmt.Errorf("the restore did not finish: %s", aws.Explain(msg.outcome.Err))
		default:
			s.err = nil
		}
		return s, s.stateCmd()
	}
	if s.busy == 0 {
		return s, nil
	}
	i := s.busy - 1
	switch {
	case msg.outcome == nil:
		s.status[i], s.busy = labStepStatus{note: "not run: the step's change was declined"}, 0
		return s, s.stateCmd()
	case msg.outcome.Err != nil:
		note := "the change failed: " + aws.Explain(msg.outcome.Err)
		if len(msg.outcome.RolledBack) > 0 {
			note += " (put back as it was)"
		}
		s.status[i], s.busy = labStepStatus{note: note + " — enter tries again", isErr: true}, 0
		return s, s.stateCmd()
	}
	s.status[i] = labStepStatus{doing: labPlanning}
	return s, tea.Batch(s.planCmd(s.busy), s.stateCmd())
}

// startRun runs step n's load test in the background; the run is sampled
// for the live view until tune.Lab.Run returns the judged result.
func (s labScreen) startRun(n int) (screen, tea.Cmd) {
	s.status[n-1] = labStepStatus{doing: labRunning}
	// Not the console's context: quitting stops the run through the
	// background registry, which then waits until the run is recorded.
	ctx, cancel := context.WithCancel(context.WithoutCancel(s.c.ctx))
	s.cancel = cancel
	finished := s.c.background.start(s.id, cancel)
	runs := make(chan *load.Run, 1)
	done := make(chan labRunDoneMsg, 1)
	lab, id := s.lab, s.id
	go func() {
		defer finished()
		defer cancel()
		res, err := lab.Run(ctx, n, func(r *load.Run) { runs <- r })
		done <- labRunDoneMsg{id: id, step: n, result: res, err: err}
	}()
	awaitDone := func() tea.Msg { return <-done }
	return s, tea.Batch(s.stateCmd(), func() tea.Msg {
		select {
		case r := <-runs:
			return labRunStartedMsg{id: id, step: n, run: r, next: awaitDone}
		case m := <-done:
			return m
		}
	})
}

func (s labScreen) tick() tea.Cmd {
	run, id, from, started, clk := s.run, s.id, len(s.sample.windows), s.started, s.c.clock
	return tea.Tick(loadTick, func(time.Time) tea.Msg {
		return labSampleMsg{id: id, snap: run.Snapshot(), at: clk.Now().Sub(started), from: from, windows: run.Windows(from)}
	})
}

func (s labScreen) onSample(msg labSampleMsg) (screen, tea.Cmd) {
	if msg.id != s.id || s.run == nil {
		return s, nil
	}
	windows := s.sample.windows
	if msg.from == len(windows) {
		windows = append(windows, msg.windows...)
	}
	s.sample = loadSample{snap: msg.snap, at: msg.at, windows: windows}
	return s, s.tick()
}

func (s labScreen) onRunDone(msg labRunDoneMsg) (screen, tea.Cmd) {
	if msg.id != s.id {
		return s, nil
	}
	i := msg.step - 1
	s.run, s.busy, s.cancel = nil, 0, nil
	switch {
	case errors.Is(msg.err, context.Canceled):
		s.status[i] = labStepStatus{note: "stopped: the run so far is in the journal"}
	case msg.err != nil:
		s.status[i] = labStepStatus{note: "could not run: " + aws.Explain(msg.err) + " (enter tries again)", isErr: true}
	default:
		s.status[i] = labStepStatus{}
		if s.sel == i && i+1 < len(s.steps) {
			s.sel = i + 1 // on to the next step; its explanation shows
		}
	}
	return s, s.stateCmd()
}

// startRestore plans the way back to the configuration the lab found.
func (s labScreen) startRestore() (screen, tea.Cmd) {
	if s.c.readOnly() {
		return s, status(aws.ErrReadOnly.Error(), true)
	}
	s.restoring = true
	lab, ctx, id := s.lab, s.c.ctx, s.id
	return s, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		plan, done, err := lab.RestorePlan(ctx)
		return labRestorePlanMsg{id: id, plan: plan, done: done, err: err}
	}
}

func (s labScreen) onRestorePlan(msg labRestorePlanMsg) (screen, tea.Cmd) {
	if msg.id != s.id {
		return s, nil
	}
	switch {
	case msg.err != nil:
		s.restoring = false
		s.err = fmt.Errorf("could not plan the restore: %s", aws.Explain(msg.err))
		return s, nil
	case msg.done:
		s.restoring = false
		return s, tea.Batch(status("nothing to restore: the function is as the lab found it", false), s.stateCmd())
	}
	return s, openPlannedDialog(s.c, s.id, msg.plan, tune.PathLab)
}

func (s labScreen) stateCmd() tea.Cmd {
	if s.lab == nil {
		return nil
	}
	lab, ctx, id := s.lab, s.c.ctx, s.id
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		state, err := lab.State(ctx)
		if err != nil {
			return labStateMsg{id: id, err: err}
		}
		_, same, err := lab.RestorePlan(ctx)
		return labStateMsg{id: id, state: state, changed: !same, err: err}
	}
}

// reportCmd writes the session's report, Markdown and HTML, with every step.
func (s labScreen) reportCmd() tea.Cmd {
	lab, ctx, id, dir := s.lab, s.c.ctx, s.id, s.c.exportDir
	stamp := s.c.clock.Now().UTC().Format("20060102-150405")
	return func() tea.Msg {
		files, err := writeLabReport(ctx, lab, dir, "lab-"+safeFileName(lab.Function())+"-"+stamp)
		return labReportMsg{id: id, files: files, err: err}
	}
}

// askLeave leaves the lab, asking first when a step runs or the function
// is no longer as the lab found it.
func (s labScreen) askLeave() (screen, tea.Cmd) {
	if s.phase == labSetup {
		s.c.pop()
		return s, nil
	}
	var why []string
	if s.run != nil || s.busy != 0 {
		why = append(why, fmt.Sprintf("Step %d is under way; leaving stops its load test (what ran is kept).", s.busy))
	}
	if s.changed {
		why = append(why, "The function stays at: "+s.state+".", "Stay and press x to restore it first.")
	}
	if len(why) == 0 {
		return s.leave()
	}
	yes := func() tea.Msg { return labLeaveMsg{id: s.id} }
	s.c.openOverlay(newConfirm(s.c, "Leave the lab?", why, yes))
	return s, nil
}

func (s labScreen) leave() (screen, tea.Cmd) {
	if s.cancel != nil {
		s.cancel()
	}
	s.c.pop()
	if s.changed {
		return s, status("left the lab; the function is at: "+s.state, false)
	}
	return s, nil
}

type labKeys struct {
	Begin, Fields, Move, Run, Stop, Restore, Report, Back key.Binding
}

func newLabKeys() labKeys {
	return labKeys{
		Begin:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "begin the lab")),
		Fields:  key.NewBinding(key.WithKeys("up", "down", "tab"), key.WithHelp("↑/↓", "field")),
		Move:    key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑/↓", "step")),
		Run:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run the step")),
		Stop:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "stop the load")),
		Restore: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "restore the function")),
		Report:  key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export the report")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}
