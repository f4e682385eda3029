package sandbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/internal/uuid"
)

// Sandbox is one simulated AWS account and region. It is safe for concurrent
// use; serve it with Handler or Start.
type Sandbox struct {
	cfg   Config
	clock clock.Clock
	mux   *http.ServeMux
	// productFunction is the lab's function name, fixed at seeding.
	productFunction string

	// controlPlane and getFunction are the account's request-rate quotas; nil
	// means unlimited.
	controlPlane, getFunction *tokenBucket

	// observer hears of invocations, throttles and concurrency changes.
	observer Observer
	// cloudWatch records the model's metrics and serves them.
	cloudWatch *cloudWatch
	// products is the lab function's code over its products table.
	products *productsHandler
	// front is the products API front (API Gateway stand-in).
	front *front
	// budget bounds the memory of the requests in flight on both listeners.
	budget *sandboxMemory
	// lag measures how late the sandbox's timers fire (lag.go), and its
	// heartbeat starts once.
	lag           *lagMeter
	heartbeatOnce sync.Once

	// lifetime ends with Close; Event invocations still waiting stop then.
	lifetime context.Context
	stop     context.CancelFunc
	// asyncPending counts Event invocations accepted but not finished, and
	// asyncBytes their payloads.
	asyncPending, asyncBytes atomic.Int64

	// mu guards everything below: the account state, the execution state and
	// the seeded random source, whose draws must happen in request order to
	// stay deterministic.
	mu   sync.Mutex
	rng  *rand.Rand
	acct *account
	// inflight and unreservedInflight count invocations in flight in the
	// account and on its unreserved pool; requests is the account's request
	// rate, 10 × its concurrency limit per second.
	inflight, unreservedInflight int
	requests                     rateBucket
	// productsAPIURL is where Start serves the products front (Server.APIURL),
	// the lab stack's ProductApiUrl output; "" until then.
	productsAPIURL string
}

// New builds a sandbox with its seeded account. It does not listen anywhere.
func New(cfg Config) (*Sandbox, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Sandbox{
		cfg:          cfg,
		clock:        cfg.Clock,
		mux:          http.NewServeMux(),
		controlPlane: newTokenBucket(cfg.ControlPlaneRate),
		getFunction:  newTokenBucket(cfg.GetFunctionRate),
		rng:          rand.New(rand.NewPCG(uint64(cfg.Seed), 0x1a4bda7e)),
		acct: &account{
			id:               cfg.AccountID,
			region:           cfg.Region,
			concurrencyLimit: cfg.AccountConcurrency,
			functions:        map[string]*function{},
			stacks:           map[string]*stack{},
		},
	}
	s.budget = newSandboxMemory(cfg.MemoryBudget)
	s.cloudWatch = newCloudWatch(cfg)
	s.lag = newLagMeter(s.cloudWatch.schedulingLag)
	s.observer = s.cloudWatch
	if cfg.Observer != nil {
		s.observer = observers{s.cloudWatch, cfg.Observer}
	}
	s.lifetime, s.stop = context.WithCancel(context.Background())
	s.products = &productsHandler{table: newProductTable()}
	s.seed(cfg.Clock.Now())
	s.products.table.seedProducts(s.rng, seededProducts)
	s.front = newFront(s)
	s.routes()
	return s, nil
}

// Close stops the Event invocations still queued or waiting for their
// retries. Server.Close calls it; call it yourself when serving Handler
// without Start.
func (s *Sandbox) Close() { s.stop() }

// Handler is the sandbox's AWS endpoint: every service it speaks is served
// from the same root, dispatched on path, method, headers and Query Version
// (aws_endpoint.go): Lambda (REST-JSON paths), CloudWatch (RPC v2 CBOR, JSON
// 1.0 and Query) and CloudFormation (Query). Every response says it comes
// from the sandbox (IdentityHeader), refusals included; like every handler of
// the sandbox it is guarded (guard.go).
func (s *Sandbox) Handler() http.Handler {
	return identified(s.guard(s.awsEndpoint(s.mux), s.cfg.Endpoint, refuseEndpoint))
}

// updateDelay is how long the next update stays InProgress.
func (s *Sandbox) updateDelay() time.Duration {
	if s.cfg.UpdateDelay > 0 {
		return s.cfg.UpdateDelay
	}
	return s.uniformDuration(minUpdateDelay, maxUpdateDelay)
}

