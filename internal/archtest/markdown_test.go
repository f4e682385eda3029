package archtest

import (
	"strings"
	"testing"
	"unicode"
)

// markdownDoc is what a link into a Markdown file can point at: the anchors
// of its headings.
type markdownDoc struct {
	anchors map[string]bool
}

// markdownIndex collects the anchors of every Markdown file.
func markdownIndex(t *testing.T, root string, files []repoFile) map[string]*markdownDoc {
	t.Helper()
	docs := map[string]*markdownDoc{}
	for _, f := range files {
		if strings.HasSuffix(f.rel, ".md") {
			docs[f.rel] = &markdownDoc{anchors: headingAnchors(f.text)}
		}
	}
	return docs
}

// headingAnchors lists the anchors GitHub gives a document's headings (a
// heading inside a fenced code block is not one): the text in lower case,
// without punctuation, spaces as hyphens; a repeated anchor gets -1, -2, ….
func headingAnchors(text string) map[string]bool {
	anchors := map[string]bool{}
	seen := map[string]int{}
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		heading, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " ")
		if fenced || !strings.HasPrefix(line, "#") || !ok {
			continue
		}
		anchor := slug(heading)
		if n := seen[anchor]; n > 0 {
			anchors[anchor+"-"+itoa(n)] = true
		} else {
			anchors[anchor] = true
		}
		seen[anchor]++
	}
	return anchors
}

// slug is GitHub's anchor for a heading's text.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

func TestSlugMatchesGitHub(t *testing.T) {
	for heading, want := range map[string]string{
		"Scheduling lag (`lag.go`)":                                 "scheduling-lag-laggo",
		"Validation: what AWS refuses, in its words":                "validation-what-aws-refuses-in-its-words",
		"The lab's products API":                                    "the-labs-products-api",
		"`--csv PREFIX`":                                            "--csv-prefix",
		"Concurrency, scaling and throttles":                        "concurrency-scaling-and-throttles",
		"Load engine (`lambdatune load`, package `load`) — issue 5": "load-engine-lambdatune-load-package-load--issue-5",
	} {
		if got := slug(heading); got != want {
			t.Errorf("slug(%q) = %q, want %q", heading, got, want)
		}
	}
	anchors := headingAnchors("# A\n```sh\n# not a heading\n```\n## A\n#nope\n")
	for _, want := range []string{"a", "a-1"} {
		if !anchors[want] {
			t.Errorf("anchors %v lack %q", anchors, want)
		}
	}
	if anchors["not-a-heading"] || anchors["nope"] {
		t.Errorf("anchors %v include a line that is not a heading", anchors)
	}
}
