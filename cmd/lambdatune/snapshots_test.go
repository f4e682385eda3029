package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatune/lambdatune/tune"
)

const secretValue = "s3cr3t-5f0e1d2c-journal-never-keeps-me"

// TestSnapshotsHeadless journals two headless runs with a change between
// them (made through a session with the journal's recorder, as `set` does),
// then lists, shows and exports the snapshot and the session with the CLI.
// The function carries an environment variable whose value must appear in
// no file lambdatune wrote.
func TestSnapshotsHeadless(t *testing.T) {
	s := startStandalone(t)
	setSecretEnvironment(t, s)
	dir := t.TempDir()
	load := []string{"load", "--function", s.product, "--endpoint-url", s.url, "-u", "4", "--max-requests", "40", "-t", "30s", "--state-dir", dir}
	if _, stderr, err := runCLI(t.Context(), load...); err != nil || !strings.Contains(stderr, "journalled as run 1") {
		t.Fatalf("load: %v\n%s", err, stderr)
	}
	changeMemory(t, s, dir, 3008)
	if _, stderr, err := runCLI(t.Context(), load...); err != nil || !strings.Contains(stderr, "journalled as run 3") {
		t.Fatalf("load: %v\n%s", err, stderr)
	}
	account := []string{"--endpoint-url", s.url, "--state-dir", dir}

	out, _, err := runCLI(t.Context(), append([]string{"snapshots", "list"}, account...)...)
	if err != nil || !strings.Contains(out, "memory 128 MB → 3008 MB") || !strings.Contains(out, "baseline") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	out, _, err = runCLI(t.Context(), append([]string{"snapshots", "list", "--json", s.product}, account...)...)
	var listed []struct {
		ID     int64
		Kind   string
		Deltas []tune.Delta
	}
	if err != nil || json.Unmarshal([]byte(out), &listed) != nil || len(listed) != 2 || listed[1].ID != 2 || len(listed[1].Deltas) != 9 {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	out, _, err = runCLI(t.Context(), append([]string{"snapshots", "show", "2"}, account...)...)
	if err != nil || !strings.Contains(out, "cost per 1M") || !strings.Contains(out, "run 1") || !strings.Contains(out, "run 3") {
		t.Fatalf("show: %v\n%s", err, out)
	}
	exported := exportAll(t, account, dir)
	checkNoSecret(t, append(exported, journalFiles(dir)...))
}

func setSecretEnvironment(t *testing.T, s *standalone) {
	t.Helper()
	_, err := s.client.Lambda().UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{
		FunctionName: sdkaws.String(s.product),
		Environment:  &types.Environment{Variables: map[string]string{"API_TOKEN": secretValue, "TABLE": "products"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.client.WaitUpdated(t.Context(), s.product, nil); err != nil {
		t.Fatal(err)
	}
}

// changeMemory applies a change through a journalled session, as `set` and
// the console do.
func changeMemory(t *testing.T, s *standalone, dir string, mb int64) {
	t.Helper()
	j, err := openJournal(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	session := tune.NewSession(s.client, tune.Where{Endpoint: s.url})
	session.SetRecorder(j.RecorderFor(session))
	facts, err := session.Facts(t.Context(), s.product)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := tune.PlanChange(tune.ChangeRequest{Function: s.product, Kind: tune.ChangeMemory, MemoryMB: mb}, facts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := session.Apply(t.Context(), plan, tune.ApplyOptions{Path: tune.PathCLI}); err != nil {
		t.Fatal(err)
	}
}

// exportAll exports the snapshot in every format and the session as HTML,
// and returns the files.
func exportAll(t *testing.T, account []string, dir string) []string {
	t.Helper()
	var files []string
	for _, format := range tune.Formats {
		file := filepath.Join(dir, "snapshot."+string(format))
		if _, _, err := runCLI(t.Context(), append([]string{"snapshots", "export", "2", "--output", file}, account...)...); err != nil {
			t.Fatalf("export %s: %v", format, err)
		}
		files = append(files, file)
	}
	report := filepath.Join(dir, "session.html")
	if _, _, err := runCLI(t.Context(), append([]string{"snapshots", "report", "-o", report}, account...)...); err != nil {
		t.Fatalf("report: %v", err)
	}
	html, _ := os.ReadFile(report)
	if bytes.Count(html, []byte("<svg")) != 6 {
		t.Errorf("the session report has %d charts, want 6 (baseline and change, three each)", bytes.Count(html, []byte("<svg")))
	}
	md, _ := os.ReadFile(files[0])
	if !bytes.Contains(md, []byte("| metric | before | after | change | verdict |")) {
		t.Errorf("Markdown export lacks the before/after table:\n%s", md)
	}
	return append(files, report)
}

func journalFiles(dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(dir, tune.JournalFile+"*"))
	return matches
}

// checkNoSecret greps every byte of the files for the environment value.
func checkNoSecret(t *testing.T, files []string) {
	t.Helper()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(secretValue)) || bytes.Contains(data, []byte("s3cr3t")) {
			t.Errorf("%s contains the function's environment value", f)
		}
	}
	if len(files) < 6 {
		t.Errorf("checked only %d files: %v", len(files), files)
	}
}
