package sandbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
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

	// mu guards everything below: the account state and the seeded random
	// source, whose draws must happen in request order to stay deterministic.
	mu   sync.Mutex
	rng  *rand.Rand
	acct *account
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
		controlPlane: newTokenBucket(cfg.ControlPlaneRate, cfg.Clock.Now()),
		getFunction:  newTokenBucket(cfg.GetFunctionRate, cfg.Clock.Now()),
		rng:          rand.New(rand.NewPCG(uint64(cfg.Seed), 0x1a4bda7e)),
		acct: &account{
			id:               cfg.AccountID,
			region:           cfg.Region,
			concurrencyLimit: cfg.AccountConcurrency,
			functions:        map[string]*function{},
		},
	}
	s.seed(cfg.Clock.Now())
	s.routes()
	return s, nil
}

// Handler is the sandbox's AWS endpoint: every service it speaks is served
// from the same root, dispatched on path, method and headers like AWS's
// endpoints (today Lambda's control plane).
func (s *Sandbox) Handler() http.Handler { return s.mux }

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
	return uuidFrom(s.rng.Uint64(), s.rng.Uint64())
}

func uuidFrom(hi, lo uint64) string {
	hi = hi&^0xf000 | 0x4000     // version 4
	lo = lo&^(0xc<<60) | 0x8<<60 // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x",
		hi>>32, (hi>>16)&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

// Server is a sandbox listening on a TCP address.
type Server struct {
	// EndpointURL is the URL to give an AWS client, e.g. http://127.0.0.1:4566.
	EndpointURL string

	http      *http.Server
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// Start serves s on listen (e.g. "127.0.0.1:4566", or "127.0.0.1:0" for any
// free port) until ctx ends or Close is called.
func Start(ctx context.Context, s *Sandbox, listen string) (*Server, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("sandbox listen on %s: %w", listen, err)
	}
	srv := &Server{
		EndpointURL: "http://" + ln.Addr().String(),
		http:        &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second},
		done:        make(chan struct{}),
	}
	go func() {
		defer close(srv.done)
		_ = srv.http.Serve(ln)
	}()
	go func() {
		select {
		case <-ctx.Done():
			_ = srv.Close()
		case <-srv.done:
		}
	}()
	return srv, nil
}

// Close stops accepting requests, lets those in flight finish (for up to five
// seconds) and returns once the server has stopped.
func (srv *Server) Close() error {
	srv.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := srv.http.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = srv.http.Close()
		}
		<-srv.done
		if err != nil {
			srv.closeErr = fmt.Errorf("sandbox close: %w", err)
		}
	})
	return srv.closeErr
}
