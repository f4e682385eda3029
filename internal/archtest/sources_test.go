package archtest

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The repository explains itself: a comment or a document may cite only what
// a user who clones it has. These tests read every text file of the
// repository (testdata aside) and fail on a citation that leads outside it:
// a Markdown file that is not in the repository, a link or an #anchor that
// goes nowhere, a source tag that no sources list defines, or a section sign
// that names no public document.

// outsideNames are documents that were never part of the repository; citing
// them by name, with or without ".md", points a reader at nothing. They are
// spelled in two parts so that this file does not cite them itself.
var outsideNames = []string{"lambda" + "-facts", "shared" + "/docs"}

// notFiles are Markdown names that are not citations: a usage line's
// placeholder. Keyed by the file that mentions them.
var notFiles = map[string][]string{
	"scripts/walkthrough.sh": {"doc" + ".md"},
}

var (
	// mdMention is a Markdown file named in text ("docs/load.md",
	// "sandbox-model.md#cpu-share"); the character before it tells a shell
	// variable ("$root/docs/…") from a plain path.
	mdMention = regexp.MustCompile(`(^|[^A-Za-z0-9_./-])((?:\.\./|[A-Za-z0-9_.-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.md)(#[A-Za-z0-9_-]+)?`)
	// mdLink is a Markdown link target: [text](target).
	mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	// sourceTag is a citation of a numbered source: [S9], [V3].
	sourceTag = regexp.MustCompile(`\[([SV][0-9]+)\]`)
	// sourceDef is a sources list's entry: "- [S9] title — URL".
	sourceDef = regexp.MustCompile(`(?m)^- \[([SV][0-9]+)\] `)
	// codeSpan is inline code in Markdown, whose brackets are not links.
	codeSpan = regexp.MustCompile("`[^`\n]*`")
	// publicSection is a section sign that names a public document: RFC 9112
	// §5.2, or one of our issues (issue 13 §5).
	publicSection = regexp.MustCompile(`(RFC [0-9]+|issue [0-9]+)[^\x{00a7}]*\x{00a7}`)
)

// repoFile is one text file of the repository.
type repoFile struct {
	rel  string // slash-separated, relative to the root
	text string
}

func TestCitationsStayInTheRepository(t *testing.T) {
	root := "../.."
	files := textFiles(t, root)
	docs := markdownIndex(t, root, files)
	for _, f := range files {
		checkOutsideNames(t, f)
		checkMarkdownMentions(t, root, f, docs)
		checkSectionSigns(t, f)
		if strings.HasSuffix(f.rel, ".md") {
			checkLinks(t, root, f, docs)
		}
	}
	if len(files) < 100 || docs["docs/sources.md"] == nil {
		t.Fatalf("read %d files and no docs/sources.md: is the repository root right?", len(files))
	}
}

func TestSourceTagsAreDefined(t *testing.T) {
	files := textFiles(t, "../..")
	defined := map[string]string{}
	for _, f := range files {
		if !strings.HasPrefix(f.rel, "docs/") {
			continue
		}
		for _, m := range sourceDef.FindAllStringSubmatch(f.text, -1) {
			if where, dup := defined[m[1]]; dup {
				t.Errorf("[%s] is defined twice: in %s and %s", m[1], where, f.rel)
			}
			defined[m[1]] = f.rel
		}
	}
	if defined["S1"] != "docs/sources.md" {
		t.Fatalf("docs/sources.md does not define [S1]; found %d definitions", len(defined))
	}
	for _, f := range files {
		for _, line := range lines(f.text) {
			for _, m := range sourceTag.FindAllStringSubmatch(line.text, -1) {
				if defined[m[1]] == "" {
					t.Errorf("%s:%d cites [%s], which no sources list in docs/ defines (add it to docs/sources.md)",
						f.rel, line.number, m[1])
				}
			}
		}
	}
}

func checkOutsideNames(t *testing.T, f repoFile) {
	t.Helper()
	for _, line := range lines(f.text) {
		for _, name := range outsideNames {
			if strings.Contains(line.text, name) {
				t.Errorf("%s:%d cites %q, which is not in the repository: cite a document in docs/ "+
					"(docs/sources.md for a public source) instead", f.rel, line.number, name)
			}
		}
	}
}

