package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/lambdatune/lambdatune"

// forbidden maps a package (directory relative to the module root; a trailing
// "/..." covers sub-packages) to imports its production code must not have.
var forbidden = map[string][]string{
	"aws/...":        {module + "/tune", module + "/load", module + "/tui", module + "/sandbox"},
	"load/...":       {module + "/tune", module + "/tui", module + "/sandbox"},
	"tune/...":       {module + "/tui", module + "/sandbox"},
	"sandbox/...":    {module + "/aws", module + "/tune", module + "/load", module + "/tui"},
	"internal/clock": {module + "/"},
	"internal/uuid":  {module + "/"},
	// ratelimit is a leaf too, but for the clock it waits on.
	"internal/ratelimit": {module + "/aws", module + "/tune", module + "/load", module + "/tui", module + "/sandbox", module + "/cmd"},
}

// charmPrefixes are the modules only tui may import.
var charmPrefixes = []string{"charm.land/", "github.com/charmbracelet/", "github.com/NimbleMarkets/"}

// sdkPrefix is the AWS SDK: the aws package is lambdatune's boundary with it,
// so the layers above (tui, tune, load) speak only aws's own types. (cmd
// builds an HTTP client with it; the sandbox borrows smithy's CBOR codec.)
const sdkPrefix = "github.com/aws/"

var sdkBanned = []string{"tui", "tune", "load"}

func TestDependencyRule(t *testing.T) {
	imports := productionImports(t, "../..")
	for dir, imps := range imports {
		for _, imp := range imps {
			checkImport(t, dir, imp)
		}
	}
	if len(imports) < 5 {
		t.Fatalf("found only %d packages; is the module root right?", len(imports))
	}
}

func checkImport(t *testing.T, dir, imp string) {
	t.Helper()
	for _, prefix := range charmPrefixes {
		if strings.HasPrefix(imp, prefix) && dir != "tui" && !strings.HasPrefix(dir, "tui/") {
			t.Errorf("%s imports %s: only tui may import Charm", dir, imp)
		}
	}
	if (imp == module+"/sandbox" || strings.HasPrefix(imp, module+"/sandbox/")) &&
		dir != "cmd/lambdatune" && !strings.HasPrefix(dir, "sandbox") {
		t.Errorf("%s imports %s: only cmd/lambdatune may import the sandbox", dir, imp)
	}
	for _, layer := range sdkBanned {
		if covers(layer+"/...", dir) && strings.HasPrefix(imp, sdkPrefix) {
			t.Errorf("%s imports %s: only the aws package talks to the AWS SDK", dir, imp)
		}
	}
	for pattern, bans := range forbidden {
		if !covers(pattern, dir) {
			continue
		}
		for _, ban := range bans {
			if imp == ban || (strings.HasSuffix(ban, "/") && strings.HasPrefix(imp, ban)) ||
				strings.HasPrefix(imp, ban+"/") {
				t.Errorf("%s imports %s, against the dependency rule", dir, imp)
			}
		}
	}
}

func covers(pattern, dir string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return dir == base || strings.HasPrefix(dir, base+"/")
	}
	return dir == pattern
}

// productionImports parses every non-test Go file under root and returns the
// imports of each package directory.
func productionImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		for _, spec := range f.Imports {
			imp, _ := strconv.Unquote(spec.Path.Value)
			out[filepath.ToSlash(rel)] = append(out[filepath.ToSlash(rel)], imp)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
