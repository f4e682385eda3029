package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// editDialog changes one setting: it validates as the user types (with the
// aws package's rules, through tune.PlanChange), previews the plan, asks,
// then shows AWS's progress until the change is done.
type editDialog struct {
	c       *common
	id      int
	kind    tune.ChangeKind
	facts   tune.Facts
	loading bool // the first read of the function is not in yet
	// restore is the configuration an undo brings back, undoing names what
	// is undone; path is where the change is journalled as coming from.
	restore *tune.FunctionConfig
	undoing string
	path    string
	input   textinput.Model
	targets []provisionedTarget // provisioned: where to put it
	target  int
	plan    *tune.Plan
	err     error
	phase   editPhase
	cancel  context.CancelFunc
	last    tune.Progress
	started time.Time
	outcome *tune.Outcome
	// owner, when set, is the screen that planned the change itself (the
	// lab): the dialog only asks and applies, and tells owner how it ended
	// when it closes (plannedClosedMsg).
	owner int
}

// plannedClosedMsg tells the screen that planned a change how its dialog
// ended: outcome is nil when the user declined.
type plannedClosedMsg struct {
	owner   int
	outcome *tune.Outcome
}

type editPhase int

const (
	phaseEdit editPhase = iota
	phaseConfirm
	phaseApplying
	phaseDone
)

// provisionedTarget is one place provisioned concurrency can go.
type provisionedTarget struct {
	label     string
	qualifier string
	publish   bool // publish $LATEST and point the alias at it first
}

// factsMsg is a dialog's fresh read of the function and the account.
type factsMsg struct {
	id    int
	facts tune.Facts
	err   error
}

// openEditDialog opens the dialog for kind at once, planning against what the
// screen knows, and re-reads the function and the account so that the plan
// is made against AWS's state now.
func openEditDialog(c *common, kind tune.ChangeKind, name string, known func() (tune.Facts, bool)) tea.Cmd {
	if c.readOnly() {
		return status(aws.ErrReadOnly.Error(), true)
	}
	f, ok := known()
	if !ok {
		f.Detail.Name = name
	}
	d := newEditDialog(c, kind, f, !ok)
	c.openOverlay(d)
	id, session, ctx, avg := d.id, c.session, c.ctx, f.AverageDurationMs
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		facts, err := session.Facts(ctx, name)
		if facts.AverageDurationMs == 0 {
			facts.AverageDurationMs = avg
		}
		return factsMsg{id: id, facts: facts, err: err}
	}
}

// openPlannedDialog asks to make a change another screen planned (a lab
// step's), through the same preview, confirmation and progress as an edit;
// owner hears how it ended.
func openPlannedDialog(c *common, owner int, plan tune.Plan, path string) tea.Cmd {
	if c.readOnly() {
		return func() tea.Msg { return plannedClosedMsg{owner: owner} }
	}
	var facts tune.Facts
	facts.Detail.Name = plan.Request.Function
	d := newEditDialog(c, plan.Request.Kind, facts, true)
	d.loading, d.plan, d.phase, d.owner, d.path = false, &plan, phaseConfirm, owner, path
	c.openOverlay(d)
	return nil
}

func newEditDialog(c *common, kind tune.ChangeKind, facts tune.Facts, loading bool) editDialog {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 12
	in.SetWidth(7)
	in.Focus()
	d := editDialog{c: c, id: c.newID(), kind: kind, facts: facts, input: in, loading: loading, path: tune.PathConsole}
	if loading {
		return d
	}
	return d.withFacts(facts, true)
}

// withFacts plans against facts; fill puts the current setting in the input.
func (d editDialog) withFacts(facts tune.Facts, fill bool) editDialog {
	d.facts, d.loading = facts, false
	cfg := tune.ConfigOf(facts.Detail)
	if !fill {
		if d.kind == tune.ChangeProvisioned {
			d.targets = provisionedTargets(facts.Detail)
			d.target = min(d.target, len(d.targets)-1)
		}
		return d.replan()
	}
	kind := d.kind
	switch kind {
	case tune.ChangeMemory:
		d.input.SetValue(fmt.Sprint(cfg.MemoryMB))
	case tune.ChangeReserved:
		d.input.SetValue(cfg.ReservedText())
	case tune.ChangeProvisioned:
		d.targets = provisionedTargets(facts.Detail)
		d.input.SetValue(fmt.Sprint(cfg.ProvisionedOn(d.targets[0].qualifier)))
	}
	d.input.CursorEnd()
	return d.replan()
}

