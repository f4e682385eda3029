package tui

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

// A description with newlines, carriage returns and colour codes is drawn
// as text: it neither breaks the layout nor colours the screen.
func TestControlCharactersFromAWSAreNotDrawn(t *testing.T) {
	t.Parallel()
	tn := startTuning(t)
	_, err := tn.client.Lambda().UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{
		FunctionName: sdkaws.String(tn.fn), Description: sdkaws.String("line one\nline two\r\x1b[31mred\x1b[0m")})
	if err != nil {
		t.Fatal(err)
	}
	c := startConsole(t, tn.session, 120, 40)
	c.waitFor(t, "the list", loaded)
	c.keys("/", "product-api", "enter", "enter")
	text := c.waitForText(t, "line one line two ␛[31mred␛[0m")
	if got := strings.Count(text, "\n") + 1; got != 40 {
		t.Fatalf("the screen has %d lines, want 40:\n%s", got, text)
	}
}

// syncBuffer is a log sink the test reads while the console writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// The endpoint goes away: the list says it cannot reach it and the log says
// so once; it comes back: the error line clears with the next good read and
// the log says that too.
func TestOutageIsShownLoggedOnceAndCleared(t *testing.T) {
	t.Parallel()
	cfg := sandbox.Fast()
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	ep := &frontServer{handler: sb.Handler()}
	ep.start(t)
	t.Cleanup(ep.stop)
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: "http://" + ep.addr, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	session := tune.NewSession(client, tune.Where{Sandbox: true, Endpoint: "http://" + ep.addr})
	c := startConsoleWith(t, session, 120, 40, Options{ListEvery: 200 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	c.waitFor(t, "the list", loaded)
	ep.stop()
	c.waitForText(t, "✗ cannot reach")
	time.Sleep(time.Second) // several failed re-reads
	ep.start(t)
	c.waitFor(t, "the error gone", func(s string) bool { return !strings.Contains(s, "✗") && strings.Contains(s, "65 functions") })
	log := logs.String()
	if n := strings.Count(log, "function list read failed"); n != 1 {
		t.Errorf("the outage was logged %d times, want once:\n%s", n, log)
	}
	if !strings.Contains(log, "function list read recovered") {
		t.Errorf("the recovery was not logged:\n%s", log)
	}
}
