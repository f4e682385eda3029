package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// column is one column of a text table. A column with flex takes what the fixed
// columns leave; optional columns are dropped, rightmost first, when the
// terminal is too narrow for them.
type column struct {
	title    string
	width    int
	flex     bool
	right    bool
	optional bool // dropped first on narrow terminals
}

// layoutColumns fits columns into width, dropping optional ones that don't
// fit and giving the rest to the flexible column. It returns the columns kept
// and their widths.
func layoutColumns(cols []column, width int) ([]column, []int) {
	kept := append([]column(nil), cols...)
	for {
		fixed, flexMin := 0, 0
		for _, c := range kept {
			if c.flex {
				flexMin += c.width
			} else {
				fixed += c.width
			}
		}
		gaps := len(kept) - 1
		if fixed+flexMin+gaps <= width || !dropOptional(&kept) {
			widths := make([]int, len(kept))
			spare := max(0, width-fixed-gaps)
			for i, c := range kept {
				widths[i] = c.width
				if c.flex {
					widths[i] = max(c.width, spare)
				}
			}
			return kept, widths
		}
	}
}

func dropOptional(cols *[]column) bool {
	for i := len(*cols) - 1; i >= 0; i-- {
		if (*cols)[i].optional {
			*cols = append((*cols)[:i], (*cols)[i+1:]...)
			return true
		}
	}
	return false
}

// renderRow lays cells out in their columns, truncating with an ellipsis.
func renderRow(cols []column, widths []int, cells []string) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fit(cells[i], widths[i], c.right))
	}
	return b.String()
}

// fit pads or truncates s to exactly w cells.
func fit(s string, w int, right bool) string {
	if lipgloss.Width(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	pad := strings.Repeat(" ", max(0, w-lipgloss.Width(s)))
	if right {
		return pad + s
	}
	return s + pad
}

// padLines makes s exactly n lines tall, cutting or adding blank lines.
func padLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
