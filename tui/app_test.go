package tui

// These tests drive the real console program (teatest) against the sandbox
// over loopback, with the real aws client in between.

import (
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

// epoch fixes the sandbox's clock, so dates on screen are the same every run.
var epoch = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// screen keeps the latest frame the program drew, as plain text. It is written
// from the program's event loop (through a message filter) and read by the test.
type frame struct {
	mu   sync.Mutex
	text string
}

// filter draws the model when the test asks (a pingMsg), not on every
// message: drawing charts for every tick would starve a busy machine.
func (s *frame) filter(m tea.Model, msg tea.Msg) tea.Msg {
	if _, ok := msg.(pingMsg); !ok {
		return msg
	}
	text := ansi.Strip(m.View().Content)
	s.mu.Lock()
	s.text = text
	s.mu.Unlock()
	return msg
}

func (s *frame) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.text
}

// pingMsg is a message the console ignores; sending it makes the filter see
// the model as it is after every earlier message.
type pingMsg struct{}

type console struct {
	tm     *teatest.TestModel
	screen *frame
}

// waitFor waits until the screen satisfies cond, failing after a few seconds.
func (c console) waitFor(t *testing.T, what string, cond func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c.tm.Send(pingMsg{})
		time.Sleep(20 * time.Millisecond)
		if text := c.screen.String(); cond(text) {
			return text
		}
	}
	t.Fatalf("timed out waiting for %s; screen:\n%s", what, c.screen.String())
	return ""
}

func (c console) waitForText(t *testing.T, want string) string {
	t.Helper()
	return c.waitFor(t, want, func(s string) bool { return strings.Contains(s, want) })
}

// boxChars are the borders of dialogs and charts, left out when a wrapped
// sentence is looked for.
var boxChars = strings.NewReplacer("│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ")

// flat is the screen's words in one line: a sentence wrapped inside a dialog
// reads as it was written.
func flat(s string) string { return strings.Join(strings.Fields(boxChars.Replace(s)), " ") }

// waitForWords waits until want appears in the screen's words, wherever it wraps.
func (c console) waitForWords(t *testing.T, want string) string {
	t.Helper()
	want = flat(want)
	return c.waitFor(t, want, func(s string) bool { return strings.Contains(flat(s), want) })
}

func (c console) keys(keys ...string) {
	for _, k := range keys {
		switch k {
		case "enter":
			c.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
		case "esc":
			c.tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
		case "backspace":
			c.tm.Send(tea.KeyPressMsg{Code: tea.KeyBackspace})
		case "down":
			c.tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
		case "up":
			c.tm.Send(tea.KeyPressMsg{Code: tea.KeyUp})
		case "ctrl+u":
			c.tm.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
		case "ctrl+r":
			c.tm.Send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
		default:
			c.tm.Type(k)
		}
	}
}

// sandboxSession starts a sandbox on a fixed clock and a session on it.
func sandboxSession(t *testing.T) (*tune.Session, *sandbox.Sandbox) {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.Clock = clock.NewManual(epoch)
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	return sessionAt(t, srv.URL, tune.Where{Sandbox: true, Why: "embedded"}), sb
}

func sessionAt(t *testing.T, url string, where tune.Where) *tune.Session {
	t.Helper()
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: url, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	return tune.NewSession(client, where)
}

func startConsole(t *testing.T, session *tune.Session, width, height int, clk ...clock.Clock) console {
	t.Helper()
	opts := Options{}
	if len(clk) > 0 {
		opts.Clock = clk[0]
	}
	return startConsoleWith(t, session, width, height, opts)
}

func startConsoleWith(t *testing.T, session *tune.Session, width, height int, opts Options) console {
	t.Helper()
	sc := &frame{}
	opts.Session, opts.Context = session, t.Context()
	if opts.ExportDir == "" {
		opts.ExportDir = t.TempDir()
	}
	tm := teatest.NewTestModel(t, New(opts),
		teatest.WithInitialTermSize(width, height),
		teatest.WithProgramOptions(tea.WithFilter(sc.filter)))
	t.Cleanup(func() { _ = tm.Quit() })
	return console{tm: tm, screen: sc}
}

// loaded is true once every page, every function's concurrency and the
// account's usage are in.
func loaded(s string) bool {
	return strings.Contains(s, "65 functions · sort") && !strings.Contains(s, "loading") && strings.Contains(s, "claimed")
}

