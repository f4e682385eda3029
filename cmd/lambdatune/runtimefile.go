package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Kinds of running sandbox.
const (
	kindConsole    = "console"
	kindStandalone = "standalone"
)

// runtimeFilePrefix and runtimeFileSuffix frame the pid in a runtime file's name.
const (
	runtimeFilePrefix = "sandbox-"
	runtimeFileSuffix = ".json"
)

// runtimeDir is where running sandboxes leave their runtime files:
// $XDG_RUNTIME_DIR/lambdatune (the XDG base directory spec makes
// XDG_RUNTIME_DIR private to the user), or else lambdatune-UID in the
// system's temporary directory, which must be the user's own and private.
func runtimeDir() (string, error) {
	if base := os.Getenv("XDG_RUNTIME_DIR"); base != "" && filepath.IsAbs(base) {
		dir := filepath.Join(base, "lambdatune")
		return dir, os.MkdirAll(dir, 0o700)
	}
	dir := filepath.Join(os.TempDir(), "lambdatune-"+strconv.Itoa(os.Getuid()))
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return "", err
	}
	return dir, checkPrivateDir(dir)
}

// writeRuntimeFile records s where other lambdatune processes of this user
// look for it, readable by the user only. The returned function removes it.
func writeRuntimeFile(s RunningSandbox) (remove func(), err error) {
	dir, err := runtimeDir()
	if err != nil {
		return nil, fmt.Errorf("runtime directory: %w", err)
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".sandbox-*") // CreateTemp makes it 0600
	if err != nil {
		return nil, fmt.Errorf("runtime file: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	cerr := tmp.Close()
	path := filepath.Join(dir, runtimeFilePrefix+strconv.Itoa(s.PID)+runtimeFileSuffix)
	if err := errors.Join(werr, cerr, os.Rename(tmp.Name(), path)); err != nil {
		_ = os.Remove(tmp.Name())
		return nil, fmt.Errorf("runtime file: %w", err)
	}
	return func() { _ = os.Remove(path) }, nil
}

// readRuntimeFiles returns the sandboxes whose process is still alive; the
// files of dead processes are removed.
func readRuntimeFiles() []RunningSandbox {
	dir, err := runtimeDir()
	if err != nil {
		return nil
	}
	paths, _ := filepath.Glob(filepath.Join(dir, runtimeFilePrefix+"*"+runtimeFileSuffix))
	var out []RunningSandbox
	for _, path := range paths {
		s, ok := readRuntimeFile(path)
		switch {
		case !ok:
		case processAlive(s.PID):
			out = append(out, s)
		default:
			_ = os.Remove(path) // left by a process that was killed
		}
	}
	return out
}

// readRuntimeFile reads one file; one that does not parse or whose pid does
// not match its name is not a sandbox's.
func readRuntimeFile(path string) (RunningSandbox, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return RunningSandbox{}, false
	}
	var s RunningSandbox
	if json.Unmarshal(data, &s) != nil || s.PID <= 0 || s.Endpoint == "" {
		return RunningSandbox{}, false
	}
	name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), runtimeFilePrefix), runtimeFileSuffix)
	return s, name == strconv.Itoa(s.PID)
}
