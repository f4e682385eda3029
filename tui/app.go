package tui

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/tune"
)

// Options configures the console.
type Options struct {
	Session *tune.Session
	// Context ends every request the console has in flight when it is done.
	Context context.Context
	// Logger receives debug lines; it must not write to the terminal.
	Logger *slog.Logger
	// Clock ends the metrics windows; the wall clock when nil. Tests share a
	// Manual clock with the sandbox.
	Clock clock.Clock
	// ExportDir is where load-test exports are written; the current directory when empty.
	ExportDir string
	// DetailEvery and ListEvery pace the background re-reads that show
	// changes made elsewhere; 5 s and 10 s when zero.
	DetailEvery, ListEvery time.Duration
	// Lab, when set, opens the console on the Lab screen for that function
	// (lambdatune lab); esc goes back to the Functions list.
	Lab string
	// LabRunTime and LabURL fill the Lab screen's form when set: each
	// step's load test, and the API to load.
	LabRunTime time.Duration
	LabURL     string
}

// App is the console's root model: it keeps the stack of screens and the
// overlay on top of them, draws the header and the footer, and is the only
// model that returns a tea.View.
type App struct {
	c       *common
	stack   []screen
	overlay overlay // nil when none is open
	help    help.Model
	status  statusMsg
	statusT time.Time
	initCmd tea.Cmd
}

// New builds the console for a session; it opens on the Functions screen.
func New(opts Options) App {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	clk := opts.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	c := &common{ctx: ctx, session: opts.Session, where: opts.Session.Where(), styles: newStyles(true), global: newGlobalKeys(),
		log: log, clock: clk, width: 80, height: 24, loadTargets: map[string]tune.LoadTarget{}, exportDir: opts.ExportDir,
		background: &background{}}
	if c.exportDir == "" {
		c.exportDir = "."
	}
	c.detailEvery, c.listEvery = cmpOr(opts.DetailEvery, detailPollEvery), cmpOr(opts.ListEvery, listPollEvery)
	list, init := newListScreen(c).load(false)
	stack := []screen{list}
	if opts.Lab != "" {
		lab, labInit := newLabScreen(c, opts.Lab)
		lab = lab.prefill(opts.LabRunTime, opts.LabURL)
		stack, init = append(stack, lab), tea.Batch(init, labInit)
	}
	return App{c: c, stack: stack, help: help.New(), initCmd: init}
}

// Init starts loading the function list and asks the terminal for its
// background colour, so the styles suit it.
func (a App) Init() tea.Cmd {
	return tea.Batch(a.initCmd, tea.RequestBackgroundColor)
}

func (a App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.c.width, a.c.height = msg.Width, msg.Height
		a.help.SetWidth(msg.Width)
	case tea.BackgroundColorMsg:
		a.c.styles = newStyles(msg.IsDark())
		a.help.Styles = help.DefaultStyles(msg.IsDark())
		return a, nil
	case tea.KeyPressMsg:
		model, cmd := a.onKey(msg)
		return model.(App).navigate(), cmd
	case statusMsg:
		a.status, a.statusT = msg, a.c.clock.Now()
		return a, nil
	}
	model, cmd := a.broadcast(msg)
	return model.(App).navigate(), cmd
}

func cmpOr(d, fallback time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return fallback
}

// navigate applies the navigation screens and overlays asked for.
func (a App) navigate() App {
	for _, n := range a.c.nav {
		switch n.kind {
		case navPush:
			a.stack = append(a.stack, n.screen)
		case navPop:
			if len(a.stack) > 1 {
				a.stack = a.stack[:len(a.stack)-1]
			}
		case navPopToRoot:
			a.stack = a.stack[:1]
		case navOpenOverlay:
			a.overlay = n.overlay
		case navCloseOverlay:
			a.overlay = nil
		}
	}
	a.c.nav = a.c.nav[:0]
	return a
}

// broadcast hands a message that is not a key to every open screen and to the
// overlay; each keeps what is its own.
func (a App) broadcast(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmds := make([]tea.Cmd, 0, len(a.stack)+1)
	for i, s := range a.stack {
		var cmd tea.Cmd
		a.stack[i], cmd = s.Update(msg)
		cmds = append(cmds, cmd)
	}
	if a.overlay != nil {
		var cmd tea.Cmd
		a.overlay, cmd = a.overlay.Update(msg)
		cmds = append(cmds, cmd)
	}
	return a, tea.Batch(cmds...)
}

