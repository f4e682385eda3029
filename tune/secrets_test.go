package tune_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

const secretValue = "s3cr3t-9c1b7a52-never-in-the-journal"

// TestEnvironmentValuesAreNeverWritten sets an environment variable on the
// function with the SDK, journals runs and changes with every logger at
// debug level into one file, exports everything, and greps every byte
// lambdatune wrote for the value: the journal (with its WAL, still open),
// the log and each export.
func TestEnvironmentValuesAreNeverWritten(t *testing.T) {
	dir := t.TempDir()
	logFile, err := os.Create(filepath.Join(dir, "lambdatune.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	log := slog.New(slog.NewTextHandler(logFile, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := secretFixture(t, dir, log)
	setSecret(t, f.client, f.fn)

	f.run(t, 2, 60)
	f.change(t, tune.ChangeRequest{Kind: tune.ChangeMemory, MemoryMB: 1024}, tune.PathConsole)
	rec := f.run(t, 2, 60)
	rec.CloudWatch = tune.ReadCloudWatchView(t.Context(), f.client, rec, 0)
	// A change the journal cannot file (no account yet) is logged, with its title.
	_ = f.journal.Recorder(tune.Scope{Region: "us-east-1"}).RecordChange(t.Context(), tune.ChangeRecord{Function: f.fn, Title: "memory"})

	report, err := f.journal.SessionReport(t.Context(), tune.SandboxScope, f.fn, tune.DefaultPrices())
	if err != nil {
		t.Fatal(err)
	}
	files := journalFilesIn(t, dir)
	for _, format := range tune.Formats {
		path := filepath.Join(dir, "export."+string(format))
		if err := os.WriteFile(path, render(t, report, format), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	logged, _ := os.ReadFile(logFile.Name())
	if !bytes.Contains(logged, []byte("change not recorded")) {
		t.Errorf("the journal's failure was not logged: the log check would prove nothing\n%s", logged)
	}
	for _, file := range append(files, logFile.Name()) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(secretValue)) || bytes.Contains(data, []byte("s3cr3t")) {
			t.Errorf("%s contains the function's environment value", file)
		}
	}
}

// secretFixture is the journal fixture with a logger on the aws client and
// the journal, and the journal in dir.
func secretFixture(t *testing.T, dir string, log *slog.Logger) journalFixture {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.ZeroLatency = true
	cfg.UpdateDelay, cfg.ControlPlaneRate, cfg.GetFunctionRate = 20*time.Millisecond, -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { sb.Close(); srv.Close() })
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true,
		ControlPlaneRate: -1, PollInterval: 20 * time.Millisecond, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	j, err := tune.OpenJournal(t.Context(), filepath.Join(dir, tune.JournalFile), tune.JournalOptions{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	session := tune.NewSession(client, tune.Where{Sandbox: true})
	session.SetRecorder(j.RecorderFor(session))
	return journalFixture{sb: sb, client: client, session: session, journal: j, fn: sb.ProductFunctionName()}
}

func setSecret(t *testing.T, client *aws.Client, fn string) {
	t.Helper()
	_, err := client.Lambda().UpdateFunctionConfiguration(context.Background(), &lambda.UpdateFunctionConfigurationInput{
		FunctionName: sdkaws.String(fn),
		Environment:  &types.Environment{Variables: map[string]string{"API_TOKEN": secretValue}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.WaitUpdated(t.Context(), fn, nil); err != nil {
		t.Fatal(err)
	}
	d, err := client.FunctionDetail(t.Context(), fn)
	if err != nil || !hasEnvironment(d) {
		t.Fatalf("the function's environment was not set: %v", err)
	}
}

func hasEnvironment(d aws.FunctionDetail) bool { return d.EnvironmentVariables > 0 }

func journalFilesIn(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, tune.JournalFile+"*"))
	if len(files) < 2 {
		t.Fatalf("journal files %v: want the database and its WAL while it is open", files)
	}
	return files
}
