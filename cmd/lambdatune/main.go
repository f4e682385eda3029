// Command lambdatune is the terminal console for tuning AWS Lambda functions for
// latency and cost, plus its headless subcommands. This package only wires the
// parts together: it is the one place that imports sandbox (to start it
// in-process) and hands its URL to the aws client like any other endpoint.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCmd()
	err := cmd.ExecuteContext(ctx)
	if err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			if exit.msg != "" {
				fmt.Fprintln(os.Stderr, "lambdatune:", exit.msg)
			}
			os.Exit(exit.code)
		}
		fmt.Fprintln(os.Stderr, "lambdatune:", err)
		os.Exit(1)
	}
}

// exitError carries an exit code out of a subcommand; msg, when set, is printed.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }
