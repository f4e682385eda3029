package tui

// Flows of the tuning loop, driven through the real program (teatest) against
// the sandbox over loopback: edit dialogs, load tests, changes under load, and
// the faults a user meets.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

// tuning is a sandbox on the real clock with its products API, a session on
// it that knows the lab's function and API, and a count of the requests that
// could change something (a Lambda PUT, POST or DELETE) reaching its AWS endpoint.
type tuning struct {
	sb      *sandbox.Sandbox
	client  *aws.Client
	session *tune.Session
	fn      string
	api     *frontServer
	writes  atomic.Int64
	journal *tune.Journal
}

// frontServer serves a handler (the products API, or the AWS endpoint) on a
// fixed loopback address that can go away and come back, as an endpoint
// does in an outage.
type frontServer struct {
	mu      sync.Mutex
	handler http.Handler
	addr    string
	srv     *http.Server
}

func (f *frontServer) start(t *testing.T) {
	t.Helper()
	addr := f.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.addr, f.srv = ln.Addr().String(), &http.Server{Handler: f.handler}
	srv := f.srv
	f.mu.Unlock()
	go srv.Serve(ln)
}

func (f *frontServer) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.srv != nil {
		_ = f.srv.Close()
	}
}

func (f *frontServer) url() string { return "http://" + f.addr + "/Prod" }

func startTuning(t *testing.T, adjust ...func(*sandbox.Config)) *tuning {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.UpdateDelay, cfg.ProvisionedAllocationDelay = 50*time.Millisecond, 300*time.Millisecond
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	for _, f := range adjust {
		f(&cfg)
	}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tn := &tuning{sb: sb, fn: sb.ProductFunctionName(), api: &frontServer{handler: sb.APIHandler()}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Lambda's API lives under dated paths; CloudWatch's reads are POSTs
		// elsewhere and change nothing.
		if r.Method != http.MethodGet && strings.HasPrefix(r.URL.Path, "/20") {
			tn.writes.Add(1)
		}
		sb.Handler().ServeHTTP(w, r)
	}))
	tn.api.start(t)
	t.Cleanup(func() { tn.api.stop(); srv.Close(); sb.Close() })
	tn.client, err = aws.New(t.Context(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true, ControlPlaneRate: -1,
		PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	tn.session = tune.NewSession(tn.client, tune.Where{Sandbox: true, Why: "embedded", Endpoint: srv.URL,
		ProductsAPI: tn.api.url(), ProductsFunction: tn.fn})
	tn.journal, err = tune.OpenJournal(t.Context(), tune.JournalPath(t.TempDir()), tune.JournalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tn.journal.Close() })
	tn.session.SetJournal(tn.journal)
	return tn
}

// open starts a console and opens the lab's function on it.
func (tn *tuning) open(t *testing.T, width, height int) console {
	t.Helper()
	c := startConsole(t, tn.session, width, height)
	c.waitFor(t, "the list", loaded)
	c.keys("/", "product-api", "enter", "enter")
	c.waitForText(t, "Active · last update Successful")
	return c
}

// retype empties the focused input and types value.
func (c console) retype(value string) { c.keys("ctrl+u", value) }

func TestEditMemoryTo3008(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.keys("m")
	c.waitForText(t, "now 128 MB (0.07 vCPU)")
	c.retype("3008")
	c.waitForText(t, "• memory 128 MB → 3008 MB")
	c.keys("enter")
	c.waitForText(t, "Make this change?")
	c.keys("y")
	c.waitForText(t, "done in")
	c.keys("esc")
	c.waitForText(t, "Memory      3008 MB (1.70 vCPU)")
}