func TestFunctionsScreenGolden(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int
	}{{"80x24", 80, 24}, {"120x40", 120, 40}} {
		t.Run(size.name, func(t *testing.T) {
			session, _ := sandboxSession(t)
			c := startConsole(t, session, size.width, size.height)
			text := c.waitFor(t, "the list and its concurrency", loaded)
			golden.RequireEqual(t, text)
		})
	}
}

// TestFilterOpenBackQuit walks the console as a user would.
func TestFilterOpenBackQuit(t *testing.T) {
	session, sb := sandboxSession(t)
	c := startConsole(t, session, 120, 40)
	c.waitFor(t, "the list", loaded)

	c.keys("/", "product")
	text := c.waitForText(t, "1 of 65 functions")
	if !strings.Contains(text, sb.ProductFunctionName()) || strings.Contains(text, "analytics") {
		t.Fatalf("filter 'product' shows:\n%s", text)
	}
	c.keys("enter", "enter")
	text = c.waitForText(t, "only $LATEST (no published versions)")
	for _, want := range []string{sb.ProductFunctionName(), "python3.12 · x86_64", "128 MB", "3 s", "app.lambda_handler",
		"Active · last update Successful", "none (draws on the account's unreserved pool)", "no aliases"} {
		if !strings.Contains(text, want) {
			t.Errorf("function screen lacks %q:\n%s", want, text)
		}
	}
	c.keys("esc")
	c.waitForText(t, "1 of 65 functions")
	c.keys("q")
	c.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

func TestFunctionWithAliasesAndProvisioned(t *testing.T) {
	session, _ := sandboxSession(t)
	c := startConsole(t, session, 120, 40)
	text := c.waitFor(t, "the list", loaded)
	// The seeded account has a function with provisioned concurrency on an
	// alias; find it on the list and open it.
	var name string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, " live ") {
			name = strings.Fields(line)[0]
			break
		}
	}
	if name == "" {
		t.Fatalf("no function with provisioned concurrency on live:\n%s", text)
	}
	c.keys("/", name, "enter", "enter")
	text = c.waitForText(t, "Versions")
	for _, want := range []string{"live → version", "on live · READY", "allocated"} {
		if !strings.Contains(text, want) {
			t.Errorf("function screen of %s lacks %q:\n%s", name, want, text)
		}
	}
}

func TestHelpAndSort(t *testing.T) {
	session, _ := sandboxSession(t)
	c := startConsole(t, session, 100, 30)
	c.waitFor(t, "the list", loaded)
	c.keys("?")
	text := c.waitForText(t, "? or esc closes this help")
	for _, want := range []string{"filter", "sort", "refresh", "quit"} {
		if !strings.Contains(text, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	c.keys("esc", "s", "s")
	c.waitForText(t, "sort: memory ↑")
	c.keys("S")
	c.waitForText(t, "sort: memory ↓")
}

func TestTerminalTooSmall(t *testing.T) {
	session, _ := sandboxSession(t)
	c := startConsole(t, session, 40, 10)
	// The message wraps to the narrow terminal but is never cut: every word of
	// it is on screen, the size needed included.
	c.waitFor(t, "the too-small message", func(s string) bool {
		return strings.Contains(strings.Join(strings.Fields(s), " "),
			"lambdatune needs a terminal of at least 60×12; this one is 40×10. Enlarge it, or press q to quit.")
	})
	// The program may still be handling its initial size; keep resizing until
	// the new size is the last word.
	c.waitFor(t, "the list after resizing", func(s string) bool {
		c.tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
		return loaded(s)
	})
}

func TestUnreachableEndpointShowsAnError(t *testing.T) {
	srv := httptest.NewServer(nil)
	url := srv.URL
	srv.Close()
	session := sessionAt(t, url, tune.Where{Endpoint: url})
	c := startConsole(t, session, 100, 24)
	text := c.waitForText(t, "✗ cannot reach")
	if !strings.Contains(text, "connection refused") {
		t.Fatalf("error line lacks the cause:\n%s", text)
	}
	c.keys("q")
	c.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if err := c.tm.Quit(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		t.Logf("quit after finish: %v", err)
	}
}
