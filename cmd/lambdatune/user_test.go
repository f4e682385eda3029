package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests in the user_*_test.go files run the built lambdatune binary as a
// user would, each in an environment of its own: a fresh home, state and
// runtime directory, no AWS configuration unless the test gives one, and no
// network but loopback.

var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// binary builds ./cmd/lambdatune once per test run, as `go build` in a
// checkout does (with the VCS information --version reports, where the
// checkout has it).
func binary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "lambdatune-bin-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "lambdatune")
		out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", built.path, ".").CombinedOutput()
		if err != nil {
			built.err = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// user is a person at a shell.
type user struct {
	t                   *testing.T
	bin                 string
	home, state, runDir string
	env                 map[string]string
}

func newUser(t *testing.T) *user {
	t.Helper()
	u := &user{t: t, bin: binary(t), home: t.TempDir(), state: t.TempDir(), runDir: t.TempDir()}
	u.env = map[string]string{
		"PATH": os.Getenv("PATH"), "HOME": u.home, "XDG_STATE_HOME": u.state, "XDG_RUNTIME_DIR": u.runDir,
		"AWS_EC2_METADATA_DISABLED": "true", // no test asks a metadata service but its own
	}
	return u
}

func (u *user) environ() []string {
	var out []string
	for k, v := range u.env {
		if v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// result is what one command did.
type result struct {
	stdout, stderr string
	code           int
}

// run runs lambdatune with args and nothing on standard input, for at most
// a minute.
func (u *user) run(args ...string) result {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, u.bin, args...)
	cmd.Env, cmd.Dir = u.environ(), u.home
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		u.t.Fatalf("lambdatune %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// logFile is the user's lambdatune log.
func (u *user) logFile() string {
	data, _ := os.ReadFile(filepath.Join(u.state, "lambdatune", "lambdatune.log"))
	return string(data)
}

// expect fails the test unless r exited with code and its standard error
// holds every one of want.
func (r result) expect(t *testing.T, code int, want ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Fatalf("stderr does not say %q:\n%s", w, r.stderr)
		}
	}
}
