package tui

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// helpOverlay lists every key of the screen beneath it and the global keys.
type helpOverlay struct {
	c     *common
	title string
	keys  help.KeyMap
	model help.Model
}

var closeKeys = keyMap{short: []key.Binding{key.NewBinding(key.WithKeys("esc", "?", "q"), key.WithHelp("esc/?", "close help"))}}

func newHelpOverlay(c *common, s screen) helpOverlay {
	m := help.New()
	m.SetWidth(max(20, c.width-6))
	return helpOverlay{c: c, title: s.Title(), keys: withGlobal(s.Keys(), c.global), model: m}
}

func (h helpOverlay) Update(msg tea.Msg) (overlay, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, closeKeys.short[0]) {
		h.c.closeOverlay()
	}
	return h, nil
}

func (h helpOverlay) Title() string     { return "Help" }
func (h helpOverlay) Keys() help.KeyMap { return closeKeys }

func (h helpOverlay) View() string {
	st := h.c.styles
	lines := []string{st.section.Render("Keys · " + printable(h.title)), "", h.model.FullHelpView(h.keys.FullHelp()), "",
		st.muted.Render(": opens the command line (" + strings.Join(commandNames(), ", ") + ")"),
		st.muted.Render("? or esc closes this help")}
	if e := h.c.where.Endpoint; e != "" && h.c.where.Sandbox {
		lines = append(lines, "", st.label.Render("sandbox AWS endpoint ")+st.value.Render(e))
		if api := h.c.where.ProductsAPI; api != "" {
			lines = append(lines, st.label.Render("products API         ")+st.value.Render(api))
		}
	}
	return h.c.styles.box.Render(strings.Join(lines, "\n"))
}

// commander is a screen that answers commands of its own (":load" on a
// Function screen); the command line asks the screen on top first.
type commander interface {
	command(verb, arg string) (tea.Cmd, bool)
}

// globalCommands work everywhere.
var globalCommands = map[string]string{
	"fn":   "the Functions list, or :fn NAME to open one",
	"snap": "the snapshots of every function (on a function's screen: of that function)",
	"lab":  "the AWS lab's four steps, on the lab's function or :lab NAME (on a function's screen: on that function)",
	"quit": "quit lambdatune",
}

// screenCommands are answered by the screens that have them.
var screenCommands = map[string]string{
	"load":  "a load test of this function",
	"sweep": "a what-if sweep of this function across memory sizes",
}

func commandNames() []string {
	var names []string
	for n := range globalCommands {
		names = append(names, ":"+n)
	}
	for n := range screenCommands {
		names = append(names, ":"+n)
	}
	sort.Strings(names)
	return names
}

// commandLine is the ":" prompt at the bottom of the screen.
type commandLine struct {
	c      *common
	target screen
	text   string
	err    string
}

var commandKeys = keyMap{short: []key.Binding{
	key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
	key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
}}

func newCommandLine(c *common, target screen) commandLine { return commandLine{c: c, target: target} }

func (l commandLine) Title() string     { return "Command" }
func (l commandLine) Keys() help.KeyMap { return commandKeys }

func (l commandLine) Update(msg tea.Msg) (overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return l, nil
	}
	switch k.String() {
	case "esc":
		l.c.closeOverlay()
		return l, nil
	case "enter":
		return l.run()
	case "backspace":
		if r := []rune(l.text); len(r) > 0 {
			l.text = string(r[:len(r)-1])
		}
	default:
		l.text += k.Text
	}
	l.err = ""
	return l, nil
}

func (l commandLine) run() (overlay, tea.Cmd) {
	verb, arg, _ := strings.Cut(strings.TrimSpace(l.text), " ")
	verb, arg = strings.ToLower(verb), strings.TrimSpace(arg)
	if c, ok := l.target.(commander); ok {
		if cmd, handled := c.command(verb, arg); handled {
			l.c.closeOverlay()
			return l, cmd
		}
	}
	switch verb {
	case "q", "quit":
		return l, tea.Quit
	case "fn", "functions":
		l.c.closeOverlay()
		l.c.popToRoot()
		if arg == "" {
			return l, nil
		}
		return l, func() tea.Msg { return openFunctionMsg{name: arg} }
	case "snap", "snapshots":
		l.c.closeOverlay()
		snaps, init := newSnapshotsScreen(l.c, arg)
		l.c.push(snaps)
		return l, init
	case "lab":
		name := arg
		if name == "" {
			name = l.c.where.ProductsFunction
		}
		if name == "" {
			l.err = ":lab needs a function: open one first, or type :lab NAME"
			return l, nil
		}
		l.c.closeOverlay()
		lab, init := newLabScreen(l.c, name)
		l.c.push(lab)
		return l, init
	case "":
		l.c.closeOverlay()
		return l, nil
	}
	if _, known := screenCommands[verb]; known {
		l.err = ":" + verb + " works on a function's screen: open one first"
	} else {
		l.err = "unknown command :" + verb + " (try " + strings.Join(commandNames(), ", ") + ")"
	}
	return l, nil
}

// openFunctionMsg asks the Functions screen to open a function by name.
type openFunctionMsg struct{ name string }

func (l commandLine) View() string {
	st := l.c.styles
	lines := []string{st.filter.Render(":" + l.text + "▏")}
	if l.err != "" {
		lines = append(lines, st.errorLine.Render(l.err))
	} else {
		lines = append(lines, st.muted.Render(strings.Join(commandNames(), "  ")))
	}
	return st.box.Width(max(30, min(70, l.c.width-4))).Render(strings.Join(lines, "\n"))
}

// confirmDialog asks before something is done; y or enter agrees.
type confirmDialog struct {
	c     *common
	title string
	lines []string
	yes   tea.Cmd
}

var confirmKeys = keyMap{short: []key.Binding{
	key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y/enter", "yes")),
	key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
}}

func newConfirm(c *common, title string, lines []string, yes tea.Cmd) confirmDialog {
	return confirmDialog{c: c, title: title, lines: lines, yes: yes}
}

func (d confirmDialog) Title() string     { return d.title }
func (d confirmDialog) Keys() help.KeyMap { return confirmKeys }

func (d confirmDialog) Update(msg tea.Msg) (overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	switch {
	case !ok:
		return d, nil
	case key.Matches(k, confirmKeys.short[0]):
		d.c.closeOverlay()
		return d, d.yes
	case key.Matches(k, confirmKeys.short[1]):
		d.c.closeOverlay()
	}
	return d, nil
}

func (d confirmDialog) View() string {
	st := d.c.styles
	body := append([]string{st.section.Render(d.title), ""}, d.lines...)
	body = append(body, "", st.value.Render("y")+st.muted.Render(" yes · ")+st.value.Render("n")+st.muted.Render(" no"))
	return st.box.Width(min(d.c.width-4, max(40, maxWidth(body)+4))).Render(lipgloss.JoinVertical(lipgloss.Left, body...))
}

func maxWidth(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, lipgloss.Width(l))
	}
	return w
}