// allocationDelay is how long the next provisioned allocation stays IN_PROGRESS.
func (s *Sandbox) allocationDelay() time.Duration {
	if s.cfg.ProvisionedAllocationDelay > 0 {
		return s.cfg.ProvisionedAllocationDelay
	}
	return s.uniformDuration(minAllocationDelay, maxAllocationDelay)
}

func (s *Sandbox) uniformDuration(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(s.rng.Int64N(int64(hi-lo)+1))
}

// newUUID draws a version-4 UUID from the seeded source.
func (s *Sandbox) newUUID() string {
	return uuid.FromBits(s.rng.Uint64(), s.rng.Uint64())
}

// Server is a sandbox listening on two loopback addresses: its AWS endpoint
// and its products API front.
type Server struct {
	// EndpointURL is the URL to give an AWS client, e.g. http://127.0.0.1:4566.
	EndpointURL string
	// APIURL is the products API's base URL with its stage, e.g.
	// http://127.0.0.1:4567/Prod: the sandbox's equivalent of the lab stack's
	// output ProductApiUrl. Its routes are /products and /products/{id}.
	APIURL string

	sandbox   *Sandbox
	servers   []*http.Server
	limiters  []*connLimiter
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// Start serves s's AWS endpoint on listen and its products API front on
// apiListen (e.g. "127.0.0.1:4566" and "127.0.0.1:4567"; port 0 picks a free
// port; an empty apiListen means a free port on listen's host) until ctx ends
// or Close is called.
func Start(ctx context.Context, s *Sandbox, listen, apiListen string) (*Server, error) {
	if apiListen == "" {
		host, _, err := net.SplitHostPort(listen)
		if err != nil {
			return nil, fmt.Errorf("sandbox listen on %s: %w", listen, err)
		}
		apiListen = net.JoinHostPort(host, "0")
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("sandbox listen on %s: %w", listen, err)
	}
	apiLn, err := net.Listen("tcp", apiListen)
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("sandbox products API listen on %s: %w", apiListen, err)
	}
	srv := &Server{
		EndpointURL: "http://" + ln.Addr().String(),
		APIURL:      "http://" + apiLn.Addr().String() + "/" + frontStage,
		sandbox:     s,
		done:        make(chan struct{}),
	}
	s.mu.Lock()
	s.productsAPIURL = srv.APIURL
	s.mu.Unlock()
	srv.serve(ln, s.Handler(), s.cfg.Endpoint)
	srv.serve(apiLn, s.APIHandler(), s.cfg.Front)
	s.startHeartbeat()
	go srv.closeWhenDone(ctx)
	return srv, nil
}

// maxHeaderBytes bounds a request's line and headers: API Gateway's quota is
// 10,240 bytes (D: API Gateway quotas); SigV4 headers take about 2 KB. Go
// answers 431 above it.
const maxHeaderBytes = 16 << 10

// serve serves h on ln within limits until Close.
func (srv *Server) serve(ln net.Listener, h http.Handler, limits ServerLimits) {
	limited := newConnLimiter(ln, limits)
	hs := &http.Server{
		Handler: h, ConnState: limited.track, MaxHeaderBytes: maxHeaderBytes,
		ReadHeaderTimeout: limits.ReadHeaderTimeout, WriteTimeout: limits.WriteTimeout, IdleTimeout: limits.IdleTimeout,
	}
	srv.servers = append(srv.servers, hs)
	srv.limiters = append(srv.limiters, limited)
	go func() { _ = hs.Serve(limited) }()
}

func (srv *Server) closeWhenDone(ctx context.Context) {
	select {
	case <-ctx.Done():
		_ = srv.Close()
	case <-srv.done:
	}
}

// Close stops accepting requests, stops the sandbox (invocations waiting out
// their modelled time are answered at once, Event invocations still queued
// are dropped), lets the requests in flight finish for up to five seconds and
// returns once both servers have stopped.
func (srv *Server) Close() error {
	srv.closeOnce.Do(func() {
		defer close(srv.done)
		srv.sandbox.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var errs []error
		for _, hs := range srv.servers {
			err := hs.Shutdown(ctx)
			if errors.Is(err, context.DeadlineExceeded) {
				err = hs.Close()
			}
			errs = append(errs, err)
		}
		if err := errors.Join(errs...); err != nil {
			srv.closeErr = fmt.Errorf("sandbox close: %w", err)
		}
	})
	return srv.closeErr
}
