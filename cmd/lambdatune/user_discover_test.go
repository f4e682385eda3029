package main

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startConsole starts lambdatune in the background — the console, or
// `lambdatune sandbox` — its standard input held open, and stops it with
// SIGTERM (as a closed terminal would) when the test ends.
func (u *user) startConsole(args ...string) *exec.Cmd {
	u.t.Helper()
	cmd := exec.Command(u.bin, args...)
	cmd.Env, cmd.Dir, cmd.Stdout, cmd.Stderr = u.environ(), u.home, io.Discard, io.Discard
	stdin, err := cmd.StdinPipe()
	if err != nil {
		u.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		u.t.Fatal(err)
	}
	u.t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = stdin.Close()
		_ = cmd.Wait()
	})
	return cmd
}

// awaitFile waits up to 30 s for path to exist.
func awaitFile(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("%s did not appear", path)
}

// shellVar reads NAME=value from `lambdatune sandbox env`'s output.
func shellVar(t *testing.T, out, name string) string {
	t.Helper()
	for line := range strings.Lines(out) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+"="); ok {
			return v
		}
	}
	t.Fatalf("no %s= in:\n%s", name, out)
	return ""
}

// TestHeadlessCommandsUseTheConsolesSandbox (issue 12 A.3): the console's
// embedded sandbox writes a private runtime file; `lambdatune sandbox env`
// and `lambdatune set`, run with no AWS configuration at all, find it and
// work on it; the file goes when the console does.
func TestHeadlessCommandsUseTheConsolesSandbox(t *testing.T) {
	u := newUser(t)
	console := u.startConsole("--sandbox", "--fast")
	file := filepath.Join(u.runDir, "lambdatune", "sandbox-"+strconv.Itoa(console.Process.Pid)+".json")
	awaitFile(t, file)
	assertMode(t, filepath.Dir(file), 0o700)
	assertMode(t, file, 0o600)

	env := u.run("sandbox", "env")
	env.expect(t, 0)
	endpoint, fn := shellVar(t, env.stdout, "E"), shellVar(t, env.stdout, "FN")
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") || !strings.HasPrefix(fn, "product-api-") ||
		!strings.Contains(env.stdout, "export AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1") {
		t.Fatalf("sandbox env:\n%s", env.stdout)
	}
	set := u.run("set", "memory", fn, "256", "--yes")
	set.expect(t, 0)
	for _, want := range []string{"in the lambdatune sandbox at " + endpoint + " (the console's, pid " + strconv.Itoa(console.Process.Pid) + ")",
		"memory of " + fn + " is 256 MB"} {
		if !strings.Contains(set.stdout, want) {
			t.Fatalf("set does not say %q:\n%s", want, set.stdout)
		}
	}

	if err := console.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := console.Wait(); err != nil {
		t.Fatalf("the console ended with %v on SIGTERM", err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("the runtime file outlived the console: %v", err)
	}
	u.run("sandbox", "env", "--wait", "0").expect(t, 1, "no lambdatune sandbox of this user is running")
}

// TestStaleRuntimeFilesAreIgnored: a file left by a process that was killed
// is not a sandbox (and is removed); neither is one whose process lives but
// whose endpoint takes no connections.
func TestStaleRuntimeFilesAreIgnored(t *testing.T) {
	u := newUser(t)
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(u.runDir, "lambdatune")
	dead := writeSandboxFile(t, dir, RunningSandbox{PID: gone.Process.Pid, Kind: kindConsole, Endpoint: closedPort(t), Started: time.Now()})
	silent := writeSandboxFile(t, dir, RunningSandbox{PID: os.Getpid(), Kind: kindConsole, Endpoint: closedPort(t), Started: time.Now()})
	u.run("sandbox", "env", "--wait", "0").expect(t, 1, "no lambdatune sandbox of this user is running")
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Fatalf("the dead process's file was kept: %v", err)
	}
	if _, err := os.Stat(silent); err != nil {
		t.Fatalf("the living process's file was removed: %v", err)
	}
	u.run("set", "memory", "fn", "256", "--yes").expect(t, 1, "no lambdatune sandbox is running and no AWS configuration is in sight")
}

func writeSandboxFile(t *testing.T, dir string, s RunningSandbox) string {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sandbox-"+strconv.Itoa(s.PID)+".json")
	writeFile(t, path, string(data))
	return path
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != want {
		t.Fatalf("%s has mode %v, want %v", path, info.Mode().Perm(), want)
	}
}

// TestSandboxEnvFindsAStandaloneSandbox: `lambdatune sandbox` leaves a
// runtime file too, so its free ports need not be copied by hand.
func TestSandboxEnvFindsAStandaloneSandbox(t *testing.T) {
	u := newUser(t)
	standalone := u.startConsole("sandbox", "--listen", "127.0.0.1:0", "--fast")
	awaitFile(t, filepath.Join(u.runDir, "lambdatune", "sandbox-"+strconv.Itoa(standalone.Process.Pid)+".json"))
	env := u.run("sandbox", "env")
	env.expect(t, 0)
	if !strings.Contains(env.stdout, "(`lambdatune sandbox`, pid "+strconv.Itoa(standalone.Process.Pid)+")") ||
		!strings.HasSuffix(shellVar(t, env.stdout, "API"), "/Prod") {
		t.Fatalf("sandbox env:\n%s", env.stdout)
	}
}
