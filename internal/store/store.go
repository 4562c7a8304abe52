// Package store keeps the learner's progress in an embedded SQLite
// database in the state folder: the sessions played, every attempt at a
// question, and one FSRS card per question that says when it is due.
//
// All of pyquiz's SQL lives here. The rest of the program sees methods
// (StartSession, RecordAttempt, Due, Stats ...). Every attempt is its own
// short transaction, committed before RecordAttempt returns, so a process
// killed mid-session loses nothing it had answered; WAL and a busy timeout
// let two pyquiz processes write at once.
//
// The schema is a numbered list of forward migrations (migrations.go);
// PRAGMA user_version says how many have run. A database with a higher
// version was written by a newer pyquiz and is refused, never touched.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)

	"github.com/pyquiz/pyquiz/internal/packs"
)

// FileName is the database's name in the state folder.
const FileName = "progress.db"

// Store is an open progress database.
type Store struct {
	db   *sql.DB
	path string
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB gives other packages' migrations and tests the connection. The rest of
// pyquiz uses the methods.
func (s *Store) DB() *sql.DB { return s.db }

// UnwritableError says the state folder or the database cannot be written:
// a quiz can still run, but nothing it records will be kept.
type UnwritableError struct {
	Path string
	Err  error
}

func (e *UnwritableError) Error() string {
	return fmt.Sprintf("cannot write progress to %s: %v", e.Path, e.Err)
}
func (e *UnwritableError) Unwrap() error { return e.Err }

// DamagedError is a database pyquiz cannot read: corrupt, not SQLite, or
// another program's. pyquiz never writes to it.
type DamagedError struct {
	Path string
	Err  error
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("progress database %s is damaged or not pyquiz's (%v); pyquiz leaves it untouched: move it away to start afresh, or restore a backup", e.Path, e.Err)
}
func (e *DamagedError) Unwrap() error { return e.Err }

// NewerError is a database written by a newer pyquiz (a schema version
// this one does not know). It is never migrated down or overwritten.
type NewerError struct {
	Path          string
	Version, Know int
}

func (e *NewerError) Error() string {
	return fmt.Sprintf("progress database %s was written by a newer pyquiz (schema %d; this pyquiz knows up to %d): upgrade pyquiz, or point PYQUIZ_HOME elsewhere", e.Path, e.Version, e.Know)
}

// OpenDir opens (creating if need be) the database in the state folder dir.
func OpenDir(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &UnwritableError{Path: dir, Err: unwrapPathErr(err)}
	}
	return Open(filepath.Join(dir, FileName))
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Open opens the database at path, creating it and running the migrations
// it lacks. See the error types for what can go wrong.
func Open(path string) (*Store, error) {
	return open(path, migrations)
}

func open(path string, steps []migration) (*Store, error) {
	// Anything but a file is refused before SQLite opens it: a FIFO
	// there would only give "disk I/O error".
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, &DamagedError{Path: path, Err: fmt.Errorf("it is %s, not a file", packs.NotRegular(fi.Mode()))}
	}
	if err := checkWritable(path); err != nil {
		return nil, err
	}
	// busy_timeout first: every other statement may meet another
	// process's lock. _txlock=immediate makes each transaction take the
	// write lock at BEGIN, so two writers queue on the busy timeout
	// instead of failing with SQLITE_BUSY on a lock upgrade.
	// synchronous=FULL: in WAL mode NORMAL already survives a killed
	// process; FULL also survives power loss, and costs one fsync per
	// answer, well inside the 5 ms budget on an SSD.
	db, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open progress database %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.init(steps); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// sqliteDSN is how every connection to the progress database is opened.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// checkWritable tells an unwritable folder or file apart from a damaged
// database before SQLite gets to report both as "unable to open".
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".pyquiz-write-test-*")
	if err != nil {
		return &UnwritableError{Path: dir, Err: unwrapPathErr(err)}
	}
	f.Close()
	os.Remove(f.Name())
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o200 == 0 {
		return &UnwritableError{Path: path, Err: fs.ErrPermission}
	}
	return nil
}

func (s *Store) init(steps []migration) error {
	ctx := context.Background()
	// Read before writing anything: a file that is not a database, or
	// another program's database, must come out of this untouched.
	var version, tables int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return s.classify(err)
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table'").Scan(&tables); err != nil {
		return s.classify(err)
	}
	if version > len(steps) {
		return &NewerError{Path: s.path, Version: version, Know: len(steps)}
	}
	if version == 0 && tables > 0 {
		return &DamagedError{Path: s.path, Err: errors.New("it holds tables but no pyquiz schema version")}
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return s.classify(err)
	}
	if err := s.migrate(ctx, steps); err != nil {
		return s.classify(err)
	}
	return nil
}

// classify turns SQLite's errors at open into the error types above.
func (s *Store) classify(err error) error {
	var ne *NewerError
	if errors.As(err, &ne) {
		return err
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "not a database"), strings.Contains(msg, "malformed"), strings.Contains(msg, "corrupt"):
		return &DamagedError{Path: s.path, Err: errors.New(sqliteReason(msg))}
	case strings.Contains(msg, "readonly"), strings.Contains(msg, "read-only"), strings.Contains(msg, "unable to open"), strings.Contains(msg, "permission"):
		return &UnwritableError{Path: s.path, Err: errors.New(sqliteReason(msg))}
	}
	return fmt.Errorf("open progress database %s: %w", s.path, err)
}

// sqliteReason trims "SQL logic error: ... (26)" to its readable part.
func sqliteReason(msg string) string {
	if i := strings.LastIndex(msg, " ("); i > 0 && strings.HasSuffix(msg, ")") {
		msg = msg[:i]
	}
	return msg
}
