package tui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// screen is one page of the console: the Functions list, a function, a load
// test... The root keeps them on a stack: the top one is drawn and takes the
// keys; every other message goes to every open screen, and each ignores what
// is not its own (a generation, a function name or a panel id says so).
type screen interface {
	Update(msg tea.Msg) (screen, tea.Cmd)
	// View draws the body: exactly bodyHeight() lines of the console's width.
	View() string
	// Keys are the keys that work on the screen now: the footer and the help
	// overlay are drawn from them, so they list exactly those.
	Keys() help.KeyMap
	// Title names the screen in the header.
	Title() string
	// Capturing is true while the screen takes every key as text (a filter
	// being typed), so that q and ? are letters, not commands.
	Capturing() bool
}

// overlay is drawn over the screens and takes every key while it is open:
// help, the command line, confirmations and the edit dialogs are overlays.
// Non-key messages reach it as well as the screens.
type overlay interface {
	Update(msg tea.Msg) (overlay, tea.Cmd)
	// View draws the overlay's box; the root centres it over the body.
	View() string
	Keys() help.KeyMap
	Title() string
}

// Navigation is recorded on common while a screen or overlay handles a
// message, and the root applies it as soon as that Update returns, before
// the next message: a key typed right after enter reaches the screen that
// enter opened.
type navigation struct {
	kind    navKind
	screen  screen
	overlay overlay
}

type navKind int

const (
	navPush navKind = iota
	navPop
	navPopToRoot
	navOpenOverlay
	navCloseOverlay
)

// push opens s on top of the stack; the caller returns s's first commands.
func (c *common) push(s screen) { c.nav = append(c.nav, navigation{kind: navPush, screen: s}) }

// pop closes the screen on top (never the last one).
func (c *common) pop() { c.nav = append(c.nav, navigation{kind: navPop}) }

// popToRoot closes every screen but the Functions list.
func (c *common) popToRoot() { c.nav = append(c.nav, navigation{kind: navPopToRoot}) }

func (c *common) openOverlay(o overlay) {
	c.nav = append(c.nav, navigation{kind: navOpenOverlay, overlay: o})
}

func (c *common) closeOverlay() { c.nav = append(c.nav, navigation{kind: navCloseOverlay}) }

// statusMsg puts a line in the footer for a while: what a key did, or why it
// did nothing.
type statusMsg struct {
	text  string
	isErr bool
}

func status(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, isErr: isErr} }
}
