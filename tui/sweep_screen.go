package tui

import (
	"context"
	"errors"
	"fmt"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// sweepScreen is the what-if sweep of one function: a form, then the steps
// table and the cost-against-latency chart filling as steps complete, then
// the choice and why. The sweep restores the function when it ends (or is
// stopped); a applies the chosen memory through the normal confirmation.
type sweepScreen struct {
	c       *common
	id      int
	keys    sweepKeys
	detail  aws.FunctionDetail
	phase   sweepPhase
	form    form
	prep    *tune.SweepPrep
	steps   []tune.SweepStep
	now     tune.SweepProgress
	result  *tune.SweepResult
	err     error
	cancel  context.CancelFunc
	stopped bool // the user asked to stop; the sweep is restoring
	memory  int32
}

type sweepPhase int

const (
	sweepForm sweepPhase = iota
	sweepPreparing
	sweepRunning
	sweepDone
)

type sweepKeys struct {
	Start, Stop, Apply, Again, Back key.Binding
}

func newSweepKeys(readOnly bool) sweepKeys {
	return sweepKeys{
		Start: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start the sweep")),
		Stop:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "stop (restores)")),
		Apply: editKey(readOnly, "a", "apply the choice"),
		Again: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new sweep")),
		Back:  backKey("back"),
	}
}

// bindings are the keys of the phase, for the footer and help.
func (s sweepScreen) bindings() []key.Binding {
	k := s.keys
	switch s.phase {
	case sweepForm:
		return []key.Binding{k.Start, k.Back}
	case sweepRunning, sweepPreparing:
		return []key.Binding{k.Stop}
	}
	return []key.Binding{k.Apply, k.Again, k.Back}
}

func (s sweepScreen) Keys() help.KeyMap {
	b := s.bindings()
	return keyMap{short: b, full: [][]key.Binding{b}}
}

func (s sweepScreen) Title() string { return "Sweep · " + s.detail.Name }

// Capturing: the form takes letters as text.
func (s sweepScreen) Capturing() bool { return s.phase == sweepForm }

func newSweepScreen(c *common, d aws.FunctionDetail) (sweepScreen, tea.Cmd) {
	return sweepScreen{c: c, id: c.newID(), keys: newSweepKeys(c.readOnly()), detail: d, form: newSweepForm(), memory: d.MemoryMB}, nil
}

// Messages of a sweep, each carrying the screen's id.
type (
	sweepPreparedMsg struct {
		id   int
		prep tune.SweepPrep
		err  error
	}
	sweepStartMsg    struct{ id int }
	sweepProgressMsg struct {
		id   int
		p    tune.SweepProgress
		next tea.Cmd
	}
	sweepDoneMsg struct {
		id  int
		res tune.SweepResult
		err error
	}
	sweepMemoryMsg struct {
		id     int
		memory int32
	}
)

func (s sweepScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return s.onKey(msg)
	case sweepPreparedMsg:
		if msg.id == s.id {
			return s.onPrepared(msg)
		}
	case sweepStartMsg:
		if msg.id == s.id && s.phase == sweepPreparing {
			return s.start()
		}
	case sweepProgressMsg:
		if msg.id == s.id {
			s.now, s.steps = msg.p, msg.p.Done
			return s, msg.next
		}
	case sweepDoneMsg:
		if msg.id == s.id {
			return s.onDone(msg)
		}
	case changeDoneMsg:
		if msg.function == s.detail.Name {
			return s, s.readMemory()
		}
	case openMemoryDialogMsg:
		if msg.facts.Detail.Name == s.detail.Name {
			return s.onOpenMemoryDialog(msg)
		}
	case sweepMemoryMsg:
		if msg.id == s.id {
			s.memory = msg.memory
		}
	}
	if s.phase == sweepForm {
		var cmd tea.Cmd
		s.form, cmd = s.form.Update(msg)
		return s, cmd
	}
	return s, nil
}

func (s sweepScreen) onKey(msg tea.KeyPressMsg) (screen, tea.Cmd) {
	k := s.keys
	switch s.phase {
	case sweepForm:
		switch {
		case key.Matches(msg, k.Back):
			s.c.pop()
			return s, nil
		case key.Matches(msg, k.Start):
			return s.prepare()
		}
		var cmd tea.Cmd
		s.form, cmd = s.form.Update(msg)
		return s, cmd
	case sweepRunning, sweepPreparing:
		if key.Matches(msg, k.Stop) && s.cancel != nil && !s.stopped {
			s.cancel()
			s.stopped = true
			return s, status("stopping: the sweep restores the function", false)
		}
	case sweepDone:
		switch {
		case key.Matches(msg, k.Back):
			s.c.pop()
		case key.Matches(msg, k.Again):
			s.phase, s.result, s.steps, s.err, s.stopped = sweepForm, nil, nil, nil, false
		case key.Matches(msg, k.Apply):
			return s, s.applyChoice()
		}
	}
	return s, nil
}

