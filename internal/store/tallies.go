package store

import (
	"context"
	"time"
)

// localDay is t's calendar day in the local time zone, as days since
// 1970-01-01.
func localDay(t time.Time) int64 {
	_, off := t.In(time.Local).Zone()
	secs := t.Unix() + int64(off)
	if secs < 0 {
		return (secs - 86399) / 86400
	}
	return secs / 86400
}

type dayKey struct {
	pack string
	day  int64
}

// tallies accumulates attempts before they are added to the tables.
type tallies struct {
	questions map[string]Tally
	packOf    map[string]string
	days      map[dayKey]Tally
	sessions  map[[2]string]bool // session id, pack
}

func newTallies() *tallies {
	return &tallies{questions: map[string]Tally{}, packOf: map[string]string{}, days: map[dayKey]Tally{}, sessions: map[[2]string]bool{}}
}

func (t *tallies) add(a *Attempt) {
	if a.Status == StatusNotReached {
		return
	}
	c := boolInt(a.Correct)
	q := t.questions[a.Question]
	q.Attempts++
	q.Correct += c
	t.questions[a.Question] = q
	t.packOf[a.Question] = a.Pack()
	k := dayKey{a.Pack(), localDay(a.At)}
	d := t.days[k]
	d.Attempts++
	d.Correct += c
	t.days[k] = d
	t.sessions[[2]string{a.Session, a.Pack()}] = true
}

// save adds the tallies to the tables.
func (t *tallies) save(ctx context.Context, tx execer) error {
	for q, x := range t.questions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO question_tallies (question, pack, attempts, correct) VALUES (?, ?, ?, ?)
			ON CONFLICT (question) DO UPDATE SET attempts = question_tallies.attempts + excluded.attempts,
			correct = question_tallies.correct + excluded.correct`, q, t.packOf[q], x.Attempts, x.Correct); err != nil {
			return err
		}
	}
	for k, x := range t.days {
		if _, err := tx.ExecContext(ctx, `INSERT INTO day_tallies (pack, day, attempts, correct) VALUES (?, ?, ?, ?)
			ON CONFLICT (pack, day) DO UPDATE SET attempts = day_tallies.attempts + excluded.attempts,
			correct = day_tallies.correct + excluded.correct`, k.pack, k.day, x.Attempts, x.Correct); err != nil {
			return err
		}
	}
	for k := range t.sessions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO session_packs (session_id, pack) VALUES (?, ?)
			ON CONFLICT (session_id, pack) DO NOTHING`, k[0], k[1]); err != nil {
			return err
		}
	}
	return nil
}

// rebuildTallies recounts the tallies of pack (all packs when "") from
// the attempts, the local zone giving the days.
func rebuildTallies(ctx context.Context, tx querier, pack string) error {
	where, args := "", []any{}
	if pack != "" {
		where, args = " WHERE pack = ?", []any{pack}
	}
	for _, stmt := range []string{`DELETE FROM question_tallies`, `DELETE FROM day_tallies`, `DELETE FROM session_packs`} {
		if _, err := tx.ExecContext(ctx, stmt+where, args...); err != nil {
			return err
		}
	}
	q := `SELECT session_id, question, status, correct, at FROM attempts`
	if pack != "" {
		q += ` WHERE pack = ?`
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	t := newTallies()
	for rows.Next() {
		var a Attempt
		var correct int
		var at int64
		if err := rows.Scan(&a.Session, &a.Question, &a.Status, &correct, &at); err != nil {
			rows.Close()
			return err
		}
		a.Correct, a.At = correct == 1, fromMS(at)
		t.add(&a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return t.save(ctx, tx)
}