// provisionedTargets are the aliases and versions of d, then the offer to
// publish $LATEST and point live at it (the lab's AutoPublishAlias).
func provisionedTargets(d aws.FunctionDetail) []provisionedTarget {
	var out []provisionedTarget
	hasLive := false
	for _, a := range d.Aliases {
		hasLive = hasLive || a.Name == tune.DefaultAlias
		out = append(out, provisionedTarget{label: fmt.Sprintf("alias %s (version %s)", printable(a.Name), a.Version), qualifier: a.Name})
	}
	for _, v := range d.Versions {
		out = append(out, provisionedTarget{label: "version " + v.Version, qualifier: v.Version})
	}
	publish := provisionedTarget{label: "publish $LATEST as a new version and create alias live on it", qualifier: tune.DefaultAlias, publish: true}
	if hasLive {
		publish.label = "publish $LATEST as a new version and move alias live to it"
	}
	if len(d.Aliases) == 0 && len(d.Versions) == 0 {
		return []provisionedTarget{publish}
	}
	return append(out, publish)
}

type editKeys struct {
	Submit, Cancel, Choose, Yes, No, Retry, Close key.Binding
}

var dialogKeys = editKeys{
	Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "review")),
	Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	Choose: key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "where")),
	Yes:    key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y", "make the change")),
	No:     key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "back")),
	Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry when the function is idle")),
	Close:  key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter/esc", "close")),
}

func (d editDialog) Title() string {
	if d.kind == tune.ChangeRestore && d.owner != 0 {
		return "Restore" // the lab's way back, not an undo of one change
	}
	if d.kind == tune.ChangeRestore {
		return "Undo"
	}
	return "Change " + string(d.kind)
}

func (d editDialog) Keys() help.KeyMap {
	k := dialogKeys
	switch d.phase {
	case phaseConfirm:
		return keyMap{short: []key.Binding{k.Yes, k.No}}
	case phaseApplying:
		return keyMap{short: []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop waiting"))}}
	case phaseDone:
		if d.conflict() {
			return keyMap{short: []key.Binding{k.Retry, k.Close}}
		}
		return keyMap{short: []key.Binding{k.Close}}
	}
	if len(d.targets) > 1 {
		return keyMap{short: []key.Binding{k.Choose, k.Submit, k.Cancel}}
	}
	return keyMap{short: []key.Binding{k.Submit, k.Cancel}}
}

func (d editDialog) Update(msg tea.Msg) (overlay, tea.Cmd) {
	switch msg := msg.(type) {
	case undoMsg:
		if msg.id == d.id {
			return d.onUndo(msg), nil
		}
	case factsMsg:
		if msg.id != d.id || d.phase != phaseEdit {
			return d, nil
		}
		if msg.err != nil {
			d.err = msg.err
			return d, nil
		}
		return d.withFacts(msg.facts, d.loading), nil
	case applyProgressMsg:
		if msg.id == d.id {
			d.last = msg.progress
			return d, msg.next
		}
	case applyDoneMsg:
		if msg.id == d.id {
			return d.finished(msg.outcome)
		}
	case tea.KeyPressMsg:
		return d.onKey(msg)
	default:
		var cmd tea.Cmd
		d.input, cmd = d.input.Update(msg)
		return d, cmd
	}
	return d, nil
}

func (d editDialog) onKey(msg tea.KeyPressMsg) (overlay, tea.Cmd) {
	k := dialogKeys
	switch d.phase {
	case phaseConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			return d.apply(nil)
		case key.Matches(msg, k.No) && d.owner != 0:
			d.c.closeOverlay()
			owner := d.owner
			return d, func() tea.Msg { return plannedClosedMsg{owner: owner} }
		case key.Matches(msg, k.No):
			d.phase = phaseEdit
		}
		return d, nil
	case phaseApplying:
		if key.Matches(msg, k.Cancel) && d.cancel != nil {
			d.cancel()
		}
		return d, nil
	case phaseDone:
		switch {
		case d.conflict() && key.Matches(msg, k.Retry):
			return d.retry()
		case key.Matches(msg, k.Close):
			d.c.closeOverlay()
			if d.owner != 0 {
				owner, out := d.owner, *d.outcome
				return d, func() tea.Msg { return plannedClosedMsg{owner: owner, outcome: &out} }
			}
		}
		return d, nil
	}
	return d.onEditKey(msg)
}

