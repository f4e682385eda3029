package tui

import (
	"context"
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"
)

// Run shows the console until the user quits or ctx ends. Bubble Tea restores
// the terminal on every way out, a panic included.
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) error {
	opts.Context = ctx
	programOpts := []tea.ProgramOption{tea.WithContext(ctx)}
	if in != nil {
		programOpts = append(programOpts, tea.WithInput(in))
	}
	if out != nil {
		programOpts = append(programOpts, tea.WithOutput(out))
	}
	app := New(opts)
	_, err := tea.NewProgram(app, programOpts...).Run()
	// A sweep still running restores its function, and a lab step records
	// its run, before the console exits.
	app.c.background.stopAll()
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}
