package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	ltaws "github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
)

// invokeRecorder keeps the body of every Invoke that reaches the sandbox.
type invokeRecorder struct {
	mu     sync.Mutex
	events [][]byte
}

func (rec *invokeRecorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/invocations") {
			body, _ := io.ReadAll(r.Body)
			rec.mu.Lock()
			rec.events = append(rec.events, body)
			rec.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// TestProxyEventTwinOfTheLoadEngine holds the twins equal: the API Gateway
// proxy event the load engine's Invoke target builds (load/proxyevent.go) and
// the one the sandbox's products API front builds (front_event.go, with its
// type in proxy_event.go). The load engine's event, taken off the wire, must
// have no member the sandbox's event lacks, and every member they share must
// say the same of the same request: the stage, the resource and path, the
// method, the path parameters and the query.
func TestProxyEventTwinOfTheLoadEngine(t *testing.T) {
	cfg := Fast()
	cfg.ZeroLatency = true
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	var rec invokeRecorder
	srv := httptest.NewServer(rec.wrap(sb.Handler()))
	t.Cleanup(srv.Close)
	t.Setenv("AWS_CA_BUNDLE", "") // loopback HTTP needs no CA bundle
	client, err := ltaws.New(t.Context(), ltaws.Options{EndpointURL: srv.URL, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	session, err := load.NewInvokeTarget(client, sb.ProductFunctionName(), "").NewSession()
	if err != nil {
		t.Fatal(err)
	}
	req := load.Request{Method: http.MethodGet, Path: "/products/p-1?sort=price&sort=name", Resource: "/products/{id}",
		PathParameters: map[string]string{"id": "p-1"}}
	var out load.Outcome
	session.Do(t.Context(), &req, &out)
	if len(rec.events) != 1 {
		t.Fatalf("%d invocations reached the sandbox, want 1 (outcome %+v)", len(rec.events), out)
	}
	var fromLoad proxyEvent
	dec := json.NewDecoder(bytes.NewReader(rec.events[0]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fromLoad); err != nil {
		t.Fatalf("the load engine's event has a member the sandbox's twin lacks: %v\n%s", err, rec.events[0])
	}
	routed, answer := parseFrontRequest(http.MethodGet, "/Prod/products/p-1", "sort=price&sort=name",
		http.Header{"User-Agent": {"lambdatune"}}, "127.0.0.1", "127.0.0.1:50000", nil)
	if answer != nil {
		t.Fatalf("the front did not route the request: %+v", answer)
	}
	fromFront := sb.front.event(routed, "r-1", time.Now())
	assertSameRequest(t, &fromLoad, fromFront)
}

func assertSameRequest(t *testing.T, fromLoad, fromFront *proxyEvent) {
	t.Helper()
	shared := func(ev *proxyEvent) map[string]any {
		rc := ev.RequestContext
		return map[string]any{
			"resource": ev.Resource, "path": ev.Path, "httpMethod": ev.HTTPMethod, "body": ev.Body,
			"pathParameters": ev.PathParameters, "queryStringParameters": ev.QueryStringParameters,
			"multiValueQueryStringParameters": ev.MultiValueQueryStringParameters,
			"isBase64Encoded":                 ev.IsBase64Encoded,
			"requestContext": map[string]string{"resourcePath": rc.ResourcePath, "httpMethod": rc.HTTPMethod,
				"path": rc.Path, "stage": rc.Stage, "protocol": rc.Protocol, "sourceIp": rc.Identity.SourceIP},
		}
	}
	got, _ := json.Marshal(shared(fromLoad))
	want, _ := json.Marshal(shared(fromFront))
	if !bytes.Equal(got, want) {
		t.Fatalf("the twins describe the same request differently:\nload:  %s\nfront: %s", got, want)
	}
	if fromLoad.Headers["User-Agent"] == "" || len(fromLoad.MultiValueHeaders["User-Agent"]) != 1 {
		t.Fatalf("the load engine's event lacks the headers API Gateway passes: %v", fromLoad.Headers)
	}
}
