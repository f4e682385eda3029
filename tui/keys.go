package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
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
