package load

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// firstLine is a file's header row, as written.
func firstLine(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return line
}

// TestCSVHeadersMatchLocust: every file's header row is byte for byte the one
// Locust 2.12 wrote (testdata/locust-2.12, produced by Locust itself).
func TestCSVHeadersMatchLocust(t *testing.T) {
	url := startServer(t, okHandler)
	snap := runToEnd(t, Config{Target: mustTarget(t, url+"/products/42", HTTPOptions{}), Scenario: GetScenario{Label: "/products/[id]"}, Users: 2, RunTime: 5 * time.Second, MaxRequests: 40})
	prefix := filepath.Join(t.TempDir(), "out")
	if err := WriteLocustCSV(prefix, snap, snap.Windows, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"} {
		want := firstLine(t, filepath.Join("testdata", "locust-2.12", "out"+suffix))
		if got := firstLine(t, prefix+suffix); got != want {
			t.Errorf("%s header\n got %q\nwant %q", suffix, got, want)
		}
	}
	rows := readCSV(t, prefix+"_stats.csv")
	if len(rows) != 3 || rows[1][0] != "GET" || rows[1][1] != "/products/[id]" || rows[1][2] != "40" || rows[2][1] != "Aggregated" || rows[2][0] != "" {
		t.Fatalf("stats rows %q", rows)
	}
	if len(rows[1]) != len(rows[0]) || rows[1][8] != "5.0" {
		t.Fatalf("row shape or content size: %q", rows[1])
	}
	history := readCSV(t, prefix+"_stats_history.csv")
	if last := history[len(history)-1]; len(history) < 2 || last[3] != "Aggregated" || last[len(last)-7] != "40" {
		t.Fatalf("history rows %q", history)
	}
}

// TestLocustParsesTheSameShape reads Locust's own stats file with the same
// reader and checks the columns line up with ours: same count, same names.
func TestLocustParsesTheSameShape(t *testing.T) {
	locust := readCSV(t, filepath.Join("testdata", "locust-2.12", "out_stats.csv"))
	var buf bytes.Buffer
	if err := WriteStatsCSV(&buf, Snapshot{Total: EndpointStats{Name: "Aggregated"}}); err != nil {
		t.Fatal(err)
	}
	ours, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ours[0], ",") != strings.Join(locust[0], ",") || len(ours[1]) != len(locust[2]) {
		t.Fatalf("ours %q\nlocust %q", ours, locust)
	}
	if ours[1][11] != "N/A" || ours[1][4] != "0" {
		t.Fatalf("an empty row must read N/A percentiles like Locust's: %q", ours[1])
	}
}

func TestFailuresCSV(t *testing.T) {
	snap := Snapshot{Endpoints: []EndpointStats{
		{Method: "GET", Name: "/products/[id]", Errors: map[string]uint64{"HTTP 404 Not Found": 3, "dial: connection refused": 2}},
		{Method: "POST", Name: "/products"},
	}}
	var buf bytes.Buffer
	if err := WriteFailuresCSV(&buf, snap); err != nil {
		t.Fatal(err)
	}
	want := "Method,Name,Error,Occurrences\r\nGET,/products/[id]," + "HTTP 404 Not Found,3\r\nGET,/products/[id],dial: connection refused,2\r\n"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
