package aws

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go/middleware"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// SandboxRegion is the region the sandbox claims to be in.
const SandboxRegion = "us-east-1"

// Options says which account to talk to and how.
type Options struct {
	// Profile is a shared-config profile (~/.aws/config); empty means the SDK's
	// default chain (env, AWS_PROFILE, SSO, ...).
	Profile string
	// Region overrides the profile's or environment's region.
	Region string
	// EndpointURL points both the Lambda and the CloudWatch clients at an
	// AWS-compatible endpoint: the sandbox, LocalStack, moto. AWS_ENDPOINT_URL in
	// the environment is honoured by the SDK when this is empty.
	EndpointURL string
	// StaticCredentials uses fixed dummy credentials instead of the SDK chain;
	// the sandbox accepts any signature. Never set for a real account.
	StaticCredentials bool
	// ReadOnly blocks every write operation before it is sent (see readonly.go).
	ReadOnly bool
	// ControlPlaneRate caps control-plane requests per second sent by this
	// process. AWS throttles most of the Lambda control plane at 15 requests/s per
	// account; the default of 10 leaves room for other tools. Zero means default;
	// negative means unlimited.
	ControlPlaneRate float64
	// HTTPClient, when set, replaces the tuned default.
	HTTPClient config.HTTPClient
	// Clock drives waits between polls; defaults to the wall clock.
	Clock clock.Clock
	// PollInterval is the pause between status reads while waiting for
	// provisioned concurrency to become READY; default 2 s.
	PollInterval time.Duration
	// Logger receives debug lines; never the terminal while the UI runs.
	Logger *slog.Logger
}

// Client is the console's handle on one account and region.
type Client struct {
	lambda   *lambda.Client
	cw       *cloudwatch.Client
	cfn      *cloudformation.Client
	cfg      sdkaws.Config
	opts     Options
	limiter  *pacer // the control plane at large (AWS: 15 requests/s)
	getFn    *pacer // GetFunction, which AWS allows 100 requests/s
	clock    clock.Clock
	log      *slog.Logger
	endpoint string
	sandbox  *atomic.Bool // an answer carried SandboxHeader (probe.go)
}

// ErrNoRegion is returned when no region is configured anywhere.
var ErrNoRegion = errors.New("no AWS region configured")

// New builds a client from opts. It does not call AWS.
func New(ctx context.Context, opts Options) (*Client, error) {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = defaultHTTPClient()
	}
	sandbox := &atomic.Bool{}
	cfg, err := config.LoadDefaultConfig(ctx, loadOptions(opts, sandbox)...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, ErrNoRegion
	}
	c := &Client{
		cfg:      cfg,
		opts:     opts,
		clock:    opts.Clock,
		log:      opts.Logger,
		endpoint: opts.EndpointURL,
		sandbox:  sandbox,
		limiter:  newPacer(opts.Clock, controlPlaneRate(opts.ControlPlaneRate)),
		getFn:    newPacer(opts.Clock, getFunctionRate(opts.ControlPlaneRate)),
	}
	c.lambda = lambda.NewFromConfig(cfg)
	c.cw = cloudwatch.NewFromConfig(cfg)
	c.cfn = cloudformation.NewFromConfig(cfg)
	return c, nil
}

func loadOptions(opts Options, sandbox *atomic.Bool) []func(*config.LoadOptions) error {
	lo := []func(*config.LoadOptions) error{
		config.WithHTTPClient(opts.HTTPClient),
		config.WithRetryer(newRetryer),
		config.WithLogger(sdkLogger{opts.Logger}),
		config.WithClientLogMode(0), // never log requests: they carry signatures
		config.WithAPIOptions([]func(*middleware.Stack) error{
			guardWrites(opts.ReadOnly),
			noticeSandbox(sandbox),
		}),
	}
	if opts.Profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.Region != "" {
		lo = append(lo, config.WithRegion(opts.Region))
	}
	if opts.EndpointURL != "" {
		lo = append(lo, config.WithBaseEndpoint(opts.EndpointURL))
	}
	if opts.StaticCredentials {
		lo = append(lo,
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("sandbox", "sandbox", "")),
			config.WithDefaultRegion(SandboxRegion))
		if opts.Region == "" {
			lo = append(lo, config.WithRegion(SandboxRegion))
		}
	}
	return lo
}

// newRetryer retries throttles and transient faults with capped backoff. The
// retry quota is off: listing a large account under AWS's control-plane throttle
// legitimately needs many throttle retries, and the token bucket in front of
// every call (limiter.go) keeps them rare.
//
// An endpoint that refuses connections or does not resolve is not retried:
// nothing listens there, and retrying would only make the user wait.
func newRetryer() sdkaws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 8
		o.MaxBackoff = 5 * time.Second
		o.RateLimiter = ratelimit.None
		o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(unreachable)}, o.Retryables...)
	})
}

// unreachable says "do not retry" for connection-refused and unknown-host errors
// and has no opinion on anything else.
func unreachable(err error) sdkaws.Ternary {
	var dnsErr *net.DNSError
	if errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dnsErr) {
		return sdkaws.FalseTernary
	}
	return sdkaws.UnknownTernary
}

// defaultHTTPClient fails fast on an unreachable endpoint (a connect timeout of
// a few seconds, not the kernel's minutes) and keeps connections to AWS alive.
// It is the SDK's buildable client, so AWS_CA_BUNDLE and the like still apply.
func defaultHTTPClient() config.HTTPClient {
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) {
			d.Timeout = 3 * time.Second
			d.KeepAlive = 30 * time.Second
		}).
		WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConns = 64
			t.MaxIdleConnsPerHost = 32
			t.TLSHandshakeTimeout = 5 * time.Second
			t.ResponseHeaderTimeout = 30 * time.Second
		})
}

// Region is the region the client talks to.
func (c *Client) Region() string { return c.cfg.Region }

// Profile is the shared-config profile in use, or "" for the default chain.
func (c *Client) Profile() string { return c.opts.Profile }

// Endpoint is the custom endpoint in use, or "" for AWS itself.
func (c *Client) Endpoint() string { return c.endpoint }

// ReadOnly reports whether writes are blocked.
func (c *Client) ReadOnly() bool { return c.opts.ReadOnly }

// Lambda exposes the underlying SDK client for packages that need an operation
// this one does not wrap; writes through it are still guarded by read-only mode.
func (c *Client) Lambda() *lambda.Client { return c.lambda }

// CloudWatch exposes the underlying SDK CloudWatch client.
func (c *Client) CloudWatch() *cloudwatch.Client { return c.cw }

// wait blocks until the control-plane limiter admits one more request.
func (c *Client) wait(ctx context.Context) error { return c.limiter.Take(ctx) }

// waitGetFunction blocks until the GetFunction limiter admits one more request.
func (c *Client) waitGetFunction(ctx context.Context) error { return c.getFn.Take(ctx) }
