package load

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"
)

// Endpoint names one kind of request in the statistics, as Locust groups them:
// a method and a name such as "GET" "/products/[id]".
type Endpoint struct {
	Method string
	Name   string
}

// ServerTiming is what the function itself reported for one Invoke (the REPORT
// line of LogType=Tail). Known is false for HTTP targets, where the server's
// time is not visible.
type ServerTiming struct {
	Known          bool
	Duration       time.Duration
	BilledDuration time.Duration
	InitDuration   time.Duration // non-zero only on a cold start
	MaxMemoryMB    int
}

// Outcome is what one request came back with. Targets fill Status, Size, Err,
// Throttled and Server; the engine fills Endpoint and Latency.
type Outcome struct {
	Endpoint int
	Latency  time.Duration
	// Status is the HTTP status (for Invoke, the API Gateway proxy response's
	// statusCode); 0 when no response arrived.
	Status int
	Size   int64
	Err    error
	// Throttled marks a throttle: HTTP 429, or Invoke's TooManyRequestsException.
	Throttled bool
	// ConnectFailed marks a request that could not even connect: nothing
	// listening, no route, no such host. The engine backs off on these and
	// stops a run that never connects (see Config.UnreachableAfter).
	ConnectFailed bool
	Server        ServerTiming
	// Body is the response body when the request asked for it; it belongs to
	// the session and is valid until its next Do.
	Body []byte
}

// Failed reports whether the request counts as a failure: no response, a
// status of 400 or above, or an error the target reported.
func (o *Outcome) Failed() bool { return o.Err != nil || o.Status >= 400 || o.Throttled }

// FailureText is the line this failure is counted under in the error breakdown.
// Errors are reduced to their cause, without addresses or ports, so the same
// fault from many connections counts under one line.
func (o *Outcome) FailureText() string {
	if o.Err != nil {
		return describeError(o.Err)
	}
	if o.Status != 0 {
		return fmt.Sprintf("HTTP %d %s", o.Status, http.StatusText(o.Status))
	}
	return "throttled"
}

// ErrTimeout is the failure counted for a request that got no answer in time.
var ErrTimeout = errors.New("request timed out")

func describeError(err error) string {
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, ErrTimeout) {
		return ErrTimeout.Error()
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		var errno syscall.Errno
		if errors.As(opErr.Err, &errno) {
			return opErr.Op + ": " + errno.Error()
		}
		return opErr.Op + ": " + stripAddresses(opErr.Err.Error())
	}
	return stripAddresses(err.Error())
}

// stripAddresses drops "ip:port->ip:port" fragments that would make every
// connection's error a line of its own.
func stripAddresses(s string) string {
	fields := strings.Fields(s)
	kept := fields[:0]
	for _, f := range fields {
		if strings.Contains(f, "->") || (strings.Count(f, ":") == 1 && net.ParseIP(strings.Split(f, ":")[0]) != nil) {
			continue
		}
		kept = append(kept, f)
	}
	return strings.Join(kept, " ")
}
