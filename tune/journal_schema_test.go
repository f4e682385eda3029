package tune

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestJournalCreatesTheSchemaAndKeepsItOnReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state", JournalFile)
	j, err := OpenJournal(ctx, path, JournalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := j.Version(ctx); err != nil || v != SchemaVersion {
		t.Fatalf("version %d (%v), want %d", v, err, SchemaVersion)
	}
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	id, err := j.AddChange(ctx, SandboxScope, ChangeRecord{Function: "fn", Kind: ChangeMemory, Title: "memory", Requested: at, Finished: at, Status: "done"})
	if err != nil {
		t.Fatal(err)
	}
	_ = j.Close()
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("journal file mode %v (%v): want 0600, the owner's only", info.Mode().Perm(), err)
	}
	j, err = OpenJournal(ctx, path, JournalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	var versions int
	if err := j.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_version`).Scan(&versions); err != nil || versions != SchemaVersion {
		t.Errorf("%d version rows (%v): a reopen must not migrate again", versions, err)
	}
	if c, err := j.Change(ctx, id); err != nil || c.Title != "memory" {
		t.Errorf("change after reopen: %+v, %v", c, err)
	}
}

// A journal written by a newer lambdatune is refused in words, and left
// as it was.
func TestJournalRefusesANewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), JournalFile)
	j, err := OpenJournal(ctx, path, JournalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.db.ExecContext(ctx, `INSERT INTO schema_version (version, applied) VALUES (?, 0)`, SchemaVersion+5); err != nil {
		t.Fatal(err)
	}
	_ = j.Close()
	_, err = OpenJournal(ctx, path, JournalOptions{})
	if !errors.Is(err, ErrNewerJournal) {
		t.Fatalf("err = %v, want ErrNewerJournal", err)
	}
	t.Log(err)
}

func TestJournalRefusesScopesItCannotFile(t *testing.T) {
	j, err := OpenJournal(context.Background(), filepath.Join(t.TempDir(), JournalFile), JournalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	_, err = j.AddChange(context.Background(), Scope{Region: "eu-west-1"}, ChangeRecord{Function: "fn"})
	if !errors.Is(err, ErrUnknownAccount) {
		t.Errorf("a change without an account: %v", err)
	}
	if _, err := j.AddRun(context.Background(), RunRecord{Scope: "nonsense", Function: "fn"}); err == nil {
		t.Error("a run under a malformed scope was recorded")
	}
}

func TestScopeKeysRoundTrip(t *testing.T) {
	for _, s := range []Scope{SandboxScope, {Account: "123456789012", Region: "eu-west-1"},
		{Account: "123456789012", Region: "us-east-1", Endpoint: "127.0.0.1:4566"}} {
		back, err := ParseScope(s.Key())
		if err != nil || back != s {
			t.Errorf("%q → %+v, %v", s.Key(), back, err)
		}
	}
	if got := ScopeOf(Where{Region: "eu-west-1", AccountID: "123456789012", Endpoint: "http://127.0.0.1:4566"}).Key(); got != "123456789012/eu-west-1@127.0.0.1:4566" {
		t.Errorf("key = %q", got)
	}
}

func TestPackedSummariesComeBackWhole(t *testing.T) {
	s := RunSummary{Qualifier: "live", Path: PathConsole, Settings: RunSettings{Target: "sandbox/Prod", Scenario: "products",
		Model: "open", Users: 100, SpawnRate: 0, Rate: "200/s", RunTime: time.Minute, MaxRequests: 1 << 40, Seed: 1<<64 - 1},
		Started: time.Unix(0, 123).UTC(), Ended: time.Unix(5, 0).UTC(), Elapsed: 5 * time.Second, StopReason: "run time reached",
		Requests: 10, Failures: 2, Throttles: 1, Average: 3, P50: 4, P95: 5, P99: 6, Max: 7, RPS: 2.5,
		ColdStarts: Count{Value: 3, Known: true, Source: SourceReport}, Billed: Billed{Average: 91 * time.Millisecond, Source: SourceReport},
		Config: ConfigCost{Known: true, MemoryMB: 128, Architecture: ArchARM, Summary: "x", Provisioned: 40, ProvisionedTotal: 40,
			ProvisionedShare: 0.75, ShareSource: ShareSpillover}}
	var back RunSummary
	if err := (&unpacker{b: packRun(s)}).run(&back); err != nil || back.Settings.Seed != s.Settings.Seed || back.Config != s.Config ||
		back.Started != s.Started || back.Billed != s.Billed || back.ColdStarts != s.ColdStarts || back.P99 != 6 {
		t.Errorf("unpacked %+v, %v", back, err)
	}
	if err := (&unpacker{b: packRun(s)[:20]}).run(&back); !errors.Is(err, errBadPack) {
		t.Errorf("a cut entry: %v", err)
	}
}

// FuzzUnpack: a damaged list entry is an error, never a panic or a huge
// allocation.
func FuzzUnpack(f *testing.F) {
	f.Add(packRun(RunSummary{Path: "cli", Settings: RunSettings{Target: "t"}}))
	f.Add(packChange(ChangeRecord{Title: "memory", Status: "done"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s RunSummary
		_ = (&unpacker{b: data, intern: map[string]string{}}).run(&s)
		var c ChangeSummary
		_ = (&unpacker{b: data}).change(&c)
	})
}
