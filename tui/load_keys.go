package tui

import (
	"charm.land/bubbles/v2/key"
)

type loadKeys struct {
	Start, Back, Stop, View, Again, Export key.Binding
	Memory, Reserved, Provisioned          key.Binding
	Fields                                 key.Binding
}

func newLoadKeys(readOnly bool) loadKeys {
	return loadKeys{
		Start:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start")),
		Back:        backKey("back"),
		Stop:        key.NewBinding(key.WithKeys("x", "space"), key.WithHelp("x", "stop")),
		View:        key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "next view")),
		Again:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "new test")),
		Export:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export CSV+JSON")),
		Memory:      editKey(readOnly, "m", "memory"),
		Reserved:    editKey(readOnly, "r", "reserved"),
		Provisioned: editKey(readOnly, "p", "provisioned"),
		Fields:      key.NewBinding(key.WithKeys("up", "down", "tab"), key.WithHelp("↑/↓", "field")),
	}
}

func (k loadKeys) formKeys() keyMap {
	return keyMap{short: []key.Binding{k.Start, k.Fields, k.Back}, full: [][]key.Binding{{k.Start, k.Fields, k.Back}}}
}

func (k loadKeys) runningKeys() keyMap {
	return keyMap{short: []key.Binding{k.Stop, k.View, k.Memory, k.Reserved, k.Provisioned},
		full: [][]key.Binding{{k.Stop, k.View, k.Back}, {k.Memory, k.Reserved, k.Provisioned}}}
}

func (k loadKeys) finishedKeys() keyMap {
	return keyMap{short: []key.Binding{k.Export, k.Again, k.View, k.Back}, full: [][]key.Binding{{k.Export, k.Again, k.View, k.Back}}}
}
