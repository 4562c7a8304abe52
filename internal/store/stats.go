package store

import (
	"context"
	"strings"
	"time"
)

// Tally counts attempts and right answers.
type Tally struct {
	Attempts, Correct int
}

// Accuracy is Correct/Attempts (0 for none).
func (t Tally) Accuracy() float64 {
	if t.Attempts == 0 {
		return 0
	}
	return float64(t.Correct) / float64(t.Attempts)
}

// Day is one calendar day's attempts.
type Day struct {
	Date time.Time // midnight, in the location asked for
	Tally
}

// History is what stats needs from the attempts: totals, one tally per
// question (packs and tags are summed from them by the caller, which
// knows the tags), and one per day that had attempts. Questions an exam
// never reached are not attempts.
type History struct {
	Total      Tally
	Sessions   int
	ByQuestion map[string]Tally
	Days       []Day // oldest first
}

// History reads the attempt history of packs (all when empty) from the
// tallies RecordAttempt and Import keep, so it costs the same with a
// hundred attempts or a hundred thousand. Days are the calendar days the
// answers were given on, dated in loc.
func (s *Store) History(ctx context.Context, loc *time.Location, packs []string) (History, error) {
	h := History{ByQuestion: map[string]Tally{}}
	where, args := "", []any{}
	if len(packs) > 0 {
		where = " WHERE pack IN (" + strings.TrimSuffix(strings.Repeat("?,", len(packs)), ",") + ")"
		for _, p := range packs {
			args = append(args, p)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT question, attempts, correct FROM question_tallies`+where, args...)
	if err != nil {
		return h, err
	}
	for rows.Next() {
		var q string
		var t Tally
		if err := rows.Scan(&q, &t.Attempts, &t.Correct); err != nil {
			rows.Close()
			return h, err
		}
		h.ByQuestion[q] = t
		h.Total.Attempts += t.Attempts
		h.Total.Correct += t.Correct
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return h, err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT session_id) FROM session_packs`+where, args...).Scan(&h.Sessions); err != nil {
		return h, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT day, SUM(attempts), SUM(correct) FROM day_tallies`+where+` GROUP BY day ORDER BY day`, args...)
	if err != nil {
		return h, err
	}
	defer rows.Close()
	for rows.Next() {
		var d int64
		var t Tally
		if err := rows.Scan(&d, &t.Attempts, &t.Correct); err != nil {
			return h, err
		}
		utc := time.Unix(d*24*60*60, 0).UTC()
		h.Days = append(h.Days, Day{Date: time.Date(utc.Year(), utc.Month(), utc.Day(), 0, 0, 0, 0, loc), Tally: t})
	}
	return h, rows.Err()
}
