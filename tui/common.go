package tui

import (
	"context"
	"log/slog"

	"github.com/lambdatune/lambdatune/internal/clock"

	"github.com/lambdatune/lambdatune/tune"
)

// common is what every screen shares: the session, size, styles, keys and
// logger. It is passed down, never global.
type common struct {
	ctx     context.Context
	session *tune.Session
	where   tune.Where // what the header shows; the account id arrives with the list
	styles  styles
	keys    keyMap
	log     *slog.Logger
	clock   clock.Clock // the metrics window ends at its Now
	width   int
	height  int
	panels  int // live panels opened so far; each gets the next number
}

// Smallest terminal the console draws in; below it, it says so instead.
const (
	minWidth  = 60
	minHeight = 12
)

func (c *common) tooSmall() bool { return c.width < minWidth || c.height < minHeight }
