package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// requestTimeout bounds every read the console makes, so a wedged endpoint
// shows an error instead of a spinner forever.
const requestTimeout = 30 * time.Second

// pageMsg is one page of the function list (or why it could not be read).
type pageMsg struct {
	generation int
	page       aws.FunctionPage
	err        error
}

// concurrencyMsg carries concurrency settings as they arrive; next re-arms the
// stream until it closes.
type concurrencyMsg struct {
	generation int
	results    []aws.ConcurrencyResult
	stream     <-chan aws.ConcurrencyResult
	done       bool
}

// accountMsg is the account's concurrency.
type accountMsg struct {
	account aws.Account
	err     error
}

// detailMsg is one function's detail.
type detailMsg struct {
	name   string
	detail aws.FunctionDetail
	err    error
}

func loadPageCmd(ctx context.Context, s *tune.Session, generation int, marker string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		page, err := s.FunctionPage(ctx, marker)
		return pageMsg{generation: generation, page: page, err: err}
	}
}

func loadAccountCmd(ctx context.Context, s *tune.Session) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		acct, err := s.Account(ctx)
		return accountMsg{account: acct, err: err}
	}
}

func loadDetailCmd(ctx context.Context, s *tune.Session, name string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		detail, err := s.Detail(ctx, name)
		return detailMsg{name: name, detail: detail, err: err}
	}
}

// awaitConcurrencyCmd waits for the next result on stream, then takes whatever
// else has already arrived, so a fast stream costs few redraws.
func awaitConcurrencyCmd(generation int, stream <-chan aws.ConcurrencyResult) tea.Cmd {
	return func() tea.Msg {
		first, ok := <-stream
		if !ok {
			return concurrencyMsg{generation: generation, done: true}
		}
		msg := concurrencyMsg{generation: generation, results: []aws.ConcurrencyResult{first}, stream: stream}
		for {
			select {
			case r, ok := <-stream:
				if !ok {
					msg.done = true
					return msg
				}
				msg.results = append(msg.results, r)
			default:
				return msg
			}
		}
	}
}

// usageMsg is the account's concurrency in use, from CloudWatch.
type usageMsg struct {
	metrics aws.AccountMetrics
	err     error
}

// usageTickMsg asks for the next usage read.
type usageTickMsg struct{}