func (a App) top() screen { return a.stack[len(a.stack)-1] }

// onKey routes a key: ctrl+c always quits; an open overlay takes every other
// key; a screen that is capturing text takes them next; then the global keys;
// then the screen on top.
func (a App) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	a.status = statusMsg{}
	if msg.String() == "ctrl+c" {
		return a, tea.Quit
	}
	if a.overlay != nil {
		var cmd tea.Cmd
		a.overlay, cmd = a.overlay.Update(msg)
		return a, cmd
	}
	if !a.top().Capturing() {
		g := a.c.global
		switch {
		case key.Matches(msg, g.Quit):
			return a, tea.Quit
		case key.Matches(msg, g.Help):
			a.overlay = newHelpOverlay(a.c, a.top())
			return a, nil
		case key.Matches(msg, g.Command):
			a.overlay = newCommandLine(a.c, a.top())
			return a, nil
		}
	}
	var cmd tea.Cmd
	a.stack[len(a.stack)-1], cmd = a.top().Update(msg)
	return a, cmd
}

// View draws the whole screen: header, the screen on top (with the overlay
// over it), footer.
func (a App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = "lambdatune · " + a.c.where.Label()
	return v
}

func (a App) render() string {
	if a.c.tooSmall() {
		return a.tooSmallText()
	}
	body := padLines(a.top().View(), a.c.bodyHeight())
	if a.overlay != nil {
		body = a.over(body, a.overlay.View())
	}
	return a.header() + "\n" + body + "\n" + a.footer()
}

// tooSmallText says what size is needed, wrapped to fit however small the
// terminal is.
func (a App) tooSmallText() string {
	text := fmt.Sprintf("lambdatune needs a terminal of at least %d×%d; this one is %d×%d. Enlarge it, or press q to quit.",
		minWidth, minHeight, a.c.width, a.c.height)
	return lipgloss.NewStyle().Width(max(10, a.c.width)).Render(text)
}

// over draws box centred over body.
func (a App) over(body, box string) string {
	w, h := lipgloss.Width(box), lipgloss.Height(box)
	x, y := max(0, (a.c.width-w)/2), max(0, (a.c.bodyHeight()-h)/2)
	canvas := lipgloss.NewCanvas(a.c.width, a.c.bodyHeight())
	canvas.Compose(lipgloss.NewCompositor(lipgloss.NewLayer(body), lipgloss.NewLayer(box).X(x).Y(y).Z(1)))
	return padLines(canvas.Render(), a.c.bodyHeight())
}

func (a App) header() string {
	st := a.c.styles
	where := a.c.where
	mode := st.mode.Render(where.Label())
	if where.Sandbox {
		mode = st.sandbox.Render("SANDBOX") + st.mode.Render(strings.TrimPrefix(where.Label(), "SANDBOX"))
	}
	parts := []string{st.header.Render("lambdatune"), mode}
	if where.ReadOnly {
		parts = append(parts, st.readOnly.Render("READ-ONLY"))
	}
	if len(a.stack) > 1 {
		parts = append(parts, st.title.Render(printable(a.top().Title())))
	} else if where.Why != "" {
		parts = append(parts, st.muted.Render(where.Why))
	}
	return fit(strings.Join(parts, st.muted.Render(" │ ")), a.c.width, false)
}

// statusFor is how long a status line stays in the footer.
const statusFor = 6 * time.Second

func (a App) footer() string {
	if a.status.text != "" && a.c.clock.Now().Sub(a.statusT) < statusFor {
		style := a.c.styles.okLine
		if a.status.isErr {
			style = a.c.styles.errorLine
		}
		return fit(style.Render(printable(a.status.text)), a.c.width, false)
	}
	keys := withGlobal(a.top().Keys(), a.c.global)
	if a.overlay != nil {
		keys = a.overlay.Keys()
	}
	return fit(a.help.ShortHelpView(keys.ShortHelp()), a.c.width, false)
}
