package tui

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode"

	"github.com/lambdatune/lambdatune/internal/clock"

	"github.com/lambdatune/lambdatune/tune"
)

// common is what every screen shares: the session, size, styles and logger.
// It is passed down, never global.
type common struct {
	ctx     context.Context
	session *tune.Session
	where   tune.Where // what the header shows; the account id arrives with the list
	styles  styles
	global  globalKeys
	log     *slog.Logger
	clock   clock.Clock // the metrics window ends at its Now
	width   int
	height  int
	ids     int // numbers handed out to screens, panels and dialogs; their messages carry them
	// loadTargets remembers, per function, the load-test target the user
	// chose this session.
	loadTargets map[string]tune.LoadTarget
	// nav is the navigation asked for during the Update under way.
	nav []navigation
	// detailEvery and listEvery pace the background re-reads.
	detailEvery, listEvery time.Duration
	// exportDir is where a load test's CSV and JSON are saved.
	exportDir string
	// background is the work under way that quitting stops and waits for
	// (sweeps, lab steps).
	background *background
}

// Smallest terminal the console draws in; below it, it says so instead.
const (
	minWidth  = 60
	minHeight = 12
)

// bodyChrome is the lines around a screen's body: the header and the footer.
const bodyChrome = 2

func (c *common) tooSmall() bool { return c.width < minWidth || c.height < minHeight }

// bodyHeight is how many lines a screen's View must fill.
func (c *common) bodyHeight() int { return max(1, c.height-bodyChrome) }

func (c *common) readOnly() bool { return c.where.ReadOnly }

// newID numbers a screen, panel or dialog, so that a message meant for one
// closed since never reaches a newer one. Per console: parallel consoles
// (tests) share nothing.
func (c *common) newID() int {
	c.ids++
	return c.ids
}

// printable makes a string that came from AWS safe to draw: control
// characters (newlines, carriage returns, escape sequences) would rewrite
// the layout or its colours, so each becomes a visible "␛"-style mark or a
// space.
func printable(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteRune(' ')
		case r == 0x1b:
			b.WriteRune('␛')
		case unicode.IsControl(r):
			b.WriteRune('�')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
