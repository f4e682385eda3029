package tui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// field is one labelled value of a form, checked as it is typed.
type field struct {
	label string
	hint  string
	input textinput.Model
	check func(string) error
	err   error
}

// form is a column of fields: ↑/↓ or tab move between them, every keystroke
// re-checks the field, and the caller decides what enter does.
type form struct {
	fields []field
	focus  int
}

func newField(label, value, hint string, check func(string) error) field {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 200
	in.SetValue(value)
	in.CursorEnd()
	f := field{label: label, hint: hint, input: in, check: check}
	f.err = check(value)
	return f
}

func newForm(fields ...field) form {
	f := form{fields: fields}
	f.fields[0].input.Focus()
	return f
}

func (f form) value(i int) string { return strings.TrimSpace(f.fields[i].input.Value()) }

// firstError is the first field's problem, or nil when every field is valid.
func (f form) firstError() (int, error) {
	for i, fl := range f.fields {
		if fl.err != nil {
			return i, fl.err
		}
	}
	return -1, nil
}

func (f form) move(delta int) form {
	f.fields[f.focus].input.Blur()
	f.focus = (f.focus + delta + len(f.fields)) % len(f.fields)
	f.fields[f.focus].input.Focus()
	return f
}

// Update moves between fields or edits the one focused.
func (f form) Update(msg tea.Msg) (form, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "up", "shift+tab":
			return f.move(-1), nil
		case "down", "tab":
			return f.move(1), nil
		}
	}
	var cmd tea.Cmd
	fl := &f.fields[f.focus]
	fl.input, cmd = fl.input.Update(msg)
	fl.err = fl.check(fl.input.Value())
	return f, cmd
}

// lines draws the form: label, value, and the hint or the field's problem.
func (f form) lines(st styles, width int) []string {
	labelWidth := 0
	for _, fl := range f.fields {
		labelWidth = max(labelWidth, len(fl.label))
	}
	var out []string
	for i, fl := range f.fields {
		fl.input.SetWidth(max(10, min(60, width-labelWidth-4)))
		mark := "  "
		if i == f.focus {
			mark = st.filter.Render("▸ ")
		}
		note := st.muted.Render(fl.hint)
		if fl.err != nil {
			note = st.errorLine.Render("✗ " + fl.err.Error())
		}
		out = append(out, fit(mark+st.label.Render(padRight(fl.label, labelWidth))+"  "+fl.input.View(), width, false))
		if i == f.focus || fl.err != nil {
			out = append(out, fit(strings.Repeat(" ", labelWidth+4)+note, width, false))
		}
	}
	return out
}

func padRight(s string, w int) string { return s + strings.Repeat(" ", max(0, w-len(s))) }
