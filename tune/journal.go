package tune

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// Journal is the local record of every tuning session: runs and changes, per
// function and scope, in a SQLite database (docs/journal.md). It is safe for
// concurrent use, and for two lambdatune processes on the same file.
//
// Crash safety: the database is in WAL mode with synchronous=FULL, so a
// transaction that returned is on disk (the WAL is synced at every commit)
// and survives a kill -9 or a power cut; one cut short leaves no trace.
// NORMAL would also survive kill -9, but could lose the last commits on a
// power cut or OS crash; records are written per run and per change, a few a
// minute, so the extra sync costs nothing a user can notice.
type Journal struct {
	db    *sql.DB
	path  string
	clock clock.Clock
	log   *slog.Logger
}

// JournalOptions tune how a journal is opened; the zero value is the default.
type JournalOptions struct {
	// Clock stamps when records were written (default: the real clock).
	Clock clock.Clock
	// Logger hears about records that could not be written (default: discard).
	Logger *slog.Logger
	// BusyTimeout is how long a write waits for another process's write to
	// finish (default 10 s).
	BusyTimeout time.Duration
}

// JournalFile is the journal's file name in the state directory.
const JournalFile = "journal.db"

// Errors a journal returns.
var (
	ErrNewerJournal = errors.New("the journal was written by a newer lambdatune")
	ErrNotFound     = errors.New("not in the journal")
)

// JournalPath is the journal's path in a state directory.
func JournalPath(stateDir string) string { return filepath.Join(stateDir, JournalFile) }

// OpenJournal opens (creating it and its directory if needed) the journal
// at path and brings its schema up to date.
func OpenJournal(ctx context.Context, path string, opts JournalOptions) (*Journal, error) {
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open journal %s: a journal path cannot contain '?'", path)
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	db, err := sql.Open("sqlite", path+"?"+dsnOptions(opts))
	if err != nil {
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	j := &Journal{db: db, path: path, clock: opts.Clock, log: opts.Logger}
	if j.clock == nil {
		j.clock = clock.Real{}
	}
	if j.log == nil {
		j.log = slog.New(slog.DiscardHandler)
	}
	if err := j.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open journal %s: %w", path, err)
	}
	return j, nil
}

// dsnOptions are the connection settings every connection gets: WAL, a synced
// commit, a busy timeout for the other process, write transactions that take
// the write lock when they begin (so two writers queue rather than fail
// upgrading a read lock), and a 32 MB page cache, which holds the list
// columns of tens of thousands of runs (SQLite's default is 2 MB).
func dsnOptions(opts JournalOptions) string {
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	return fmt.Sprintf("_busy_timeout=%d&_journal_mode=WAL&_synchronous=FULL&_foreign_keys=1&_txlock=immediate&_pragma=cache_size(-32000)",
		busy.Milliseconds())
}

// createPrivate creates the journal file readable by its owner only, so the
// WAL and shared-memory files SQLite makes beside it get the same mode.
func createPrivate(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Close closes the journal.
func (j *Journal) Close() error { return j.db.Close() }

// inTx runs fn in a write transaction and commits it.
func (j *Journal) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
