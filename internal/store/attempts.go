package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	fsrs "github.com/open-spaced-repetition/go-fsrs/v3"

	"github.com/pyquiz/pyquiz/quiz"
)

// Attempt statuses (the same words as a report's answers).
const (
	StatusAnswered   = "answered"
	StatusSkipped    = "skipped"
	StatusTimeout    = "timeout"
	StatusNotReached = "not-reached"
)

// StatusOf is the status of a session record.
func StatusOf(r quiz.Record) string {
	switch {
	case r.Answered:
		return StatusAnswered
	case r.Skipped:
		return StatusSkipped
	case r.TimedOut:
		return StatusTimeout
	}
	return StatusNotReached
}

// Attempt is one question asked in a session.
type Attempt struct {
	Session     string
	Seq         int    // position in the session, from 1 (set by RecordAttempt)
	Question    string // full id pack/question
	PackVersion string
	ContentHash string // ContentHash of the question as asked
	Given       string // canonical: "a,c", "true", the text; "" when not answered
	// Order is the order the choices were shown in, as the pack's letters
	// ("c,a,d,b": the pack's c was shown as a); "" for a question without
	// choices, or recorded before pyquiz kept it.
	Order       string
	Status      string
	Correct     bool
	Points, Max float64
	Hints       int
	Seconds     float64
	Mode        string
	Rating      Rating
	At          time.Time
}

// Pack is the pack id part of the question's full id.
func (a Attempt) Pack() string {
	p, _, _ := strings.Cut(a.Question, "/")
	return p
}

// ContentHash identifies the text of a question as asked: type, prompt,
// code, choices, key and expected outcomes (not hints, tags or the
// explanation). An attempt keeps it, so history can tell which wording
// was answered after a pack changed the question.
func ContentHash(q *quiz.Question) string {
	j := q.JSON()
	b, _ := json.Marshal(struct {
		Type    quiz.Type
		Prompt  string
		Code    string
		Choices []string
		Answer  any
		Expect  []quiz.OutcomeJSON
	}{j.Type, j.Prompt, j.Code, j.Choices, j.Answer, j.Expect})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// RecordAttempt stores one attempt and moves its question's FSRS card, in
// one transaction committed before it returns. a.Seq is set to the next
// position in the session.
func (s *Store) RecordAttempt(ctx context.Context, a *Attempt) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record answer: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM attempts WHERE session_id = ?`, a.Session).Scan(&a.Seq); err != nil {
		return fmt.Errorf("record answer: %w", err)
	}
	inserted, err := insertAttempt(ctx, tx, a)
	if err != nil {
		return fmt.Errorf("record answer: %w", err)
	}
	if inserted {
		t := newTallies()
		t.add(a)
		if err := t.save(ctx, tx); err != nil {
			return fmt.Errorf("record answer: %w", err)
		}
	}
	if a.Rating != NoRating {
		c, _, err := getCard(ctx, tx, a.Question)
		if err != nil {
			return fmt.Errorf("record answer: %w", err)
		}
		// Another process may have reviewed this question a moment
		// "later" (clocks of two sessions, an import): FSRS cannot review
		// before the last review, so this one counts at that instant.
		at := a.At
		if at.Before(c.LastReview) {
			at = c.LastReview
		}
		if err := putCard(ctx, tx, a.Question, Next(c, at, a.Rating)); err != nil {
			return fmt.Errorf("record answer: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record answer: %w", err)
	}
	return nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// insertAttempt adds a, unless the session already has this question at
// this instant (an import of what is already there); inserted says which.
func insertAttempt(ctx context.Context, tx execer, a *Attempt) (inserted bool, err error) {
	res, err := tx.ExecContext(ctx, insertAttemptSQL, attemptArgs(a)...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const insertAttemptSQL = `INSERT INTO attempts (session_id, seq, question, pack, pack_version, content_hash,
	given, status, correct, points, max_points, hints, seconds, mode, rating, at, choice_order)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (session_id, question, at) DO NOTHING`

func attemptArgs(a *Attempt) []any {
	return []any{a.Session, a.Seq, a.Question, a.Pack(), a.PackVersion, a.ContentHash, a.Given, a.Status, boolInt(a.Correct),
		a.Points, a.Max, a.Hints, a.Seconds, a.Mode, int(a.Rating), ms(a.At), a.Order}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func getCard(ctx context.Context, tx execer, question string) (fsrs.Card, bool, error) {
	c := fsrs.NewCard()
	var due, last int64
	var state int
	err := tx.QueryRowContext(ctx, `SELECT due, stability, difficulty, elapsed_days, scheduled_days, reps, lapses, state, last_review
		FROM cards WHERE question = ?`, question).Scan(&due, &c.Stability, &c.Difficulty, &c.ElapsedDays, &c.ScheduledDays, &c.Reps, &c.Lapses, &state, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	c.Due, c.LastReview, c.State = fromMS(due), fromMS(last), fsrs.State(state)
	return c, true, nil
}

func putCard(ctx context.Context, tx execer, question string, c fsrs.Card) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO cards (question, due, stability, difficulty, elapsed_days, scheduled_days, reps, lapses, state, last_review)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (question) DO UPDATE SET due = excluded.due, stability = excluded.stability, difficulty = excluded.difficulty,
		elapsed_days = excluded.elapsed_days, scheduled_days = excluded.scheduled_days, reps = excluded.reps,
		lapses = excluded.lapses, state = excluded.state, last_review = excluded.last_review`,
		question, ms(c.Due), c.Stability, c.Difficulty, int64(c.ElapsedDays), int64(c.ScheduledDays), int64(c.Reps), int64(c.Lapses), int(c.State), ms(c.LastReview))
	return err
}

