package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/tune"
)

// globalKeys work on every screen unless an overlay or a text field has the
// keyboard. They close every footer and help page.
type globalKeys struct {
	Command key.Binding
	Help    key.Binding
	Quit    key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Command: key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

func (k globalKeys) bindings() []key.Binding { return []key.Binding{k.Command, k.Help, k.Quit} }

// navKeys move a cursor through a list.
type navKeys struct {
	Up, Down, PageUp, PageDn, Top, Bottom key.Binding
}

func newNavKeys() navKeys {
	return navKeys{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp: key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDn: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:    key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom: key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
	}
}

func (k navKeys) bindings() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDn, k.Top, k.Bottom}
}

func refreshKey() key.Binding {
	return key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "refresh"))
}

func backKey(what string) key.Binding {
	return key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", what))
}

// editKey is a key that changes the function. In read-only mode it stays in
// the help, marked, so the user sees why it does nothing.
func editKey(readOnly bool, keys, label string) key.Binding {
	if readOnly {
		label += " (read-only)"
	}
	return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, label))
}

// keyMap is a help.KeyMap made of a footer line and help columns.
type keyMap struct {
	short []key.Binding
	full  [][]key.Binding
}

func (k keyMap) ShortHelp() []key.Binding  { return k.short }
func (k keyMap) FullHelp() [][]key.Binding { return k.full }

// withGlobal adds the global keys to a screen's keys, for the footer and help.
func withGlobal(m help.KeyMap, g globalKeys) help.KeyMap {
	full := append([][]key.Binding{}, m.FullHelp()...)
	return keyMap{short: append(append([]key.Binding{}, m.ShortHelp()...), g.bindings()...), full: append(full, g.bindings())}
}

// move applies a navigation key to a cursor over n rows with page rows to a
// screen; ok is false when msg is no navigation key.
func (k navKeys) move(msg tea.KeyPressMsg, cursor, n, page int) (int, bool) {
	switch {
	case key.Matches(msg, k.Up):
		return cursor - 1, true
	case key.Matches(msg, k.Down):
		return cursor + 1, true
	case key.Matches(msg, k.PageUp):
		return cursor - page, true
	case key.Matches(msg, k.PageDn):
		return cursor + page, true
	case key.Matches(msg, k.Top):
		return 0, true
	case key.Matches(msg, k.Bottom):
		return n - 1, true
	}
	return cursor, false
}

// changeKeys are the keys that open the edit dialogs, on every screen that
// has a function: the Function screen and the load test.
type changeKeys struct {
	Memory, Reserved, Provisioned key.Binding
}

func newChangeKeys(readOnly bool) changeKeys {
	return changeKeys{
		Memory:      editKey(readOnly, "m", "memory"),
		Reserved:    editKey(readOnly, "r", "reserved"),
		Provisioned: editKey(readOnly, "p", "provisioned"),
	}
}

// open opens the dialog a change key asks for; ok is false for other keys.
func (k changeKeys) open(c *common, msg tea.KeyPressMsg, function string, facts func() (tune.Facts, bool)) (tea.Cmd, bool) {
	for _, pair := range []struct {
		binding key.Binding
		kind    tune.ChangeKind
	}{{k.Memory, tune.ChangeMemory}, {k.Reserved, tune.ChangeReserved}, {k.Provisioned, tune.ChangeProvisioned}} {
		if key.Matches(msg, pair.binding) {
			return openEditDialog(c, pair.kind, function, facts), true
		}
	}
	return nil, false
}

func (k changeKeys) bindings() []key.Binding {
	return []key.Binding{k.Memory, k.Reserved, k.Provisioned}
}
