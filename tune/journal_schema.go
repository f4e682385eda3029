package tune

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations bring the schema from one version to the next: migrations[0]
// makes version 1 from an empty file. A released migration is never edited;
// a new schema is a new entry at the end.
var migrations = []string{
	// Version 1. events is the timeline: runs and changes share its ids, so
	// an id names either, and a snapshot is named by its first change.
	// Times are Unix nanoseconds (UTC). runs and changes keep the columns a
	// list needs (for the sqlite3 tool), the same packed in one blob (for
	// lists of thousands: pack.go), and the whole record as JSON; a run's
	// record (its windows and histograms, tens of kilobytes) lives in a table
	// of its own, so the runs table stays a few rows per page.
	`CREATE TABLE events (
		id       INTEGER PRIMARY KEY AUTOINCREMENT,
		scope    TEXT NOT NULL,
		function TEXT NOT NULL,
		kind     TEXT NOT NULL CHECK (kind IN ('run', 'change')),
		at       INTEGER NOT NULL,
		recorded INTEGER NOT NULL
	);
	CREATE INDEX events_timeline ON events (scope, function, at, id);
	CREATE TABLE runs (
		id INTEGER PRIMARY KEY REFERENCES events (id),
		qualifier TEXT NOT NULL, path TEXT NOT NULL,
		target TEXT NOT NULL, scenario TEXT NOT NULL, model TEXT NOT NULL, users INTEGER NOT NULL,
		spawn_rate REAL NOT NULL, wait TEXT NOT NULL, rate TEXT NOT NULL,
		run_time INTEGER NOT NULL, max_requests INTEGER NOT NULL, seed INTEGER NOT NULL,
		started INTEGER NOT NULL, ended INTEGER NOT NULL, elapsed INTEGER NOT NULL, stop_reason TEXT NOT NULL,
		requests INTEGER NOT NULL, failures INTEGER NOT NULL, throttles INTEGER NOT NULL,
		average INTEGER NOT NULL, p50 INTEGER NOT NULL, p95 INTEGER NOT NULL, p99 INTEGER NOT NULL,
		max INTEGER NOT NULL, rps REAL NOT NULL,
		cold_starts INTEGER, cold_start_source TEXT NOT NULL,
		billed_average INTEGER NOT NULL, billed_source TEXT NOT NULL,
		config_known INTEGER NOT NULL, memory_mb INTEGER NOT NULL, architecture TEXT NOT NULL,
		config_summary TEXT NOT NULL, provisioned INTEGER NOT NULL, provisioned_total INTEGER NOT NULL,
		provisioned_share REAL NOT NULL, share_source TEXT NOT NULL,
		packed BLOB NOT NULL
	);
	CREATE TABLE run_records (
		id INTEGER PRIMARY KEY REFERENCES runs (id),
		record TEXT NOT NULL
	);
	CREATE TABLE changes (
		id INTEGER PRIMARY KEY REFERENCES events (id),
		kind TEXT NOT NULL, path TEXT NOT NULL, title TEXT NOT NULL,
		status TEXT NOT NULL, error TEXT NOT NULL,
		requested INTEGER NOT NULL, finished INTEGER NOT NULL,
		before_summary TEXT NOT NULL, after_summary TEXT NOT NULL,
		packed BLOB NOT NULL, record TEXT NOT NULL
	);`,
}

// SchemaVersion is the schema this lambdatune writes.
var SchemaVersion = len(migrations)

// migrate applies the migrations the file has not had, with their version
// rows, in one transaction: a crash mid-way leaves the file as it was. A file
// from a newer lambdatune is refused, not touched.
func (j *Journal) migrate(ctx context.Context) error {
	return j.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
			version INTEGER PRIMARY KEY, applied INTEGER NOT NULL)`); err != nil {
			return err
		}
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&version); err != nil {
			return err
		}
		if version > len(migrations) {
			return fmt.Errorf("%w: its schema is version %d, this lambdatune knows up to %d: upgrade lambdatune",
				ErrNewerJournal, version, len(migrations))
		}
		for v := version; v < len(migrations); v++ {
			if err := applyMigration(ctx, tx, v+1, j.clock.Now().UnixNano()); err != nil {
				return fmt.Errorf("migrate to version %d: %w", v+1, err)
			}
		}
		return nil
	})
}

func applyMigration(ctx context.Context, tx *sql.Tx, version int, now int64) error {
	if _, err := tx.ExecContext(ctx, migrations[version-1]); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied) VALUES (?, ?)`, version, now)
	return err
}

// Version is the schema version of the open journal.
func (j *Journal) Version(ctx context.Context) (int, error) {
	var v int
	err := j.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

// IntegrityCheck runs SQLite's integrity check; true when the file is sound.
func (j *Journal) IntegrityCheck(ctx context.Context) (bool, error) {
	var result string
	if err := j.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return false, err
	}
	return result == "ok", nil
}