func TestProvisionedOnLivePublishesAndAliases(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.keys("p")
	c.waitForText(t, "publish $LATEST as a new version and create alias live on it")
	c.retype("40")
	text := c.waitForWords(t, "step 3 of 3: request provisioned concurrency 40 on live and wait until READY")
	for _, want := range []string{"• provisioned concurrency on live none → 40", "unreserved concurrency", "per month"} {
		if !strings.Contains(flat(text), want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}
	c.keys("enter", "y")
	c.waitForText(t, "done in")
	c.keys("esc")
	c.waitForText(t, "40 on live · READY · 40 allocated")
	c.waitForText(t, "live → version 1 · provisioned 40 (READY)")
}

func TestReservedConcurrency20(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.keys("r")
	c.waitForText(t, "now none")
	c.retype("20")
	c.waitForText(t, "• reserved concurrency none → 20")
	c.keys("enter", "y")
	c.waitForText(t, "done in")
	c.keys("esc")
	c.waitForText(t, "Reserved    20")
}

// Every invalid value is refused with AWS's words while it is typed, enter
// does nothing with it, and no request that could change anything leaves
// the process.
func TestBadValuesNeverReachAWS(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	tests := []struct {
		key, value, want string
	}{
		{"m", "64", "Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"},
		{"m", "10241", "Member must have value less than or equal to 10240"},
		{"m", "lots", `"lots" is not a whole number`},
		{"m", "128", "that is the current setting"},
		{"r", "-1", "Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint"},
		{"r", "5000", "decreases account's UnreservedConcurrentExecution below its minimum value of [100]"},
		{"r", "1e3", `"1e3" is not a whole number`},
		{"p", "-5", "at 'provisionedConcurrentExecutions' failed to satisfy constraint"},
		{"p", "5000", "below its minimum value of [100]"},
		{"p", "many", `"many" is not a whole number`},
	}
	for _, tc := range tests {
		c.keys(tc.key)
		c.waitForText(t, "esc cancel")
		c.retype(tc.value)
		c.waitForWords(t, tc.want)
		c.keys("enter")
		if text := c.waitForWords(t, tc.want); strings.Contains(text, "Make this change?") {
			t.Fatalf("%s %s reached the confirmation:\n%s", tc.key, tc.value, text)
		}
		c.keys("esc")
		c.waitFor(t, "the dialog closed", func(s string) bool { return !strings.Contains(s, "esc cancel") })
	}
	if n := tn.writes.Load(); n != 0 {
		t.Fatalf("%d write requests reached the sandbox", n)
	}
}

// startLoad opens the load screen and starts a small, quick test.
func (c console) startLoad(t *testing.T, users string) {
	t.Helper()
	c.startLoadFor(t, users, "")
	c.waitFor(t, "requests counted", func(s string) bool { return aggregatedRequests(s) > 20 })
}

// startLoadFor starts users at 10/s, for runTime when given.
func (c console) startLoadFor(t *testing.T, users, runTime string) {
	t.Helper()
	c.keys("l")
	c.waitFor(t, "the target found", func(s string) bool { return strings.Contains(s, "the lab stack's ProductApiUrl") })
	c.keys("down", "down")
	c.retype(users)
	c.keys("down")
	c.retype("10")
	if runTime != "" {
		c.keys("down", "down", "down")
		c.retype(runTime)
	}
	c.keys("enter")
}

var aggregatedRow = regexp.MustCompile(`Aggregated\s+(\d+)`)

func aggregatedRequests(screen string) int {
	m := aggregatedRow.FindStringSubmatch(screen)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestLoadTestFillsTableAndChartsThenStops(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.startLoad(t, "10")
	text := c.waitFor(t, "the charts drawn", func(s string) bool {
		return strings.Contains(s, "requests/s ━ req/s") && strings.ContainsAny(s, "⣀⠤⠒⠉⡠⠊")
	})
	for _, want := range []string{"GET    /products ", "POST   /products ", "latency ━ p50", "concurrency ━ in flight", "users 10/10"} {
		if !strings.Contains(text, want) {
			t.Errorf("running screen lacks %q:\n%s", want, text)
		}
	}
	c.keys("x")
	text = c.waitForText(t, "Finished: stopped by the user")
	if !strings.Contains(text, "average ") || !strings.Contains(text, "p99 ") {
		t.Fatalf("summary:\n%s", text)
	}
	c.keys("e")
	text = c.waitForText(t, "saved ")
	for _, f := range regexp.MustCompile(`\S+(_stats\.csv|_stats_history\.csv|_failures\.csv|\.json)`).FindAllString(text, -1) {
		if st, err := os.Stat(strings.TrimSuffix(f, ",")); err != nil || st.Size() == 0 {
			t.Errorf("export %s: %v", f, err)
		}
	}
}

// The lab's point: change memory while the test runs and see the moment on
// the charts.
func TestChangeMemoryDuringARun(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.startLoad(t, "10")
	c.keys("m")
	c.waitForText(t, "now 128 MB")
	c.retype("3008")
	c.keys("enter", "y")
	c.waitForText(t, "done in")
	c.keys("esc")
	text := c.waitForText(t, "┃ 1 at")
	if !strings.Contains(text, "▶ ") {
		t.Fatalf("the run is not running any more:\n%s", text)
	}
	c.keys("x")
	c.waitForText(t, "Finished")
	out, err := tn.client.FunctionDetail(t.Context(), tn.fn)
	if err != nil || out.MemoryMB != 3008 {
		t.Fatalf("memory after the change: %d (%v)", out.MemoryMB, err)
	}
}

// Someone else's update is in progress: AWS refuses, the dialog says why and
// retries once the function is idle.
func TestConflictIsExplainedAndRetried(t *testing.T) {
	t.Parallel()
	tn := startTuning(t, func(c *sandbox.Config) { c.UpdateDelay = 1500 * time.Millisecond })
	c := tn.open(t, 120, 40)
	c.keys("m")
	c.waitForText(t, "now 128 MB")
	c.retype("1024")
	c.keys("enter")
	c.waitForText(t, "Make this change?")
	_, err := tn.client.Lambda().UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{
		FunctionName: sdkaws.String(tn.fn), Timeout: sdkaws.Int32(5)})
	if err != nil {
		t.Fatal(err)
	}
	c.keys("y")
	text := c.waitForWords(t, "another change to this function is still being applied")
	if !strings.Contains(flat(text), "Press r to wait") {
		t.Fatalf("no retry offered:\n%s", text)
	}
	c.keys("r")
	c.waitForText(t, "done in")
	c.keys("esc")
	c.waitForText(t, "Memory      1024 MB")
}

// The products API goes away in the middle of a test: failures are counted
// and explained, the screen still answers, the test stops on x; when the API
// comes back, requests succeed again.
func TestEndpointGoneAndBackMidTest(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.startLoad(t, "5")
	tn.api.stop()
	c.waitForText(t, "% of requests failed in the last second")
	c.keys("v")
	c.waitForText(t, "view: latency (v for next)")
	tn.api.start(t)
	c.waitFor(t, "requests succeeding again", func(s string) bool {
		return !strings.Contains(s, "failed in the last second") && strings.Contains(s, "→ http://")
	})
	c.keys("x")
	c.waitForText(t, "Finished: stopped by the user")
}

func TestResizeToTinyMidTestAndBack(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.startLoad(t, "5")
	c.tm.Send(tea.WindowSizeMsg{Width: 40, Height: 10})
	c.waitFor(t, "the too-small message", func(s string) bool { return strings.Contains(s, "60×12") })
	c.tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	c.waitFor(t, "the run at 80×24", func(s string) bool { return strings.Contains(s, "Aggregated") && strings.Contains(s, "▶ ") })
	c.keys("x")
	c.waitForText(t, "Finished")
}

// A change made elsewhere — here the SDK, as the AWS CLI or lambdatune set
// would — shows on the open Function screen by itself.
func TestChangeMadeElsewhereShows(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := startConsoleWith(t, tn.session, 120, 40, Options{DetailEvery: 200 * time.Millisecond, ListEvery: 300 * time.Millisecond})
	c.waitFor(t, "the list", loaded)
	c.keys("/", "product-api", "enter")
	c.waitForText(t, "1 of 65 functions")
	if _, err := tn.client.SetMemory(context.Background(), tn.fn, 512, nil); err != nil {
		t.Fatal(err)
	}
	c.waitFor(t, "the list's row at 512 MB", func(s string) bool {
		return regexp.MustCompile(regexp.QuoteMeta(tn.fn) + `\s+python3\.12\s+x86_64\s+512`).MatchString(s)
	})
	c.keys("enter")
	c.waitForText(t, "Memory      512 MB")
	if err := tn.client.SetReserved(context.Background(), tn.fn, 7); err != nil {
		t.Fatal(err)
	}
	c.waitForText(t, "Reserved    7")
}

// + and - change the load while it runs, and the moment is marked.
func TestMoreAndLessUsersMidRun(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	c := tn.open(t, 120, 40)
	c.startLoad(t, "10")
	c.keys("+")
	c.waitForText(t, "/20 ·")
	c.waitFor(t, "20 users running", func(s string) bool { return strings.Contains(s, "users 20/20") })
	c.keys("-", "-")
	text := c.waitFor(t, "back to 1 user... or 10 fewer twice", func(s string) bool { return strings.Contains(s, "/1 ·") })
	if !strings.Contains(text, "┃1") || !strings.Contains(text, "users 20") {
		t.Fatalf("the change is not marked:\n%s", text)
	}
	c.keys("x")
	c.waitForText(t, "Finished")
}

// With --read-only the edit keys say why they do nothing, and nothing is sent.
func TestReadOnlyEditKeysSayWhy(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: tn.session.Where().Endpoint, StaticCredentials: true,
		ControlPlaneRate: -1, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	where := tn.session.Where()
	tn.session = tune.NewSession(client, where)
	c := tn.open(t, 120, 40)
	c.waitForText(t, "m memory (read-only)")
	for _, k := range []string{"m", "r", "p"} {
		c.keys(k)
		c.waitForText(t, "read-only mode: changes are disabled")
		if strings.Contains(c.screen.String(), "esc cancel") {
			t.Fatalf("%s opened a dialog in read-only mode", k)
		}
	}
	if n := tn.writes.Load(); n != 0 {
		t.Fatalf("%d Lambda writes in read-only mode", n)
	}
}