func (d editDialog) onEditKey(msg tea.KeyPressMsg) (overlay, tea.Cmd) {
	k := dialogKeys
	switch {
	case key.Matches(msg, k.Cancel):
		d.c.closeOverlay()
		return d, nil
	case d.loading:
		return d, nil
	case key.Matches(msg, k.Submit):
		if d.plan != nil {
			d.phase = phaseConfirm
		}
		return d, nil
	case len(d.targets) > 1 && msg.String() == "up":
		d.target = (d.target + len(d.targets) - 1) % len(d.targets)
		return d.replan(), nil
	case len(d.targets) > 1 && msg.String() == "down":
		d.target = (d.target + 1) % len(d.targets)
		return d.replan(), nil
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return d.replan(), cmd
}

// replan validates what is typed now and previews it.
func (d editDialog) replan() editDialog {
	req, err := d.request()
	if err == nil {
		var plan tune.Plan
		plan, err = tune.PlanChange(req, d.facts)
		if err == nil {
			d.plan, d.err = &plan, nil
			return d
		}
	}
	d.plan, d.err = nil, err
	return d
}

func (d editDialog) request() (tune.ChangeRequest, error) {
	if d.owner != 0 {
		return d.plan.Request, nil // planned by its owner: nothing was typed
	}
	value := d.input.Value()
	req := tune.ChangeRequest{Function: d.facts.Detail.Name, Kind: d.kind}
	switch d.kind {
	case tune.ChangeRestore:
		req.Target = d.restore
		return req, nil
	case tune.ChangeMemory:
		mb, err := aws.ParseWhole("memory", value)
		req.MemoryMB = mb
		return req, err
	case tune.ChangeReserved:
		if isNone(value) {
			return req, nil
		}
		n, err := aws.ParseWhole("reserved concurrency", value)
		req.Reserved = &n
		return req, err
	}
	t := d.targets[d.target]
	req.Qualifier, req.PublishAlias = t.qualifier, t.publish
	if isNone(value) {
		return req, nil
	}
	n, err := aws.ParseWhole("provisioned concurrency", value)
	req.Provisioned = n
	return req, err
}

// isNone is how a user asks to remove a setting.
func isNone(value string) bool {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "none", "remove", "off", "-":
		return true
	}
	return false
}

func (d editDialog) apply(replan func(context.Context) (tune.Plan, error)) (overlay, tea.Cmd) {
	d.phase, d.started = phaseApplying, d.c.clock.Now()
	d.last = tune.Progress{}
	var cmd tea.Cmd
	d.cancel, cmd = startApply(d.c, d.id, *d.plan, d.path, replan)
	return d, cmd
}

// retry waits until the function's other update is done, re-reads the facts
// and plans again against them, then applies.
func (d editDialog) retry() (overlay, tea.Cmd) {
	req, _ := d.request()
	session, name := d.c.session, d.facts.Detail.Name
	return d.apply(func(ctx context.Context) (tune.Plan, error) {
		if _, err := session.Client().WaitUpdated(ctx, name, nil); err != nil {
			return tune.Plan{}, err
		}
		facts, err := session.Facts(ctx, name)
		if err != nil {
			return tune.Plan{}, err
		}
		return tune.PlanChange(req, facts)
	})
}

func (d editDialog) finished(out tune.Outcome) (overlay, tea.Cmd) {
	d.phase, d.outcome = phaseDone, &out
	if out.Done == 0 && out.Err != nil {
		return d, nil
	}
	return d, func() tea.Msg { return changeDoneMsg{function: d.facts.Detail.Name, outcome: out} }
}

func (d editDialog) conflict() bool {
	return d.outcome != nil && aws.IsConflict(d.outcome.Err)
}

// dialogWidth is the box's width: roomy on a wide terminal, never wider than it.
func (d editDialog) dialogWidth() int { return max(30, min(d.c.width-4, 84)) }

