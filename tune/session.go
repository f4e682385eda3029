package tune

import (
	"context"
	"strings"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/internal/clock"
)

// Where says what the console is connected to; the header shows it at all times.
type Where struct {
	// Sandbox is true when talking to lambdatune's sandbox rather than AWS.
	Sandbox bool
	// Why explains how the mode was chosen, e.g. "no AWS configuration found".
	Why       string
	AccountID string
	Region    string
	Profile   string
	Endpoint  string
	ReadOnly  bool
	// ProductsAPI is the lab stack's API URL (its ProductApiUrl output) and
	// ProductsFunction the function behind it, when known: the embedded
	// sandbox knows both.
	ProductsAPI, ProductsFunction string
}

// Label is the header's one-line statement of where the user is:
// "SANDBOX · us-east-1" or "123456789012 · eu-west-1 · profile dev".
func (w Where) Label() string {
	var parts []string
	if w.Sandbox {
		parts = append(parts, "SANDBOX")
	} else {
		account := w.AccountID
		if account == "" {
			account = "account ?"
		}
		parts = append(parts, account)
	}
	parts = append(parts, w.Region)
	if w.Profile != "" {
		parts = append(parts, "profile "+w.Profile)
	}
	if !w.Sandbox && w.Endpoint != "" {
		parts = append(parts, w.Endpoint)
	}
	return strings.Join(parts, " · ")
}

// Session is one console session against one account and region: what the
// screens read and change goes through it.
type Session struct {
	client   *aws.Client
	where    Where
	clock    clock.Clock
	prices   Prices
	recorder Recorder
	journal  *Journal
}

// NewSession wraps a client; where describes it for the header. Prices are
// the region's defaults (SetPrices overrides them).
func NewSession(client *aws.Client, where Where) *Session {
	where.Region = client.Region()
	where.ReadOnly = client.ReadOnly()
	prices, _ := PricesFor(where.Region)
	return &Session{client: client, where: where, clock: clock.Real{}, prices: prices}
}

// SetClock sets the clock that stamps records and ends metrics windows.
func (s *Session) SetClock(c clock.Clock) { s.clock = c }

// SetPrices replaces the price list cost is computed with.
func (s *Session) SetPrices(p Prices) { s.prices = p }

// Prices is the price list in use.
func (s *Session) Prices() Prices { return s.prices }

// SetRecorder makes every change applied through the session recorded.
func (s *Session) SetRecorder(r Recorder) { s.recorder = r }

// Client is the aws client behind the session, for the load engine's Invoke
// target and for reads the session does not wrap.
func (s *Session) Client() *aws.Client { return s.client }

// Where says what the session is connected to.
func (s *Session) Where() Where { return s.where }

// WithAccountFrom returns where with the account id filled in from a function
// ARN, when it was not known yet: lambdatune learns the account from what it
// lists rather than asking for an identity it may not be allowed to read.
func (w Where) WithAccountFrom(arn string) Where {
	if w.AccountID == "" {
		w.AccountID = aws.AccountIDFromARN(arn)
	}
	return w
}

// FunctionPage reads one page of functions.
func (s *Session) FunctionPage(ctx context.Context, marker string) (aws.FunctionPage, error) {
	return s.client.ListFunctionsPage(ctx, marker)
}

// concurrencyParallelism bounds the concurrency reads in flight; the client's
// token bucket keeps their rate under AWS's control-plane throttle.
const concurrencyParallelism = 4

// FillConcurrency streams the concurrency settings of the named functions.
func (s *Session) FillConcurrency(ctx context.Context, names []string) <-chan aws.ConcurrencyResult {
	return s.client.FillConcurrency(ctx, names, concurrencyParallelism)
}

// Account reads the account's concurrency limit and unreserved capacity.
func (s *Session) Account(ctx context.Context) (aws.Account, error) {
	return s.client.AccountSettings(ctx)
}

// Detail reads one function's configuration, concurrency, versions and aliases.
func (s *Session) Detail(ctx context.Context, name string) (aws.FunctionDetail, error) {
	return s.client.FunctionDetail(ctx, name)
}

// FunctionMetrics reads the live panel's CloudWatch series in one call.
func (s *Session) FunctionMetrics(ctx context.Context, q aws.FunctionMetricsQuery) (aws.FunctionMetrics, error) {
	return s.client.FunctionMetrics(ctx, q)
}

// AccountMetrics reads the account's concurrency series.
func (s *Session) AccountMetrics(ctx context.Context, w aws.MetricWindow) (aws.AccountMetrics, error) {
	return s.client.AccountMetrics(ctx, w)
}