// prepare plans the sweep against the function as AWS has it now.
func (s sweepScreen) prepare() (screen, tea.Cmd) {
	if s.c.readOnly() {
		return s, status(aws.ErrReadOnly.Error()+": a sweep changes the function's memory", true)
	}
	remembered, known := s.c.loadTargets[s.detail.Name]
	plan, err := s.form.sweepPlan(s.detail.Name, remembered)
	if err != nil {
		s.err = err
		return s, nil
	}
	s.err, s.phase = nil, sweepPreparing
	id, ctx, session, detail := s.id, s.c.ctx, s.c.session, s.detail
	return s, func() tea.Msg {
		if plan.Workload.Load != nil && !known {
			// The load test goes where the load screen would send it.
			plan.Workload.Load.Target = session.FindLoadTarget(ctx, detail)
		}
		prep, err := session.PrepareSweep(ctx, plan)
		return sweepPreparedMsg{id: id, prep: prep, err: err}
	}
}

// onPrepared asks once on an account, listing every change; the sandbox
// starts at once.
func (s sweepScreen) onPrepared(msg sweepPreparedMsg) (screen, tea.Cmd) {
	if msg.err != nil {
		s.phase, s.err = sweepForm, msg.err
		return s, nil
	}
	s.prep = &msg.prep
	start := func() tea.Msg { return sweepStartMsg{id: s.id} }
	if s.c.where.Sandbox {
		return s.start()
	}
	s.c.openOverlay(newConfirm(s.c, "Run this sweep?", msg.prep.Preview(), start))
	return s, nil
}

// start runs the sweep in the background; its progress streams back.
func (s sweepScreen) start() (screen, tea.Cmd) {
	// Not the console's context: quitting stops the sweep through the
	// registry, which then waits for its restore.
	ctx, cancel := context.WithCancel(context.WithoutCancel(s.c.ctx))
	s.cancel, s.phase = cancel, sweepRunning
	finished := s.c.background.start(s.id, cancel)
	progress := make(chan tune.SweepProgress, 64)
	done := make(chan sweepDoneMsg, 1)
	id, session, prep := s.id, s.c.session, *s.prep
	go func() {
		defer finished()
		defer close(progress)
		res, err := session.RunSweep(ctx, prep, tune.SweepOptions{Progress: func(p tune.SweepProgress) {
			p.Done = append([]tune.SweepStep(nil), p.Done...)
			select {
			case progress <- p:
			default: // a slow screen skips a report rather than slow the sweep
			}
		}})
		done <- sweepDoneMsg{id: id, res: res, err: err}
	}()
	return s, awaitSweep(id, progress, done)
}

func awaitSweep(id int, progress <-chan tune.SweepProgress, done <-chan sweepDoneMsg) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-progress
		if !ok {
			return <-done
		}
		return sweepProgressMsg{id: id, p: p, next: awaitSweep(id, progress, done)}
	}
}

func (s sweepScreen) onDone(msg sweepDoneMsg) (screen, tea.Cmd) {
	s.phase, s.result, s.steps, s.cancel = sweepDone, &msg.res, msg.res.Steps, nil
	s.memory = msg.res.End.MemoryMB
	if msg.err != nil && !errors.Is(msg.err, context.Canceled) {
		s.err = msg.err
	}
	fn := s.detail.Name
	// The other screens re-read the function: its memory moved and came back.
	return s, func() tea.Msg { return changeDoneMsg{function: fn} }
}

// applyChoice opens the memory dialog at the chosen size: the normal
// preview, confirmation and waited-on change.
func (s sweepScreen) applyChoice() tea.Cmd {
	if s.result == nil || !s.result.Choice.Found() {
		return status("no setting was chosen", true)
	}
	return openMemoryDialogAt(s.c, s.detail.Name, s.result.Choice.MemoryMB)
}

func (s sweepScreen) readMemory() tea.Cmd {
	id, ctx, session, fn := s.id, s.c.ctx, s.c.session, s.detail.Name
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		d, err := session.Detail(ctx, fn)
		if err != nil {
			return statusMsg{text: fmt.Sprintf("read %s: %s", fn, aws.Explain(err)), isErr: true}
		}
		return sweepMemoryMsg{id: id, memory: d.MemoryMB}
	}
}
