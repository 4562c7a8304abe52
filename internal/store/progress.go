package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"

	fsrs "github.com/open-spaced-repetition/go-fsrs/v3"
)

// EachAttempt calls fn with every attempt, oldest first.
func (s *Store) EachAttempt(ctx context.Context, fn func(Attempt) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT `+attemptCols+` FROM attempts ORDER BY at, session_id, seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAttempt(rows)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Import adds the attempts the database does not have yet (the same
// session, question and instant), creating the sessions they name, and
// replays the FSRS card of every question that gained an attempt from its
// whole history, so an import of older answers schedules as if they had
// been given here. It is one transaction: all or nothing. It returns how
// many attempts were added.
func (s *Store) Import(ctx context.Context, as []Attempt) (added int, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	defer tx.Rollback()

	type span struct {
		first, last Attempt
		packs       []string
		seq         int
	}
	sessions := map[string]*span{}
	var order []string
	for _, a := range as {
		sp := sessions[a.Session]
		if sp == nil {
			sp = &span{first: a, last: a}
			sessions[a.Session] = sp
			order = append(order, a.Session)
		}
		if a.At.Before(sp.first.At) {
			sp.first = a
		}
		if a.At.After(sp.last.At) {
			sp.last = a
		}
		if p := a.Pack(); !slices.Contains(sp.packs, p) {
			sp.packs = append(sp.packs, p)
		}
	}
	for _, id := range order {
		sp := sessions[id]
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, kind, packs, mode, flags, seed, started, ended, status, pid, host)
			VALUES (?, ?, ?, ?, '', 0, ?, ?, ?, 0, '') ON CONFLICT (id) DO NOTHING`,
			id, KindImported, strings.Join(sp.packs, ","), sp.first.Mode, ms(sp.first.At), ms(sp.last.At), SessionFinished)
		if err != nil {
			return 0, fmt.Errorf("import: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM attempts WHERE session_id = ?`, id).Scan(&sp.seq); err != nil {
			return 0, fmt.Errorf("import: %w", err)
		}
	}
	touched := map[string]bool{}
	tl := newTallies()
	insert, err := tx.PrepareContext(ctx, insertAttemptSQL)
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	defer insert.Close()
	for i := range as {
		a := as[i]
		sp := sessions[a.Session]
		sp.seq++
		a.Seq = sp.seq
		res, err := insert.ExecContext(ctx, attemptArgs(&a)...)
		if err != nil {
			return 0, fmt.Errorf("import: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			added++
			touched[a.Question] = true
			tl.add(&a)
		} else {
			sp.seq--
		}
	}
	if err := tl.save(ctx, tx); err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	qs := make([]string, 0, len(touched))
	for q := range touched {
		qs = append(qs, q)
	}
	sort.Strings(qs)
	for _, q := range qs {
		if err := replayCard(ctx, tx, q); err != nil {
			return 0, fmt.Errorf("import: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	return added, nil
}

type querier interface {
	execer
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// replayCard rebuilds a question's card from all its rated attempts.
func replayCard(ctx context.Context, tx querier, question string) error {
	rows, err := tx.QueryContext(ctx, `SELECT rating, at FROM attempts WHERE question = ? AND rating > 0 ORDER BY at`, question)
	if err != nil {
		return err
	}
	c := fsrs.NewCard()
	n := 0
	for rows.Next() {
		var rating int
		var at int64
		if err := rows.Scan(&rating, &at); err != nil {
			rows.Close()
			return err
		}
		c = Next(c, fromMS(at), Rating(rating))
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if n == 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM cards WHERE question = ?`, question)
		return err
	}
	return putCard(ctx, tx, question, c)
}

// Count is how many attempts and sessions pack has (all packs when "").
func (s *Store) Count(ctx context.Context, pack string) (attempts, sessions int, err error) {
	q := `SELECT count(*), count(DISTINCT session_id) FROM attempts`
	var args []any
	if pack != "" {
		q += ` WHERE pack = ?`
		args = append(args, pack)
	}
	err = s.db.QueryRowContext(ctx, q, args...).Scan(&attempts, &sessions)
	return attempts, sessions, err
}

// Reset deletes the progress of pack (everything when ""): its attempts,
// its cards, and the sessions left with no attempt (but not one still
// running in another process).
func (s *Store) Reset(ctx context.Context, pack string) (attempts int, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("reset: %w", err)
	}
	defer tx.Rollback()
	var res interface{ RowsAffected() (int64, error) }
	if pack == "" {
		res, err = tx.ExecContext(ctx, `DELETE FROM attempts`)
		if err == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM cards`)
		}
		if err == nil {
			err = rebuildTallies(ctx, tx, "")
		}
	} else {
		res, err = tx.ExecContext(ctx, `DELETE FROM attempts WHERE pack = ?`, pack)
		if err == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM cards WHERE question LIKE ? ESCAPE '\'`, likePrefix(pack+"/"))
		}
		if err == nil {
			err = rebuildTallies(ctx, tx, pack)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("reset: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE status <> ? AND NOT EXISTS
		(SELECT 1 FROM attempts a WHERE a.session_id = sessions.id)`, SessionRunning); err != nil {
		return 0, fmt.Errorf("reset: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("reset: %w", err)
	}
	return int(n), nil
}
