package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// styles is every style the console draws with, built once for the terminal's
// background (dark or light).
type styles struct {
	header      lipgloss.Style
	mode        lipgloss.Style
	sandbox     lipgloss.Style
	readOnly    lipgloss.Style
	title       lipgloss.Style
	label       lipgloss.Style
	value       lipgloss.Style
	muted       lipgloss.Style
	tableHeader lipgloss.Style
	selected    lipgloss.Style
	errorLine   lipgloss.Style
	okLine      lipgloss.Style
	warn        lipgloss.Style
	section     lipgloss.Style
	filter      lipgloss.Style
	box         lipgloss.Style
}

func newStyles(isDark bool) styles {
	pick := lipgloss.LightDark(isDark)
	accent := pick(lipgloss.Color("#5A56E0"), lipgloss.Color("#7D79F6"))
	subtle := pick(lipgloss.Color("#8A8A8A"), lipgloss.Color("#6C6C6C"))
	text := pick(lipgloss.Color("#1A1A1A"), lipgloss.Color("#E4E4E4"))
	red := pick(lipgloss.Color("#C8102E"), lipgloss.Color("#FF5F5F"))
	green := pick(lipgloss.Color("#1E7D32"), lipgloss.Color("#5FD75F"))
	amber := pick(lipgloss.Color("#A35F00"), lipgloss.Color("#FFAF00"))
	return styles{
		header:      lipgloss.NewStyle().Bold(true).Foreground(accent),
		mode:        lipgloss.NewStyle().Bold(true).Foreground(text),
		sandbox:     lipgloss.NewStyle().Bold(true).Foreground(green),
		readOnly:    lipgloss.NewStyle().Bold(true).Foreground(amber),
		title:       lipgloss.NewStyle().Bold(true).Foreground(text),
		label:       lipgloss.NewStyle().Foreground(subtle),
		value:       lipgloss.NewStyle().Foreground(text),
		muted:       lipgloss.NewStyle().Foreground(subtle),
		tableHeader: lipgloss.NewStyle().Bold(true).Foreground(subtle),
		selected:    lipgloss.NewStyle().Bold(true).Foreground(text).Background(selectionBackground(isDark)),
		errorLine:   lipgloss.NewStyle().Foreground(red),
		okLine:      lipgloss.NewStyle().Foreground(green),
		warn:        lipgloss.NewStyle().Foreground(amber),
		section:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		filter:      lipgloss.NewStyle().Foreground(accent),
		box:         lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(subtle).Padding(0, 1),
	}
}

func selectionBackground(isDark bool) color.Color {
	return lipgloss.LightDark(isDark)(lipgloss.Color("#DADAF5"), lipgloss.Color("#30306A"))
}
