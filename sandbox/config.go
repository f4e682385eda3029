package sandbox

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// Defaults of the account (docs/sandbox-model.md#the-control-plane).
const (
	DefaultAccountID          = "123456789012"
	DefaultRegion             = "us-east-1"
	DefaultAccountConcurrency = 1000 // [S2], [S22]
	DefaultControlPlaneRate   = 15   // requests/s, most of the Lambda control plane [S2]
	DefaultGetFunctionRate    = 100  // requests/s, GetFunction has its own quota [S2]

	minUpdateDelay     = 1 * time.Second   // InProgress 1–3 s: "very fast" outside a VPC [S34]; the length (I)
	maxUpdateDelay     = 3 * time.Second   //
	minAllocationDelay = 60 * time.Second  // provisioned IN_PROGRESS 60–120 s (D) [S22]
	maxAllocationDelay = 120 * time.Second //
)

// Config shapes one sandbox account. The zero value of every field means its
// default, so Config{} is a realistic account on the wall clock.
type Config struct {
	// Clock is the sandbox's only source of time; default clock.Real{}.
	Clock clock.Clock
	// Seed makes the seeded functions and every random draw (IDs, delays)
	// deterministic.
	Seed int64
	// AccountID is the 12-digit account in every ARN; default "123456789012".
	AccountID string
	// Region is the region in every ARN; default "us-east-1".
	Region string
	// AccountConcurrency is the account's concurrent-executions limit; default
	// 1000 (use 10 for a "new account").
	AccountConcurrency int
	// UpdateDelay is how long UpdateFunctionConfiguration stays InProgress;
	// zero draws 1–3 s from the seed for each update.
	UpdateDelay time.Duration
	// ProvisionedAllocationDelay is how long a provisioned-concurrency config
	// stays IN_PROGRESS before it is READY all at once; zero draws 60–120 s
	// from the seed for each allocation.
	ProvisionedAllocationDelay time.Duration
	// ControlPlaneRate and GetFunctionRate are the per-account request rates
	// (per second) above which the control plane answers 429
	// TooManyRequestsException; zero means the defaults 15 and 100, negative
	// means unlimited.
	ControlPlaneRate, GetFunctionRate float64
	// ExtraFunctions adds that many generated functions to the seeded account,
	// e.g. to build a 300-function account.
	ExtraFunctions int
	// ZeroLatency makes the sandbox answer as fast as the machine allows:
	// the execution model still runs in full (cold starts, Durations in
	// REPORT lines, concurrency, throttles) but nobody waits out the
	// modelled time. For capacity benchmarks of the sandbox itself.
	ZeroLatency bool
	// Metrics sets the CloudWatch metric store's publication delay and
	// retention (its Clock is always Clock); the zero value publishes every
	// second with no delay, so the console's live view is live.
	Metrics metrics.Options
	// Observer hears of every invocation, throttle and concurrency change,
	// e.g. to record CloudWatch metrics; default none.
	Observer Observer

	// AllowRemote lets the sandbox answer requests addressed to any host
	// name. By default it answers only requests for localhost or a loopback
	// address, and refuses those a web page on another origin sent, so that
	// no page in a browser can drive it (guard.go).
	AllowRemote bool
	// Endpoint and Front bound the connections of the AWS endpoint and of
	// the products API front: timeouts and how many may be open; zero fields
	// take DefaultServerLimits.
	Endpoint, Front ServerLimits
	// MemoryBudget bounds the bytes that requests in flight hold — bodies
	// being read, answers waiting out their modelled latency or a slow
	// reader — across both listeners (budget.go); default
	// DefaultMemoryBudget. A request that does not fit waits for others to
	// finish.
	MemoryBudget int64
}

// Fast is the configuration for walkthroughs and tests: updates finish in
// 300 ms and provisioned concurrency is READY 2 s after it is requested;
// throttling stays on at AWS's rates.
func Fast() Config {
	return Config{
		UpdateDelay:                300 * time.Millisecond,
		ProvisionedAllocationDelay: 2 * time.Second,
	}
}

var accountIDPattern = regexp.MustCompile(`^\d{12}$`)
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d$`)

// ErrBadConfig is wrapped by every configuration error New returns.
var ErrBadConfig = errors.New("invalid sandbox configuration")

// withDefaults fills the zero fields and rejects values no account can have.
func (c Config) withDefaults() (Config, error) {
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	if c.AccountID == "" {
		c.AccountID = DefaultAccountID
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.AccountConcurrency == 0 {
		c.AccountConcurrency = DefaultAccountConcurrency
	}
	if c.ControlPlaneRate == 0 {
		c.ControlPlaneRate = DefaultControlPlaneRate
	}
	if c.GetFunctionRate == 0 {
		c.GetFunctionRate = DefaultGetFunctionRate
	}
	if c.MemoryBudget == 0 {
		c.MemoryBudget = DefaultMemoryBudget
	}
	c.Endpoint, c.Front = c.Endpoint.withDefaults(), c.Front.withDefaults()
	return c, c.validate()
}

func (c Config) validate() error {
	switch {
	case !accountIDPattern.MatchString(c.AccountID):
		return fmt.Errorf("%w: account id %q is not 12 digits", ErrBadConfig, c.AccountID)
	case !regionPattern.MatchString(c.Region):
		return fmt.Errorf("%w: region %q is not a region name like us-east-1", ErrBadConfig, c.Region)
	case c.AccountConcurrency < 1:
		return fmt.Errorf("%w: account concurrency %d must be at least 1", ErrBadConfig, c.AccountConcurrency)
	case c.UpdateDelay < 0 || c.ProvisionedAllocationDelay < 0:
		return fmt.Errorf("%w: delays cannot be negative", ErrBadConfig)
	case c.ExtraFunctions < 0:
		return fmt.Errorf("%w: extra functions %d cannot be negative", ErrBadConfig, c.ExtraFunctions)
	case c.MemoryBudget < 0:
		return fmt.Errorf("%w: memory budget %d cannot be negative", ErrBadConfig, c.MemoryBudget)
	}
	if err := c.Endpoint.validate("endpoint"); err != nil {
		return err
	}
	return c.Front.validate("front")
}
