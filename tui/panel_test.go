package tui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

// labSandbox is a sandbox with its products API served over loopback, on clk.
type labSandbox struct {
	sb      *sandbox.Sandbox
	client  *aws.Client
	session *tune.Session
	apiURL  string
}

func startLabSandbox(t *testing.T, clk clock.Clock) labSandbox {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.Clock = clk
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	api := httptest.NewServer(sb.APIHandler())
	t.Cleanup(func() { sb.Close(); srv.Close(); api.Close() })
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true, ControlPlaneRate: -1, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	return labSandbox{sb: sb, client: client, session: tune.NewSession(client, tune.Where{Sandbox: true, Why: "embedded"}), apiURL: api.URL + "/Prod"}
}

// get asks the products API for path and returns the status code.
func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Errorf("GET %s: %v", url, err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestFunctionPanelGolden replays a fixed minute of traffic on the products
// API in simulated time, then opens the function: the panel draws exactly
// that history.
func TestFunctionPanelGolden(t *testing.T) {
	clk := clock.NewManual(epoch)
	lab := startLabSandbox(t, clk)
	start := epoch.Add(10 * time.Second)
	for i := range 240 { // one request every 250 ms for a minute, cold starts first
		clk.Set(start.Add(time.Duration(i) * 250 * time.Millisecond))
		path := "/products"
		if i%4 == 3 {
			path = "/products?limit=5"
		}
		clk.Drive(t.Context(), func() { get(t, lab.apiURL+path) })
	}
	clk.Set(start.Add(60*time.Second + 500*time.Millisecond))

	c := startConsole(t, lab.session, 120, 40, clk)
	c.waitFor(t, "the list", loaded)
	c.keys("/", "product-api", "enter", "enter")
	text := c.waitForText(t, "updated 09:01:10")
	golden.RequireEqual(t, text)
	for _, want := range []string{"invocations", "4.0/s", "duration avg", "concurrency"} {
		if !strings.Contains(text, want) {
			t.Errorf("panel lacks %q", want)
		}
	}
}

// TestFunctionPanelIsLive opens the product function while traffic runs on
// the products API in real time and watches the panel's numbers move.
func TestFunctionPanelIsLive(t *testing.T) {
	lab := startLabSandbox(t, clock.Real{})
	where := lab.session.Where()
	where.ProductsAPI, where.ProductsFunction = lab.apiURL, lab.sb.ProductFunctionName()
	c := startConsole(t, tune.NewSession(lab.client, where), 120, 40)
	c.waitFor(t, "the list", loaded)
	c.keys("/", "product-api", "enter", "enter")
	text := c.waitForText(t, "no data: no invocations in the last 3 min")
	if !strings.Contains(text, "API         "+lab.apiURL+" (ProductApiUrl)") {
		t.Errorf("the lab function's screen does not give its API URL:\n%s", text)
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				get(t, lab.apiURL+"/products")
			}
		})
	}
	defer func() { stop.Store(true); wg.Wait() }()
	first := c.waitFor(t, "invocations on the panel", func(s string) bool { return strings.Contains(s, "/s ") && !strings.Contains(s, "no data") })
	c.waitFor(t, "the panel to refresh", func(s string) bool { return panelLine(s, "updated") != panelLine(first, "updated") })
	if line := panelLine(first, "invocations"); !strings.Contains(line, "/s") {
		t.Fatalf("invocations line: %q", line)
	}
}

// panelLine returns the first line of the screen containing word.
func panelLine(screen, word string) string {
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, word) {
			return line
		}
	}
	return ""
}
