package tune_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"

	"github.com/lambdatune/lambdatune/tune"
)

// labSession records a baseline, memory 128 → 3008 MB, and a run after, and
// returns the session's report.
func labSession(t *testing.T) (journalFixture, tune.Report) {
	t.Helper()
	f := newJournalFixture(t)
	f.run(t, 4, 200)
	f.change(t, tune.ChangeRequest{Kind: tune.ChangeMemory, MemoryMB: 3008}, tune.PathCLI)
	f.run(t, 4, 200)
	report, err := f.journal.SessionReport(t.Context(), tune.SandboxScope, f.fn, tune.DefaultPrices())
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Items) != 2 || len(report.Runs) != 2 {
		t.Fatalf("report has %d snapshots and %d runs", len(report.Items), len(report.Runs))
	}
	return f, report
}

// TestExports checks every format of one session's report: Markdown
// renders as tables, JSON round-trips, CSV has a header and a row per run,
// HTML parses and holds its charts.
func TestExports(t *testing.T) {
	_, report := labSession(t)
	t.Run("markdown", func(t *testing.T) { checkMarkdownRendersAsTables(t, report) })
	t.Run("json", func(t *testing.T) { checkJSONRoundTrips(t, report) })
	t.Run("csv", func(t *testing.T) { checkCSVHasAHeaderAndARowPerRun(t, report) })
	t.Run("html", func(t *testing.T) { checkHTMLParsesAndHoldsItsCharts(t, report) })
}

func render(t *testing.T, r tune.Report, format tune.Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf, format); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func checkMarkdownRendersAsTables(t *testing.T, report tune.Report) {
	md := render(t, report, tune.FormatMarkdown)
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.Table)).Convert(md, &out); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	// The baseline: its numbers; the change: deltas, endpoints, cost; each
	// with a cost table.
	if n := strings.Count(page, "<table>"); n != 5 {
		t.Errorf("%d tables rendered, want 5:\n%s", n, md)
	}
	for _, want := range []string{"<th>metric</th>", "memory 128 MB → 3008 MB", "<td>average</td>", "cost per 1M", "GET /products"} {
		if !strings.Contains(page, want) {
			t.Errorf("rendered Markdown lacks %q", want)
		}
	}
}

func checkJSONRoundTrips(t *testing.T, report tune.Report) {
	data := render(t, report, tune.FormatJSON)
	back, err := tune.ReadReportJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	first, _ := json.Marshal(report)
	if !bytes.Equal(first, again) {
		t.Fatalf("the report changed on its way through JSON")
	}
	after := back.Items[1].After
	if after == nil || after.Total.Latency == nil || len(after.Windows) == 0 || len(back.Items[1].Deltas) != 9 {
		t.Fatalf("decoded report lacks the run's histogram, windows or deltas")
	}
}

func checkCSVHasAHeaderAndARowPerRun(t *testing.T, report tune.Report) {
	rows, err := csv.NewReader(bytes.NewReader(render(t, report, tune.FormatCSV))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "run_id" {
		t.Fatalf("CSV has %d rows, header %q", len(rows), rows[0])
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	if rows[1][col["memory_mb"]] != "128" || rows[2][col["memory_mb"]] != "3008" || rows[2][col["cost_per_1m_usd"]] == "" {
		t.Errorf("rows: %q", rows[1:])
	}
}

var svgElement = regexp.MustCompile(`(?s)<svg.*?</svg>`)

func checkHTMLParsesAndHoldsItsCharts(t *testing.T, report tune.Report) {
	page := render(t, report, tune.FormatHTML)
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	counts := countElements(doc)
	// Two snapshots, three charts each; no script, nothing fetched.
	if counts["svg"] != 6 || counts["section"] != 2 || counts["script"] != 0 || counts["img"] != 0 || counts["link"] != 0 {
		t.Errorf("elements: %v", counts)
	}
	svgs := svgElement.FindAll(page, -1)
	if len(svgs) != 6 {
		t.Fatalf("%d SVG elements found in the text", len(svgs))
	}
	for i, svg := range svgs {
		if paths := wellFormedSVG(t, svg); paths < 5 {
			t.Errorf("chart %d has %d paths: nothing drawn", i, paths)
		}
	}
}

func countElements(n *html.Node) map[string]int {
	counts := map[string]int{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			counts[n.Data]++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return counts
}

// wellFormedSVG parses an SVG with encoding/xml and counts its paths.
func wellFormedSVG(t *testing.T, svg []byte) int {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	paths := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return paths
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "path" {
			paths++
		}
	}
}
