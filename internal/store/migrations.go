package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// migration is one forward step of the schema. Step i (from 1) brings a
// database from user_version i-1 to i. Steps are never edited once
// released: a change is a new step appended to the list.
//
// The SQL stays portable to PostgreSQL (pyquiz serve runs the same schema
// there): TEXT, BIGINT, DOUBLE PRECISION, INTEGER 0/1 for booleans, times
// as Unix milliseconds, no AUTOINCREMENT or rowid, ON CONFLICT DO NOTHING.
// One statement per string, so a driver without multi-statement Exec can
// run them one by one.
type migration struct {
	name string
	sql  []string
	// run, if set, runs after sql in the same transaction (backfills that
	// need Go, such as the local time zone).
	run func(ctx context.Context, tx *sql.Tx) error
}

var migrations = []migration{
	{
		name: "sessions, attempts and FSRS cards",
		sql: []string{
			// A session is one run of play, review or play --missed, or the
			// sessions an import brought in. status: running, finished,
			// interrupted (Ctrl-C, end of time), killed (found running with
			// its process gone). pid and host let a later pyquiz tell a
			// killed session from one still running elsewhere.
			`CREATE TABLE sessions (
				id TEXT PRIMARY KEY,
				kind TEXT NOT NULL,
				packs TEXT NOT NULL,
				mode TEXT NOT NULL,
				flags TEXT NOT NULL,
				seed BIGINT NOT NULL,
				started BIGINT NOT NULL,
				ended BIGINT,
				status TEXT NOT NULL,
				pid BIGINT NOT NULL,
				host TEXT NOT NULL
			)`,
			`CREATE INDEX sessions_started ON sessions (started)`,
			// One row per question asked. question is the full id
			// (pack/question): history follows the id, so a question whose
			// text changed keeps it; content_hash says which text was
			// answered. status: answered, skipped, timeout, not-reached.
			// rating is the FSRS rating it gave (1 Again .. 4 Easy, 0 none).
			`CREATE TABLE attempts (
				session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
				seq INTEGER NOT NULL,
				question TEXT NOT NULL,
				pack TEXT NOT NULL,
				pack_version TEXT NOT NULL,
				content_hash TEXT NOT NULL,
				given TEXT NOT NULL,
				status TEXT NOT NULL,
				correct INTEGER NOT NULL,
				points DOUBLE PRECISION NOT NULL,
				max_points DOUBLE PRECISION NOT NULL,
				hints INTEGER NOT NULL,
				seconds DOUBLE PRECISION NOT NULL,
				mode TEXT NOT NULL,
				rating INTEGER NOT NULL,
				at BIGINT NOT NULL,
				PRIMARY KEY (session_id, question, at)
			)`,
			`CREATE INDEX attempts_at ON attempts (at)`,
			`CREATE INDEX attempts_question ON attempts (question, at)`,
			`CREATE INDEX attempts_pack ON attempts (pack)`,
			// The FSRS memory state of each question ever rated.
			`CREATE TABLE cards (
				question TEXT PRIMARY KEY,
				due BIGINT NOT NULL,
				stability DOUBLE PRECISION NOT NULL,
				difficulty DOUBLE PRECISION NOT NULL,
				elapsed_days INTEGER NOT NULL,
				scheduled_days INTEGER NOT NULL,
				reps INTEGER NOT NULL,
				lapses INTEGER NOT NULL,
				state INTEGER NOT NULL,
				last_review BIGINT NOT NULL
			)`,
			`CREATE INDEX cards_due ON cards (due)`,
		},
	},
	{
		// stats reads these instead of scanning every attempt: with
		// 100,000 attempts a scan took seconds in pure-Go SQLite. day is
		// the learner's calendar day when the answer was given (days since
		// 1970-01-01 in the local time zone of the pyquiz that recorded
		// it), so a chart keeps the days as they were lived.
		name: "tallies per question, per day and per session for stats",
		sql: []string{
			`CREATE TABLE question_tallies (
				question TEXT PRIMARY KEY,
				pack TEXT NOT NULL,
				attempts BIGINT NOT NULL,
				correct BIGINT NOT NULL
			)`,
			`CREATE TABLE day_tallies (
				pack TEXT NOT NULL,
				day BIGINT NOT NULL,
				attempts BIGINT NOT NULL,
				correct BIGINT NOT NULL,
				PRIMARY KEY (pack, day)
			)`,
			// the packs each session has attempts in: stats counts sessions here
			`CREATE TABLE session_packs (
				session_id TEXT NOT NULL,
				pack TEXT NOT NULL,
				PRIMARY KEY (session_id, pack)
			)`,
		},
		run: func(ctx context.Context, tx *sql.Tx) error { return rebuildTallies(ctx, tx, "") },
	},
	{
		// pyquiz serve: a session (its settings as JSON the server reads,
		// the questions in the session's order, the host's token), its
		// participants (a hash of each one's token, never the token) and
		// their answers, one row per participant and question.
		name: "serve sessions, participants and answers",
		sql: []string{
			`CREATE TABLE serve_sessions (
				id TEXT PRIMARY KEY,
				title TEXT NOT NULL,
				config TEXT NOT NULL,
				questions TEXT NOT NULL,
				host_token TEXT NOT NULL,
				created_at BIGINT NOT NULL,
				closed_at BIGINT
			)`,
			`CREATE TABLE serve_participants (
				id TEXT PRIMARY KEY,
				session_id TEXT NOT NULL REFERENCES serve_sessions (id),
				name TEXT NOT NULL,
				token_hash TEXT NOT NULL UNIQUE,
				seed BIGINT NOT NULL,
				joined_at BIGINT NOT NULL,
				UNIQUE (session_id, name)
			)`,
			`CREATE TABLE serve_answers (
				session_id TEXT NOT NULL REFERENCES serve_sessions (id),
				participant_id TEXT NOT NULL REFERENCES serve_participants (id),
				question TEXT NOT NULL,
				given TEXT NOT NULL,
				status TEXT NOT NULL,
				correct INTEGER NOT NULL,
				points DOUBLE PRECISION NOT NULL,
				max_points DOUBLE PRECISION NOT NULL,
				seconds DOUBLE PRECISION NOT NULL,
				at BIGINT NOT NULL,
				PRIMARY KEY (participant_id, question)
			)`,
			`CREATE INDEX serve_answers_session ON serve_answers (session_id, at)`,
		},
	},
	{
		// The order the choices of a question were shown in, as the pack's
		// letters ("c,a,d,b": the pack's c was shown as a), so a report
		// rebuilt from the database shows the letters the student saw.
		// Rows from before it have '' and are shown in the pack's order.
		name: "attempts: the order the choices were shown in",
		sql:  []string{`ALTER TABLE attempts ADD COLUMN choice_order TEXT NOT NULL DEFAULT ''`},
	},
	{
		// serve's hints: how many hints each participant has been shown
		// for a question not yet answered (kept before the hint is shown,
		// so a restart cannot forget its cost), and on each answer the
		// hints it was marked with.
		name: "serve hints",
		sql: []string{
			`CREATE TABLE serve_hints (
				session_id TEXT NOT NULL REFERENCES serve_sessions (id),
				participant_id TEXT NOT NULL REFERENCES serve_participants (id),
				question TEXT NOT NULL,
				hints INTEGER NOT NULL,
				PRIMARY KEY (participant_id, question)
			)`,
			`ALTER TABLE serve_answers ADD COLUMN hints INTEGER NOT NULL DEFAULT 0`,
		},
	},
}

