package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The developer guide names real files and functions; this test keeps it so.
// Every file path in inline code must exist, and every Go name — pkg.Name,
// Type.Method, Type.Field, pkg.Type.Method, or a mixedCaps identifier — must
// be declared somewhere in the module (tests included, for the helpers the
// guide recommends).

// guides are the documents held to the code's names.
var guides = []string{"docs/dev/architecture.md"}

// externalPackages are imports the guide names by their package name; what
// follows them is not lambdatune's to check.
var externalPackages = map[string]bool{
	"tea": true, "key": true, "help": true, "golden": true, "teatest": true,
	"cloudwatch": true, "lambda": true, "fmt": true, "http": true, "lipgloss": true,
}

var (
	codeSpans  = regexp.MustCompile("`([^`]+)`")
	goName     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)
	mixedCaps  = regexp.MustCompile(`[a-z][A-Z]`)
	pathLike   = regexp.MustCompile(`^\.?[A-Za-z0-9_*-]+(/[A-Za-z0-9_.*-]*)+$`)
	fileName   = regexp.MustCompile(`^[A-Za-z0-9_*-]+\.(go|md|sh|py)$`)
	fenceBlock = regexp.MustCompile("(?ms)^```.*?^```")
)

func TestGuideNamesExist(t *testing.T) {
	root := "../.."
	decls := declaredNames(t, root)
	for _, guide := range guides {
		data, err := os.ReadFile(filepath.Join(root, guide))
		if err != nil {
			t.Fatal(err)
		}
		text := fenceBlock.ReplaceAllString(string(data), "")
		for _, m := range codeSpans.FindAllStringSubmatch(text, -1) {
			if problem := checkGuideToken(root, strings.TrimSuffix(m[1], "()"), decls); problem != "" {
				t.Errorf("%s: `%s` %s", guide, m[1], problem)
			}
		}
	}
}

// checkGuideToken says what is wrong with one inline-code token, or "".
func checkGuideToken(root, tok string, d declarations) string {
	tok, _, _ = strings.Cut(tok, "#")
	switch {
	case strings.ContainsAny(tok, " \n\t") || len(tok) < 2:
		return "" // a command, a key, a header line: not a name
	case pathLike.MatchString(tok):
		return checkPath(root, strings.TrimSuffix(tok, "/"))
	case fileName.MatchString(tok):
		if !d.hasFile(tok) {
			return "is no file of the repository"
		}
		return ""
	case goName.MatchString(tok):
		return d.check(tok)
	}
	return ""
}

// hasFile reports whether a file of that base name, or one matching that
// pattern (op_*.go), is in the repository.
func (d declarations) hasFile(pattern string) bool {
	for name := range d.files {
		if ok, _ := path.Match(pattern, name); ok {
			return true
		}
	}
	return false
}

func checkPath(root, rel string) string {
	matches, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil || len(matches) == 0 {
		return "is no file or directory of the repository"
	}
	return ""
}

// declarations is every name the module's Go code declares.
type declarations struct {
	packages map[string]map[string]bool // package name → its top-level names
	names    map[string]bool            // every top-level name, field and method
	members  map[string]bool            // "Type.Method" and "Type.Field"
	files    map[string]bool            // base names of the repository's files
}

// check resolves a dotted Go name: an optional package, then a name or a
// Type.Member pair.
func (d declarations) check(tok string) string {
	parts := strings.Split(tok, ".")
	if externalPackages[parts[0]] {
		return ""
	}
	if len(parts) == 1 {
		if mixedCaps.MatchString(tok) && !d.names[tok] {
			return "is declared nowhere in the code"
		}
		return ""
	}
	if names, ok := d.packages[parts[0]]; ok && names[parts[1]] {
		parts = parts[1:]
	}
	switch {
	case len(parts) == 1 && d.names[parts[0]]:
		return ""
	case len(parts) == 2 && d.members[parts[0]+"."+parts[1]]:
		return ""
	}
	return "is declared nowhere in the code (renamed?)"
}

func declaredNames(t *testing.T, root string) declarations {
	t.Helper()
	d := declarations{packages: map[string]map[string]bool{}, names: map[string]bool{}, members: map[string]bool{}, files: map[string]bool{}}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if p != root && (strings.HasPrefix(e.Name(), ".") || e.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		d.files[path.Base(filepath.ToSlash(p))] = true
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		d.add(f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (d declarations) add(f *ast.File) {
	pkg := d.packages[f.Name.Name]
	if pkg == nil {
		pkg = map[string]bool{}
		d.packages[f.Name.Name] = pkg
	}
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			d.addFunc(pkg, decl)
		case *ast.GenDecl:
			for _, spec := range decl.Specs {
				d.addSpec(pkg, spec)
			}
		}
	}
}

func (d declarations) addFunc(pkg map[string]bool, fn *ast.FuncDecl) {
	d.names[fn.Name.Name] = true
	if fn.Recv == nil {
		pkg[fn.Name.Name] = true
		return
	}
	if recv := receiverName(fn.Recv.List[0].Type); recv != "" {
		d.members[recv+"."+fn.Name.Name] = true
	}
}

func receiverName(expr ast.Expr) string {
	switch e := expr.(type) {
	case *ast.StarExpr:
		return receiverName(e.X)
	case *ast.IndexExpr:
		return receiverName(e.X)
	case *ast.IndexListExpr:
		return receiverName(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}

func (d declarations) addSpec(pkg map[string]bool, spec ast.Spec) {
	switch spec := spec.(type) {
	case *ast.ValueSpec:
		for _, n := range spec.Names {
			pkg[n.Name], d.names[n.Name] = true, true
		}
	case *ast.TypeSpec:
		pkg[spec.Name.Name], d.names[spec.Name.Name] = true, true
		d.addMembers(spec.Name.Name, spec.Type)
	}
}

// addMembers records a struct's fields and an interface's methods.
func (d declarations) addMembers(typeName string, expr ast.Expr) {
	var fields *ast.FieldList
	switch t := expr.(type) {
	case *ast.StructType:
		fields = t.Fields
	case *ast.InterfaceType:
		fields = t.Methods
	default:
		return
	}
	for _, field := range fields.List {
		for _, n := range field.Names {
			d.members[typeName+"."+n.Name], d.names[n.Name] = true, true
		}
	}
}

func TestGuideTokenChecks(t *testing.T) {
	d := declarations{
		packages: map[string]map[string]bool{"aws": {"Client": true, "New": true}},
		names:    map[string]bool{"Client": true, "New": true, "FunctionMetrics": true, "requestTimeout": true},
		members:  map[string]bool{"Client.FunctionMetrics": true},
		files:    map[string]bool{"doc.go": true},
	}
	for tok, wantOK := range map[string]bool{
		"aws.Client.FunctionMetrics": true, "aws.New": true, "Client.FunctionMetrics": true, "requestTimeout": true,
		"tea.KeyPressMsg": true, "go test ./tui -run Golden -update": true, "doc.go": true, "d*.go": true, "internal/archtest": true,
		"aws.Client.Metrics": false, "Client.Nothing": false, "requestTimeOut": false, "nosuch.go": false,
		"internal/nosuch": false, "sandbox/metrics/nosuch.go": false, "aws.Nothing": false, "x*.go": false,
	} {
		if got := checkGuideToken("../..", tok, d) == ""; got != wantOK {
			t.Errorf("checkGuideToken(%q) ok = %v, want %v", tok, got, wantOK)
		}
	}
}
