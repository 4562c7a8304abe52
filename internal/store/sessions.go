package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Session statuses.
const (
	SessionRunning     = "running"
	SessionFinished    = "finished"
	SessionInterrupted = "interrupted"
	SessionKilled      = "killed" // found running with its process gone
)

// Session kinds.
const (
	KindPlay     = "play"
	KindReview   = "review"
	KindMissed   = "missed"
	KindImported = "imported"
)

// Session is one recorded quiz.
type Session struct {
	ID      string
	Kind    string
	Packs   []string
	Mode    string
	Flags   string // the selection and scoring flags, for the record
	Seed    uint64
	Started time.Time
	Ended   time.Time // zero while running
	Status  string
	// Attempts and Correct count the session's attempts (read only): the
	// questions it answered, skipped or timed out on, not those an exam
	// recorded as not reached.
	Attempts, Correct int
}

// ErrNoSession is returned when no session matches.
var ErrNoSession = errors.New("no such session")

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// newSessionID is the start time in UTC plus four random hex digits:
// readable, sortable, and unique across the machines a progress file is
// imported from.
func newSessionID(t time.Time) string {
	var b [2]byte
	rand.Read(b[:])
	return t.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}

// StartSession records a new running session and sets sess.ID (unless the
// caller chose one) and sess.Status.
func (s *Store) StartSession(ctx context.Context, sess *Session) error {
	if sess.ID == "" {
		sess.ID = newSessionID(sess.Started)
	}
	sess.Status = SessionRunning
	host, _ := os.Hostname()
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (id, kind, packs, mode, flags, seed, started, status, pid, host)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sess.ID, sess.Kind, strings.Join(sess.Packs, ","), sess.Mode, sess.Flags, int64(sess.Seed), ms(sess.Started), SessionRunning, os.Getpid(), host)
	if err != nil {
		return fmt.Errorf("record session: %w", err)
	}
	return nil
}

// EndSession marks a session finished or interrupted at the given time.
func (s *Store) EndSession(ctx context.Context, id, status string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sessions SET status = ?, ended = ? WHERE id = ?`, status, ms(at), id)
	if err != nil {
		return fmt.Errorf("record end of session: %w", err)
	}
	return nil
}

// ReapKilled marks the sessions this machine left running with no process
// behind them (kill -9, a crash, a closed terminal) as killed, ending at
// their last answer. Their attempts are all kept.
func (s *Store) ReapKilled(ctx context.Context) error {
	host, _ := os.Hostname()
	rows, err := s.db.QueryContext(ctx, `SELECT id, pid FROM sessions WHERE status = ? AND host = ?`, SessionRunning, host)
	if err != nil {
		return err
	}
	var dead []string
	for rows.Next() {
		var id string
		var pid int
		if err := rows.Scan(&id, &pid); err != nil {
			rows.Close()
			return err
		}
		if pid != os.Getpid() && !processAlive(pid) {
			dead = append(dead, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range dead {
		_, err := s.db.ExecContext(ctx, `UPDATE sessions SET status = ?,
			ended = COALESCE((SELECT MAX(at) FROM attempts WHERE session_id = ?), started)
			WHERE id = ? AND status = ?`, SessionKilled, id, id, SessionRunning)
		if err != nil {
			return err
		}
	}
	return nil
}

const sessionCols = `s.id, s.kind, s.packs, s.mode, s.flags, s.seed, s.started, s.ended, s.status,
	(SELECT count(*) FROM attempts a WHERE a.session_id = s.id AND a.status <> 'not-reached'),
	(SELECT count(*) FROM attempts a WHERE a.session_id = s.id AND a.correct = 1)`

func scanSession(sc interface{ Scan(...any) error }) (Session, error) {
	var x Session
	var packs string
	var seed, started int64
	var ended sql.NullInt64
	if err := sc.Scan(&x.ID, &x.Kind, &packs, &x.Mode, &x.Flags, &seed, &started, &ended, &x.Status, &x.Attempts, &x.Correct); err != nil {
		return x, err
	}
	if packs != "" {
		x.Packs = strings.Split(packs, ",")
	}
	x.Seed = uint64(seed)
	x.Started = fromMS(started)
	if ended.Valid {
		x.Ended = fromMS(ended.Int64)
	}
	return x, nil
}

// Session finds a session by its id or an unambiguous prefix of it.
func (s *Store) Session(ctx context.Context, id string) (Session, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+sessionCols+` FROM sessions s WHERE s.id = ? OR s.id LIKE ? ESCAPE '\' ORDER BY s.id LIMIT 3`,
		id, likePrefix(id))
	if err != nil {
		return Session{}, err
	}
	defer rows.Close()
	var found []Session
	for rows.Next() {
		x, err := scanSession(rows)
		if err != nil {
			return Session{}, err
		}
		if x.ID == id {
			return x, nil
		}
		found = append(found, x)
	}
	if err := rows.Err(); err != nil {
		return Session{}, err
	}
	switch len(found) {
	case 0:
		return Session{}, fmt.Errorf("%w %q (see pyquiz report --list)", ErrNoSession, id)
	case 1:
		return found[0], nil
	}
	return Session{}, &AmbiguousError{ID: id, First: found[0].ID, Second: found[1].ID}
}

// AmbiguousError is a session id prefix that several sessions start with.
type AmbiguousError struct{ ID, First, Second string }

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("session %q is ambiguous: %s, %s ... (give more of the id)", e.ID, e.First, e.Second)
}

func likePrefix(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(p) + "%"
}

// Sessions lists the last n sessions (n <= 0: all) that have at least one
// attempt, newest first.
func (s *Store) Sessions(ctx context.Context, n int) ([]Session, error) {
	q := `SELECT ` + sessionCols + ` FROM sessions s WHERE EXISTS (SELECT 1 FROM attempts a WHERE a.session_id = s.id) ORDER BY s.started DESC, s.id DESC`
	if n > 0 {
		q += fmt.Sprintf(" LIMIT %d", n)
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		x, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// LastSession is the newest session with at least one attempt.
func (s *Store) LastSession(ctx context.Context) (Session, error) {
	list, err := s.Sessions(ctx, 1)
	if err != nil {
		return Session{}, err
	}
	if len(list) == 0 {
		return Session{}, fmt.Errorf("%w: nothing recorded yet", ErrNoSession)
	}
	return list[0], nil
}