// SchemaVersion is the schema this pyquiz writes.
func SchemaVersion() int { return len(migrations) }

// migrate runs the steps the database lacks, each in its own transaction
// with the version bump, so a crash mid-migration leaves the previous
// version intact. The version is read again inside the write lock: two
// processes opening a new database at once migrate it once.
func (s *Store) migrate(ctx context.Context, steps []migration) error {
	for {
		tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE (see open)
		if err != nil {
			return err
		}
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			tx.Rollback()
			return err
		}
		if v > len(steps) {
			tx.Rollback()
			return &NewerError{Path: s.path, Version: v, Know: len(steps)}
		}
		if v == len(steps) {
			return tx.Rollback()
		}
		m := steps[v]
		for _, stmt := range m.sql {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %d (%s): %w", v+1, m.name, err)
			}
		}
		if m.run != nil {
			if err := m.run(ctx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %d (%s): %w", v+1, m.name, err)
			}
		}
		// PRAGMA takes no parameters; v+1 is our own integer.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
}

// migratePostgres runs the same steps on PostgreSQL, where the version is
// kept in a one-row table instead of PRAGMA user_version. An advisory lock
// makes two servers starting at once migrate once.
func migratePostgres(ctx context.Context, db *sql.DB, steps []migration) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7463551)`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(7463551)`)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS pyquiz_schema (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var v int
	err = conn.QueryRowContext(ctx, `SELECT version FROM pyquiz_schema`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := conn.ExecContext(ctx, `INSERT INTO pyquiz_schema (version) VALUES (0)`); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if v > len(steps) {
		return &NewerError{Path: "the PostgreSQL database", Version: v, Know: len(steps)}
	}
	for ; v < len(steps); v++ {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, stmt := range steps[v].sql {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %d (%s): %w", v+1, steps[v].name, err)
			}
		}
		if steps[v].run != nil {
			if err := steps[v].run(ctx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %d (%s): %w", v+1, steps[v].name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pyquiz_schema SET version = $1`, v+1); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