func (d editDialog) View() string {
	st := d.c.styles
	width := d.dialogWidth() - 4
	lines := []string{st.section.Render(d.Title()) + st.muted.Render(" · "+printable(d.facts.Detail.Name))}
	switch d.phase {
	case phaseEdit:
		if d.loading {
			lines = append(lines, "", st.muted.Render("reading the function and the account…"))
			if d.err != nil {
				lines = append(lines, st.errorLine.Render("✗ "+printable(aws.Explain(d.err))))
			}
			break
		}
		lines = append(lines, d.editLines()...)
	case phaseConfirm:
		lines = append(lines, "", st.title.Render("Make this change?"))
		lines = append(lines, d.previewLines()...)
		if !d.c.where.Sandbox {
			lines = append(lines, "", st.warn.Render("This changes a real AWS account: "+d.c.where.Label()))
		}
	case phaseApplying:
		lines = append(lines, "", d.progressLine())
	case phaseDone:
		lines = append(lines, d.doneLines()...)
	}
	return st.box.Width(d.dialogWidth()).Render(strings.Join(wrapAll(lines, width), "\n"))
}

func (d editDialog) editLines() []string {
	st := d.c.styles
	cfg := tune.ConfigOf(d.facts.Detail)
	var lines []string
	switch d.kind {
	case tune.ChangeMemory:
		lines = append(lines, "", fmt.Sprintf("now %d MB (%.2f vCPU) · 128–10240 MB in 1-MB steps", cfg.MemoryMB, float64(cfg.MemoryMB)/1769),
			"new "+d.input.View()+" MB")
	case tune.ChangeReserved:
		lines = append(lines, "", "now "+cfg.ReservedText()+" · a number ≥ 0, or none to remove it",
			"new "+d.input.View())
	case tune.ChangeRestore:
		lines = append(lines, "", "undo "+printable(d.undoing), "brings back "+d.restore.Summary())
	case tune.ChangeProvisioned:
		lines = append(lines, "", "where:")
		for i, t := range d.targets {
			mark := "  "
			if i == d.target {
				mark = st.filter.Render("▸ ")
			}
			lines = append(lines, mark+t.label)
		}
		lines = append(lines, "", "environments "+d.input.View()+st.muted.Render("  (0 or none removes it)"))
	}
	lines = append(lines, "")
	if d.err != nil {
		return append(lines, st.errorLine.Render("✗ "+printable(d.explain(d.err))))
	}
	return append(lines, d.previewLines()...)
}

// explain words an error for the dialog; "nothing to change" is not a fault.
func (d editDialog) explain(err error) string {
	if errors.Is(err, tune.ErrNothingToChange) {
		return "that is the current setting: type a new value"
	}
	return aws.Explain(err)
}

func (d editDialog) previewLines() []string {
	if d.plan == nil {
		return nil
	}
	var lines []string
	for _, l := range d.plan.Preview() {
		lines = append(lines, "• "+l)
	}
	return lines
}

func (d editDialog) progressLine() string {
	p := d.last
	elapsed := d.c.clock.Now().Sub(d.started).Round(100 * time.Millisecond)
	if p.Steps == 0 {
		return fmt.Sprintf("sending… (%s)", elapsed)
	}
	line := fmt.Sprintf("step %d of %d: %s — %s", p.Step, p.Steps, p.Label, p.Status)
	if p.Requested > 0 {
		line += fmt.Sprintf(" · %d of %d allocated", p.Allocated, p.Requested)
	}
	return line + fmt.Sprintf(" · %s", p.Elapsed.Round(100*time.Millisecond))
}

func (d editDialog) doneLines() []string {
	st := d.c.styles
	out := d.outcome
	style := st.okLine
	if out.Err != nil && !out.Stopped {
		style = st.errorLine
	}
	lines := []string{"", style.Render(printable(out.Summary()))}
	for _, r := range out.RolledBack {
		lines = append(lines, st.muted.Render("put back: "+r))
	}
	if d.conflict() {
		lines = append(lines, "", "Someone else's update of this function is still in progress: AWS refuses changes until it is done.",
			"Press r to wait until the function is idle, then try again.")
	}
	return lines
}

// wrapAll wraps each line to width (AWS's messages can be long), styles kept.
func wrapAll(lines []string, width int) []string {
	var out []string
	for _, l := range lines {
		out = append(out, strings.Split(ansi.Wrap(l, width, ""), "\n")...)
	}
	return out
}