const attemptCols = `session_id, seq, question, pack_version, content_hash, given, status, correct, points, max_points, hints, seconds, mode, rating, at, choice_order`

func scanAttempt(sc interface{ Scan(...any) error }) (Attempt, error) {
	var a Attempt
	var correct, rating int
	var at int64
	err := sc.Scan(&a.Session, &a.Seq, &a.Question, &a.PackVersion, &a.ContentHash, &a.Given, &a.Status, &correct,
		&a.Points, &a.Max, &a.Hints, &a.Seconds, &a.Mode, &rating, &at, &a.Order)
	a.Correct, a.Rating, a.At = correct == 1, Rating(rating), fromMS(at)
	return a, err
}

func (s *Store) attempts(ctx context.Context, where string, args ...any) ([]Attempt, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+attemptCols+` FROM attempts `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attempt
	for rows.Next() {
		a, err := scanAttempt(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SessionAttempts returns a session's attempts in the order asked.
func (s *Store) SessionAttempts(ctx context.Context, session string) ([]Attempt, error) {
	return s.attempts(ctx, `WHERE session_id = ? ORDER BY seq, at`, session)
}

// Missed finds the newest session with an attempt at a question of one of
// packs (any pack when packs is empty) and returns that session's id and
// the questions it missed (wrong, partly right, skipped or timed out), in
// the order they were asked.
func (s *Store) Missed(ctx context.Context, packs []string) (session string, questions []string, err error) {
	q := `SELECT session_id FROM attempts`
	var args []any
	if len(packs) > 0 {
		q += ` WHERE pack IN (` + strings.TrimSuffix(strings.Repeat("?,", len(packs)), ",") + `)`
		for _, p := range packs {
			args = append(args, p)
		}
	}
	q += ` ORDER BY at DESC LIMIT 1`
	err = s.db.QueryRowContext(ctx, q, args...).Scan(&session)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	as, err := s.attempts(ctx, `WHERE session_id = ? AND status IN (?, ?, ?) AND correct = 0 ORDER BY seq, at`,
		session, StatusAnswered, StatusSkipped, StatusTimeout)
	if err != nil {
		return "", nil, err
	}
	for _, a := range as {
		questions = append(questions, a.Question)
	}
	return session, questions, nil
}

// Cards returns every question's card, soonest due first.
func (s *Store) Cards(ctx context.Context) ([]Card, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT question, due, stability, difficulty, elapsed_days, scheduled_days, reps, lapses, state, last_review
		FROM cards ORDER BY due, question`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Card
	for rows.Next() {
		var c Card
		var due, last int64
		var state int
		if err := rows.Scan(&c.Question, &due, &c.Stability, &c.Difficulty, &c.ElapsedDays, &c.ScheduledDays, &c.Reps, &c.Lapses, &state, &last); err != nil {
			return nil, err
		}
		c.Due, c.LastReview, c.State = fromMS(due), fromMS(last), fsrs.State(state)
		out = append(out, c)
	}
	return out, rows.Err()
}
