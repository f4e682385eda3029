package tui

import (
	"charm.land/bubbles/v2/key"
)

type loadKeys struct {
	Start, Back, Stop, View, Again, Export key.Binding
	change                                 changeKeys
	Fields                                 key.Binding
	More, Less                             key.Binding
}

func newLoadKeys(readOnly bool) loadKeys {
	return loadKeys{
		Start:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start")),
		Back:   backKey("back"),
		Stop:   key.NewBinding(key.WithKeys("x", "space"), key.WithHelp("x", "stop")),
		View:   key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "next view")),
		Again:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "new test")),
		Export: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export CSV+JSON")),
		change: newChangeKeys(readOnly),
		Fields: key.NewBinding(key.WithKeys("up", "down", "tab"), key.WithHelp("↑/↓", "field")),
		More:   key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "more/less load")),
		Less:   key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", "less load")),
	}
}

func (k loadKeys) formKeys() keyMap {
	return keyMap{short: []key.Binding{k.Start, k.Fields, k.Back}, full: [][]key.Binding{{k.Start, k.Fields, k.Back}}}
}

func (k loadKeys) runningKeys() keyMap {
	return keyMap{short: append([]key.Binding{k.Stop, k.More, k.View}, k.change.bindings()...),
		full: [][]key.Binding{{k.Stop, k.More, k.Less, k.View, k.Back}, k.change.bindings()}}
}

func (k loadKeys) finishedKeys() keyMap {
	return keyMap{short: []key.Binding{k.Export, k.Again, k.View, k.Back}, full: [][]key.Binding{{k.Export, k.Again, k.View, k.Back}}}
}