func checkMarkdownMentions(t *testing.T, root string, f repoFile, docs map[string]*markdownDoc) {
	t.Helper()
	text := f.text
	if strings.HasSuffix(f.rel, ".md") {
		text = mdLink.ReplaceAllString(text, "]()") // checkLinks reads the links
	}
	for _, line := range lines(text) {
		for _, m := range mdMention.FindAllStringSubmatch(line.text, -1) {
			before, name, anchor := m[1], m[2], strings.TrimPrefix(m[3], "#")
			if placeholder(f.rel, name) {
				continue
			}
			if before == "$" { // "$root/docs/walkthrough…": the variable stands for a directory
				_, name, _ = strings.Cut(name, "/")
			}
			target, ok := resolveMention(root, f.rel, name)
			if !ok {
				t.Errorf("%s:%d cites %s, which is not in the repository", f.rel, line.number, name)
				continue
			}
			checkAnchor(t, f.rel, line.number, target, anchor, docs)
		}
	}
}

func placeholder(file, name string) bool {
	for _, p := range notFiles[file] {
		if p == name {
			return true
		}
	}
	return false
}

// resolveMention finds a mentioned Markdown file as a reader would: beside
// the file that mentions it, from the repository's root, or in docs/.
func resolveMention(root, from, name string) (string, bool) {
	for _, dir := range []string{path.Dir(from), ".", "docs"} {
		rel := path.Clean(path.Join(dir, name))
		if strings.HasPrefix(rel, "../") {
			continue
		}
		if exists(root, rel) {
			return rel, true
		}
	}
	return "", false
}

func checkLinks(t *testing.T, root string, f repoFile, docs map[string]*markdownDoc) {
	t.Helper()
	for _, line := range lines(codeSpan.ReplaceAllString(f.text, "``")) {
		for _, m := range mdLink.FindAllStringSubmatch(line.text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			rel := f.rel
			if file != "" {
				rel = path.Clean(path.Join(path.Dir(f.rel), file))
			}
			if strings.HasPrefix(rel, "../") || !exists(root, rel) {
				t.Errorf("%s:%d links to %s, which is not in the repository", f.rel, line.number, target)
				continue
			}
			checkAnchor(t, f.rel, line.number, rel, anchor, docs)
		}
	}
}

func checkAnchor(t *testing.T, from string, lineNumber int, target, anchor string, docs map[string]*markdownDoc) {
	t.Helper()
	if anchor == "" {
		return
	}
	doc := docs[target]
	if doc == nil || !doc.anchors[anchor] {
		t.Errorf("%s:%d points at %s#%s, but %s has no heading with that anchor", from, lineNumber, target, anchor, target)
	}
}

func checkSectionSigns(t *testing.T, f repoFile) {
	t.Helper()
	for _, line := range lines(f.text) {
		if strings.ContainsRune(line.text, '\u00a7') && !publicSection.MatchString(line.text) {
			t.Errorf("%s:%d has a section sign that names no public document (write \"RFC N \u00a7x\" or \"issue N \u00a7x\", "+
				"or cite a heading of a document in docs/)", f.rel, line.number)
		}
	}
}

// textFiles reads every file under root that holds text, skipping hidden
// directories, testdata (fuzz corpora, goldens) and built binaries.
func textFiles(t *testing.T, root string) []repoFile {
	t.Helper()
	var out []repoFile
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		hidden := strings.HasPrefix(name, ".") && name != ".ci"
		if d.IsDir() {
			if p != root && (hidden || name == "testdata" || name == "bin") {
				return filepath.SkipDir
			}
			return nil
		}
		if hidden {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil || bytes.IndexByte(data, 0) >= 0 {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, repoFile{rel: filepath.ToSlash(rel), text: string(data)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func exists(root, rel string) bool {
	_, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
	return err == nil
}

type numberedLine struct {
	number int
	text   string
}

func lines(text string) []numberedLine {
	split := strings.Split(text, "\n")
	out := make([]numberedLine, len(split))
	for i, l := range split {
		out[i] = numberedLine{i + 1, l}
	}
	return out
}
