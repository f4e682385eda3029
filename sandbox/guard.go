package sandbox

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lambdatune/lambdatune/internal/uuid"
	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// The guard stands in front of both listeners' handlers. It refuses what a
// web page could send — a page in a browser on this machine reaches
// 127.0.0.1 too: by a cross-site request (the browser adds its Origin) or by
// DNS rebinding (a name of the attacker's that resolves to 127.0.0.1, sent as
// Host) — it bounds the time a body may take to arrive, and it gives each
// request its share of the memory budget.

// refuser answers a refused request in its listener's protocol.
type refuser func(w http.ResponseWriter, r *http.Request, message string)

// guard wraps h, the handler of a listener with limits.
func (s *Sandbox) guard(h http.Handler, limits ServerLimits, refuse refuser) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if message := s.refusal(r); message != "" {
			refuse(w, r, message)
			return
		}
		g := &guarded{mem: requestMemory{budget: s.budget}}
		defer g.mem.done()
		ctx := withMemory(r.Context(), &g.mem)
		g.writer = budgetWriter{ResponseWriter: w, ctx: ctx, mem: &g.mem}
		req := r.WithContext(ctx) // a copy: the server still sees its own body, to discard what is left unread
		if r.Body != nil && r.Body != http.NoBody {
			rc := http.NewResponseController(w)
			_ = rc.SetReadDeadline(time.Now().Add(limits.ReadTimeout))
			req.Body = &deadlineBody{ReadCloser: r.Body, rc: rc}
		}
		h.ServeHTTP(&g.writer, req)
	})
}

// guarded is what the guard keeps for one request, in one allocation.
type guarded struct {
	mem    requestMemory
	writer budgetWriter
}

// refusal says why the guard refuses r, or "" when it does not.
func (s *Sandbox) refusal(r *http.Request) string {
	if !s.cfg.AllowRemote && !isLoopbackName(hostName(r.Host)) {
		return fmt.Sprintf("The sandbox answers only requests addressed to localhost or a loopback address, not to %q "+
			"(a web page can reach it under another name by DNS rebinding); start it with --allow-remote to serve other names.", r.Host)
	}
	if origin := r.Header.Get("Origin"); origin != "" && !isOwnOrigin(origin, r) {
		return fmt.Sprintf("The sandbox does not answer requests that web pages send: this one came from %s, "+
			"not from the sandbox's own origin. Use the AWS CLI, an SDK, curl or lambdatune instead.", origin)
	}
	return ""
}

// hostName is host without its port.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

// isLoopbackName: localhost, or an address of this machine's loopback.
func isLoopbackName(name string) bool {
	if strings.EqualFold(name, "localhost") {
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && ip.IsLoopback()
}

// isOwnOrigin tells whether a request's Origin is the sandbox's own: the
// host it was addressed to, or a loopback name on the port it arrived at.
func isOwnOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "http" || u.Path != "" || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	_, port, err := net.SplitHostPort(local.String())
	return err == nil && isLoopbackName(u.Hostname()) && u.Port() == port
}

// refuseEndpoint refuses a request to the AWS endpoint as Lambda refuses one
// it may not serve (403 AccessDeniedException), or a CloudWatch request in
// CloudWatch's protocol (403 AccessDenied).
func refuseEndpoint(w http.ResponseWriter, r *http.Request, message string) {
	if metrics.IsCloudWatchRequest(r) {
		metrics.WriteClientError(w, r, http.StatusForbidden, "AccessDeniedException", "AccessDenied", message)
		return
	}
	setRequestID(w)
	newAPIError(http.StatusForbidden, "AccessDeniedException", "%s", message).write(w)
}

// refuseFront refuses a request to the products API as API Gateway refuses
// one its resource policy denies: 403 {"message": …}.
func refuseFront(w http.ResponseWriter, _ *http.Request, message string) {
	writeFrontAnswer(w, uuid.New(), frontAnswer{status: http.StatusForbidden, errorType: "ForbiddenException", body: messageBody(message)})
}
