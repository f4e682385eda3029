package tune_test

// The HTML report in a real browser: Debian's chromium, headless, opens the
// file offline, and both its DOM and its pixels show the charts.

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/lambdatune/lambdatune/tune"
)

// chromium finds the browser, or skips (fails on CI, which installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed: .ci/run installs Debian's chromium package for this test")
	}
	t.Skip("chromium is not installed (apt-get install chromium): the HTML report is checked with a parser only")
	return ""
}

// headless runs chromium on a file with the flags that keep it offline and
// quiet, and returns its standard output.
func headless(t *testing.T, browser, file string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=1200,2400"}
	cmd := exec.CommandContext(ctx, browser, append(append(flags, args...), "file://"+file)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

func TestExportHTMLInABrowser(t *testing.T) {
	browser := chromium(t)
	_, report := labSession(t)
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, render(t, report, tune.FormatHTML), 0o600); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(t.TempDir(), "report.png")
	dom, err := html.Parse(bytes.NewReader(headless(t, browser, file, "--dump-dom", "--screenshot="+shot)))
	if err != nil {
		t.Fatal(err)
	}
	if counts := countElements(dom); counts["svg"] != 6 || counts["table"] != 5 {
		t.Errorf("the browser's DOM has %d charts and %d tables, want 6 and 5", counts["svg"], counts["table"])
	}
	if red := chartPixels(t, shot); red < 200 {
		t.Errorf("the screenshot has %d pixels of the charts' p95 red: the charts were not drawn", red)
	}
}

// chartPixels counts pixels close to the p95 lines' colour (#d62728).
func chartPixels(t *testing.T, file string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return countNear(img, 0xd6, 0x27, 0x28)
}

func countNear(img image.Image, r0, g0, b0 int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near8(int(r>>8), r0) && near8(int(g>>8), g0) && near8(int(bl>>8), b0) {
				n++
			}
		}
	}
	return n
}

func near8(a, b int) bool { return a-b < 40 && b-a < 40 }
