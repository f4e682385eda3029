package main

import (
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
)

// TestBadFlagsAndArgumentsExit1 (issue 12 A.8): every command answers a bad
// flag or a bad argument with exit code 1 and the problem in words; 2 is
// kept for a crossed --fail-if threshold (docs/load.md).
func TestBadFlagsAndArgumentsExit1(t *testing.T) {
	u := newUser(t)
	for _, args := range [][]string{
		{"--no-such-flag"}, {"extra"}, {"--account-concurrency", "many"},
		{"set", "--no-such-flag"}, {"set", "memory", "fn"}, {"set", "memory", "fn", "256", "extra"}, {"set", "memory", "--yes=maybe", "fn", "256"},
		{"sandbox", "--no-such-flag"}, {"sandbox", "--listen", "127.0.0.1:0", "extra"}, {"sandbox", "env", "extra"}, {"sandbox", "env", "--wait", "soon"},
		{"load", "--no-such-flag"}, {"load", "-u", "many"}, {"load", "extra"},
	} {
		r := u.run(args...)
		if r.code != 1 || !strings.HasPrefix(r.stderr, "lambdatune: ") {
			t.Errorf("lambdatune %s: exit %d, stderr %q; want 1 and the problem", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	r := u.run("set", "memory", "fn")
	r.expect(t, 1, "accepts 2 arg(s), received 1", "Run 'lambdatune set memory --help' for usage.")
}

// TestVersionNamesTheBuild (issue 12 A.7): --version prints the module
// version and VCS revision the toolchain recorded in the binary, as
// `go version -m` reads them.
func TestVersionNamesTheBuild(t *testing.T) {
	u := newUser(t)
	r := u.run("--version")
	r.expect(t, 0)
	out, err := exec.Command("go", "version", "-m", u.bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	module, revision := "", ""
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 3 && fields[0] == "mod":
			module = fields[2]
		case len(fields) == 2 && strings.HasPrefix(fields[1], "vcs.revision="):
			revision = strings.TrimPrefix(fields[1], "vcs.revision=")
		}
	}
	if !strings.HasPrefix(r.stdout, "lambdatune "+module+" ") {
		t.Fatalf("--version says %q; the binary's module version is %q", r.stdout, module)
	}
	if revision != "" && !strings.Contains(r.stdout, "(revision "+revision) {
		t.Fatalf("--version says %q; the binary was built from revision %s", r.stdout, revision)
	}
	t.Logf("%s", strings.TrimSpace(r.stdout))
}

func TestDescribeBuild(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "3f088d0a1b2c"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	want := "lambdatune v0.3.0 (revision 3f088d0a1b2c of 2026-12-01T10:00:00Z, with uncommitted changes) go1.26.8"
	if got := describeBuild(info); got != want {
		t.Fatalf("describeBuild = %q, want %q", got, want)
	}
}
