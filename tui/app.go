package tui

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/tune"
)

// bodyChrome is the lines around a screen's body: the header and the footer.
const bodyChrome = 2

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
}

// App is the console's root model: it owns the screens, the header, the footer
// and the help overlay, and is the only model that returns a tea.View.
type App struct {
	c         *common
	functions functionsScreen
	function  *functionScreen // open when not nil
	showHelp  bool
	help      help.Model
	initCmd   tea.Cmd
}

// New builds the console for a session.
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
	c := &common{ctx: ctx, session: opts.Session, where: opts.Session.Where(), styles: newStyles(true), keys: newKeyMap(), log: log,
		clock: clk, width: 80, height: 24}
	a := App{c: c, functions: newFunctionsScreen(c), help: help.New()}
	a.functions, a.initCmd = a.functions.load()
	return a
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
		return a, nil
	case tea.BackgroundColorMsg:
		a.c.styles = newStyles(msg.IsDark())
		a.help.Styles = help.DefaultStyles(msg.IsDark())
		return a, nil
	case tea.KeyPressMsg:
		return a.onKey(msg)
	case detailMsg, metricsTickMsg, metricsMsg:
		if a.function == nil {
			return a, nil // for a Function screen closed since
		}
		return a.updateFunction(msg)
	}
	return a.updateFunctions(msg)
}

// updateFunctions hands msg to the Functions screen.
func (a App) updateFunctions(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	a.functions, cmd = a.functions.Update(msg)
	return a, cmd
}

// updateFunction hands msg to the open Function screen.
func (a App) updateFunction(msg tea.Msg) (tea.Model, tea.Cmd) {
	screen, cmd := a.function.Update(msg)
	a.function = &screen
	return a, cmd
}

func (a App) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := a.c.keys
	if msg.String() == "ctrl+c" {
		return a, tea.Quit
	}
	if a.functions.filtering && a.function == nil {
		return a.updateFunctions(msg)
	}
	switch {
	case a.showHelp:
		if key.Matches(msg, k.Help, k.Back) {
			a.showHelp = false
		} else if key.Matches(msg, k.Quit) {
			return a, tea.Quit
		}
		return a, nil
	case key.Matches(msg, k.Quit):
		return a, tea.Quit
	case key.Matches(msg, k.Help):
		a.showHelp = true
		return a, nil
	}
	if a.function != nil {
		return a.onFunctionKey(msg)
	}
	if key.Matches(msg, k.Open) {
		if f, ok := a.functions.Selected(); ok {
			screen, cmd := newFunctionScreen(a.c, f)
			a.function = &screen
			return a, cmd
		}
		return a, nil
	}
	return a.updateFunctions(msg)
}

func (a App) onFunctionKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, a.c.keys.Back) {
		a.function = nil
		return a, nil
	}
	return a.updateFunction(msg)
}

// View draws the whole screen: header, the open screen (or help), footer.
func (a App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = "lambdatune · " + a.c.where.Label()
	return v
}

func (a App) render() string {
	if a.c.tooSmall() {
		return fmt.Sprintf("lambdatune needs a terminal of at least %d×%d; this one is %d×%d.\nEnlarge it, or press q to quit.",
			minWidth, minHeight, a.c.width, a.c.height)
	}
	var body string
	switch {
	case a.showHelp:
		body = padLines(a.helpView(), a.c.height-bodyChrome)
	case a.function != nil:
		body = a.function.View()
	default:
		body = a.functions.View()
	}
	return a.header() + "\n" + body + "\n" + a.footer()
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
	if where.Why != "" {
		parts = append(parts, st.muted.Render(where.Why))
	}
	return fit(strings.Join(parts, st.muted.Render(" │ ")), a.c.width, false)
}

func (a App) footer() string {
	return fit(a.help.ShortHelpView(a.c.keys.ShortHelp()), a.c.width, false)
}

func (a App) helpView() string {
	title := a.c.styles.section.Render("Keys")
	return lipgloss.JoinVertical(lipgloss.Left, title, "", a.help.FullHelpView(a.c.keys.FullHelp()),
		"", a.c.styles.muted.Render("? or esc closes this help"))
}
