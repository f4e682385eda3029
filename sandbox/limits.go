package sandbox

import (
	"fmt"
	"time"
)

// ServerLimits bound one listener's connections, so that clients that never
// finish — bodies trickled a byte at a time, connections opened and left
// idle — cannot hold the sandbox's goroutines, memory or file descriptors.
// The zero value of a field means its default (DefaultServerLimits);
// docs/sandbox-model.md gives each default's source.
type ServerLimits struct {
	// ReadHeaderTimeout is how long a client may take to send the request
	// line and headers (of the first request on a new connection, or of the
	// next on a kept-alive one once its first byte came).
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a client may take to send a request's body once
	// its headers are in; a body still arriving then is cut off.
	ReadTimeout time.Duration
	// WriteTimeout is how long a client may take to receive an answer once
	// it is ready. The modelled wait before it (up to 15 minutes for a
	// synchronous Invoke) does not count.
	WriteTimeout time.Duration
	// IdleTimeout is how long a kept-alive connection may wait for its next
	// request before the sandbox closes it.
	IdleTimeout time.Duration
	// MaxConnections caps the listener's open connections. At the cap a new
	// connection closes the one idle longest (or silent longest), and is
	// itself refused with 503 when every connection is busy. The default is
	// 1,024, lowered when the process's file limit is smaller (fdlimit*.go).
	MaxConnections int
}

// Defaults of ServerLimits.
const (
	// defaultReadHeaderTimeout: a loopback client sends its headers in
	// microseconds; ten seconds forgives a stalled machine. (I)
	defaultReadHeaderTimeout = 10 * time.Second
	// defaultReadTimeout: a 10 MB body (the front's largest) takes well under
	// a second over loopback. (I)
	defaultReadTimeout = 30 * time.Second
	// defaultWriteTimeout: an answer of at most 6 MB, likewise. (I)
	defaultWriteTimeout = 30 * time.Second
	// defaultIdleTimeout: connections to Lambda's endpoint and to API
	// Gateway are still usable after the 90 s aws-sdk-go-v2 keeps them idle
	// (M, aws/aws-sdk-go-v2#3423); the sandbox keeps them longer than that,
	// so a client's pool never reuses a connection the sandbox has just
	// closed.
	defaultIdleTimeout = 120 * time.Second
	// defaultMaxConnections per listener: far above the lab's 100 users,
	// far below the 20,000 file descriptors a shell usually grants.
	defaultMaxConnections = 1024
)

// DefaultServerLimits are the limits of both listeners unless Config says
// otherwise.
func DefaultServerLimits() ServerLimits {
	return ServerLimits{
		ReadHeaderTimeout: defaultReadHeaderTimeout,
		ReadTimeout:       defaultReadTimeout,
		WriteTimeout:      defaultWriteTimeout,
		IdleTimeout:       defaultIdleTimeout,
		MaxConnections:    connectionCap(defaultMaxConnections, openFileLimit()),
	}
}

// withDefaults fills the zero fields.
func (l ServerLimits) withDefaults() ServerLimits {
	d := DefaultServerLimits()
	pick := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	pick(&l.ReadHeaderTimeout, d.ReadHeaderTimeout)
	pick(&l.ReadTimeout, d.ReadTimeout)
	pick(&l.WriteTimeout, d.WriteTimeout)
	pick(&l.IdleTimeout, d.IdleTimeout)
	if l.MaxConnections == 0 {
		l.MaxConnections = d.MaxConnections
	}
	return l
}

func (l ServerLimits) validate(which string) error {
	if l.ReadHeaderTimeout < 0 || l.ReadTimeout < 0 || l.WriteTimeout < 0 || l.IdleTimeout < 0 {
		return fmt.Errorf("%w: %s timeouts cannot be negative", ErrBadConfig, which)
	}
	if l.MaxConnections < 0 {
		return fmt.Errorf("%w: %s connection limit %d cannot be negative", ErrBadConfig, which, l.MaxConnections)
	}
	return nil
}

// connectionCap keeps two listeners' connections, and some descriptors for
// everything else, inside the process's file limit (0: unknown).
func connectionCap(want int, fileLimit uint64) int {
	const reserved = 256
	if fileLimit == 0 || fileLimit > uint64(2*want+reserved) {
		return want
	}
	if fileLimit <= 2*64+reserved {
		return 64
	}
	return int((fileLimit - reserved) / 2)
}
