package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// Errors of the serve tables.
var (
	ErrNotFound  = errors.New("not found")
	ErrDuplicate = errors.New("already recorded")
	ErrClosed    = errors.New("session closed")
	// ErrStale refuses an answer scored with fewer hints than the
	// database holds for its question (another server showed one since).
	ErrStale = errors.New("hints changed since the answer was scored")
)

// ServeSession is one `pyquiz serve` session.
type ServeSession struct {
	ID        string
	Title     string
	Config    json.RawMessage // the server's settings; the store does not read them
	Questions []string        // full question ids in the session's order
	HostToken string
	Created   time.Time
	Closed    time.Time // zero while open
}

// ServeParticipant is one person who joined a session.
type ServeParticipant struct {
	ID        string
	Session   string
	Name      string
	TokenHash string
	Seed      uint64 // orders this participant's questions and choices
	Joined    time.Time
}

// ServeAnswer is what a participant did with one question.
type ServeAnswer struct {
	Session     string
	Participant string
	Question    string // full id
	Given       string // canonical: "a,c", "true", the text; "" when not answered
	Status      string // answered, skipped, timeout
	Correct     bool
	Points      float64
	Max         float64
	Seconds     float64
	At          time.Time
	Hints       int // hints taken before answering (study mode)
}

// ServeDB holds the serve tables on SQLite or PostgreSQL.
type ServeDB struct {
	w, r      *sql.DB // the same pool; kept apart so that writes can move to their own
	st        *Store  // SQLite: the progress store the tables live in
	postgres  bool
	dsn       string
	reqs      chan writeReq        // SQLite: writes for the group-commit writer
	stmts     map[string]*sql.Stmt // SQLite: the writer's prepared statements
	stopped   chan struct{}
	closeOnce sync.Once

	mu        sync.Mutex
	listeners []func(string)
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// OpenServe opens the serve tables: in the progress database at path (a
// SQLite file, created and migrated as Open does), or in the PostgreSQL
// database a postgres:// URL names, with the same migrations.
func OpenServe(ctx context.Context, dsn string) (*ServeDB, error) {
	d := &ServeDB{dsn: dsn, postgres: IsPostgres(dsn)}
	if !d.postgres {
		if err := os.MkdirAll(filepath.Dir(dsn), 0o755); err != nil {
			return nil, &UnwritableError{Path: filepath.Dir(dsn), Err: unwrapPathErr(err)}
		}
		st, err := Open(dsn)
		if err != nil {
			return nil, err
		}
		// Writes go through one connection of their own, each in a
		// BEGIN IMMEDIATE transaction: they queue in Go instead of
		// meeting SQLITE_BUSY, which a statement that reads before it
		// writes gets at once (not after the busy timeout) in WAL mode
		// when another connection committed in between.
		w, err := sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("open %s: %w", dsn, err)
		}
		w.SetMaxOpenConns(1)
		// Readers keep their connections: opening a SQLite connection
		// costs more than the queries a request makes.
		r, err := sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			w.Close()
			st.Close()
			return nil, fmt.Errorf("open %s: %w", dsn, err)
		}
		r.SetMaxOpenConns(4)
		r.SetMaxIdleConns(4)
		d.st, d.w, d.r = st, w, r
		d.reqs, d.stopped, d.stmts = make(chan writeReq), make(chan struct{}), map[string]*sql.Stmt{}
		go d.writer()
		return d, nil
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", redact(dsn), err)
	}
	if err := migratePostgres(ctx, db, migrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(dsn), err)
	}
	d.w, d.r = db, db
	return d, nil
}

// redact hides a password in a database URL.
func redact(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.LastIndex(dsn, "@"); at > i {
			if c := strings.Index(dsn[i+3:at], ":"); c >= 0 {
				return dsn[:i+3+c] + ":***" + dsn[at:]
			}
		}
	}
	return dsn
}

// Close closes the database once; later calls do nothing.
func (d *ServeDB) Close() error {
	var err error
	d.closeOnce.Do(func() { err = d.close() })
	return err
}

func (d *ServeDB) close() error {
	if d.st != nil {
		close(d.reqs)
		<-d.stopped
		for _, st := range d.stmts {
			st.Close()
		}
		d.w.Close()
		d.r.Close()
		return d.st.Close()
	}
	return d.w.Close()
}

// q rewrites ? placeholders as $1, $2 ... for PostgreSQL. No statement
// here has a ? inside a string literal.
func (d *ServeDB) q(stmt string) string {
	if !d.postgres {
		return stmt
	}
	var b strings.Builder
	n := 0
	for _, r := range stmt {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func serveMS(t time.Time) int64 { return t.UnixMilli() }

func serveTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// exec runs one write and returns the rows it changed. On PostgreSQL it
// is one statement on the pool. On SQLite it joins the writer's next
// batch: one BEGIN IMMEDIATE transaction, one fsync, for every write that
// arrived while the previous batch committed (group commit). Each write is
// still committed before exec returns.
func (d *ServeDB) exec(ctx context.Context, stmt string, args ...any) (int64, error) {
	if d.reqs == nil {
		res, err := d.w.ExecContext(ctx, stmt, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	r := writeReq{stmt: stmt, args: args, done: make(chan writeRes, 1)}
	select {
	case d.reqs <- r:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	// Once queued, wait for the outcome even if the caller gives up: the
	// write may commit, and the caller must not report otherwise.
	res := <-r.done
	return res.n, res.err
}

type writeReq struct {
	stmt string
	args []any
	done chan writeRes
}

type writeRes struct {
	n   int64
	err error
}

// maxBatch bounds one group commit.
const maxBatch = 256

func (d *ServeDB) writer() {
	defer close(d.stopped)
	for first := range d.reqs {
		batch := []writeReq{first}
	drain:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-d.reqs:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		if !d.commit(batch) {
			// A statement failed: the batch was rolled back; run each
			// write alone so that only the failing one reports it.
			for _, r := range batch {
				d.commit([]writeReq{r})
			}
		}
	}
}

// commit runs a batch in one transaction and answers every request; it
// answers nothing and returns false when one statement fails and the
// batch holds more than one (the caller retries them one by one).
func (d *ServeDB) commit(batch []writeReq) bool {
	ctx := context.Background()
	fail := func(err error) bool {
		if len(batch) > 1 {
			return false
		}
		batch[0].done <- writeRes{err: err}
		return true
	}
	d.prepare(ctx, batch)
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		for _, r := range batch {
			r.done <- writeRes{err: err}
		}
		return true
	}
	res := make([]writeRes, len(batch))
	for i, r := range batch {
		out, err := d.execIn(ctx, tx, r)
		if err != nil {
			tx.Rollback()
			return fail(err)
		}
		res[i].n, _ = out.RowsAffected()
	}
	if err := tx.Commit(); err != nil {
		for _, r := range batch {
			r.done <- writeRes{err: err}
		}
		return true
	}
	for i, r := range batch {
		r.done <- res[i]
	}
	return true
}

// prepare prepares the batch's statements on the writer's connection, once
// each: SQLite parses and plans a statement in about the time it takes to
// run one insert. It runs outside a transaction (the writer has one
// connection, which a transaction holds). Only the writer calls it.
func (d *ServeDB) prepare(ctx context.Context, batch []writeReq) {
	for _, r := range batch {
		if d.stmts[r.stmt] == nil {
			if st, err := d.w.PrepareContext(ctx, r.stmt); err == nil {
				d.stmts[r.stmt] = st
			}
		}
	}
}

// execIn runs r in tx, prepared when it could be.
func (d *ServeDB) execIn(ctx context.Context, tx *sql.Tx, r writeReq) (sql.Result, error) {
	if st := d.stmts[r.stmt]; st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, r.args...)
	}
	return tx.ExecContext(ctx, r.stmt, r.args...) // the preparation's error shows here
}

// CreateSession stores a new session.
func (d *ServeDB) CreateSession(ctx context.Context, s ServeSession) error {
	qs, _ := json.Marshal(s.Questions)
	_, err := d.exec(ctx, d.q(`INSERT INTO serve_sessions (id, title, config, questions, host_token, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
		s.ID, s.Title, string(s.Config), string(qs), s.HostToken, serveMS(s.Created))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session reads a session; ErrNotFound when there is none with that id.
func (d *ServeDB) Session(ctx context.Context, id string) (ServeSession, error) {
	var s ServeSession
	var cfg, qs string
	var created, closed sql.NullInt64
	err := d.r.QueryRowContext(ctx, d.q(`SELECT id, title, config, questions, host_token, created_at, closed_at FROM serve_sessions WHERE id = ?`), id).
		Scan(&s.ID, &s.Title, &cfg, &qs, &s.HostToken, &created, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("read session %s: %w", id, err)
	}
	s.Config = json.RawMessage(cfg)
	if err := json.Unmarshal([]byte(qs), &s.Questions); err != nil {
		return s, fmt.Errorf("read session %s: questions: %w", id, err)
	}
	s.Created, s.Closed = serveTime(created), serveTime(closed)
	return s, nil
}

// CloseSession marks a session closed at at; closing a closed session
// keeps the first time.
func (d *ServeDB) CloseSession(ctx context.Context, id string, at time.Time) error {
	res, err := d.exec(ctx, d.q(`UPDATE serve_sessions SET closed_at = COALESCE(closed_at, ?) WHERE id = ?`), serveMS(at), id)
	if err != nil {
		return fmt.Errorf("close session %s: %w", id, err)
	}
	if res == 0 {
		return ErrNotFound
	}
	return nil
}

// AddParticipant stores a participant; ErrDuplicate when the session
// already has someone of that name, ErrClosed when it is closed.
func (d *ServeDB) AddParticipant(ctx context.Context, p ServeParticipant) error {
	res, err := d.exec(ctx, d.q(`INSERT INTO serve_participants (id, session_id, name, token_hash, seed, joined_at)
		SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM serve_sessions WHERE id = ? AND closed_at IS NULL)
		ON CONFLICT DO NOTHING`),
		p.ID, p.Session, p.Name, p.TokenHash, int64(p.Seed), serveMS(p.Joined), p.Session)
	if err != nil {
		return fmt.Errorf("add participant: %w", err)
	}
	if res == 0 {
		return d.whyNot(ctx, p.Session)
	}
	return nil
}

// whyNot explains an insert that did nothing: the session is closed or
// gone, or the row was there already.
func (d *ServeDB) whyNot(ctx context.Context, session string) error {
	s, err := d.Session(ctx, session)
	switch {
	case err != nil:
		return err
	case !s.Closed.IsZero():
		return ErrClosed
	}
	return ErrDuplicate
}

const participantCols = `id, session_id, name, token_hash, seed, joined_at`

func scanParticipant(sc interface{ Scan(...any) error }) (ServeParticipant, error) {
	var p ServeParticipant
	var seed int64
	var joined sql.NullInt64
	err := sc.Scan(&p.ID, &p.Session, &p.Name, &p.TokenHash, &seed, &joined)
	p.Seed, p.Joined = uint64(seed), serveTime(joined)
	return p, err
}

// ParticipantByToken finds the participant of session whose token has
// the hash tokenHash; ErrNotFound when none has.
func (d *ServeDB) ParticipantByToken(ctx context.Context, session, tokenHash string) (ServeParticipant, error) {
	p, err := scanParticipant(d.r.QueryRowContext(ctx, d.q(`SELECT `+participantCols+` FROM serve_participants WHERE token_hash = ? AND session_id = ?`), tokenHash, session))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("read participant: %w", err)
	}
	return p, nil
}

// Participants lists a session's participants in the order they joined.
func (d *ServeDB) Participants(ctx context.Context, session string) ([]ServeParticipant, error) {
	rows, err := d.r.QueryContext(ctx, d.q(`SELECT `+participantCols+` FROM serve_participants WHERE session_id = ? ORDER BY joined_at, id`), session)
	if err != nil {
		return nil, fmt.Errorf("read participants: %w", err)
	}
	defer rows.Close()
	var out []ServeParticipant
	for rows.Next() {
		p, err := scanParticipant(rows)
		if err != nil {
			return nil, fmt.Errorf("read participants: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RecordAnswer commits one answer. It is refused with ErrClosed once the
// session is closed, with ErrDuplicate when the participant has already
// answered that question, and with ErrStale when the database holds more
// hints for the question than a.Hints (the answer was scored on an old
// count); the checks and the insert are one statement, so a close that
// commits first always wins.
func (d *ServeDB) RecordAnswer(ctx context.Context, a ServeAnswer) error {
	correct := 0
	if a.Correct {
		correct = 1
	}
	res, err := d.exec(ctx, d.q(`INSERT INTO serve_answers (session_id, participant_id, question, given, status, correct, points, max_points, seconds, at, hints)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM serve_sessions WHERE id = ? AND closed_at IS NULL)
		AND NOT EXISTS (SELECT 1 FROM serve_hints WHERE participant_id = ? AND question = ? AND hints > ?)
		ON CONFLICT DO NOTHING`),
		a.Session, a.Participant, a.Question, a.Given, a.Status, correct, a.Points, a.Max, a.Seconds, serveMS(a.At), a.Hints, a.Session,
		a.Participant, a.Question, a.Hints)
	if err != nil {
		return fmt.Errorf("record answer: %w", err)
	}
	if res == 0 {
		if err := d.whyNot(ctx, a.Session); !errors.Is(err, ErrDuplicate) {
			return err
		}
		var answered int
		err := d.r.QueryRowContext(ctx, d.q(`SELECT COUNT(*) FROM serve_answers WHERE participant_id = ? AND session_id = ? AND question = ?`),
			a.Participant, a.Session, a.Question).Scan(&answered)
		switch {
		case err != nil:
			return fmt.Errorf("record answer: %w", err)
		case answered == 0:
			return ErrStale
		}
		return ErrDuplicate
	}
	return nil
}

// Answers lists the answers of a session, or of one participant of it,
// in the order they were given.
func (d *ServeDB) Answers(ctx context.Context, session, participant string) ([]ServeAnswer, error) {
	stmt := `SELECT session_id, participant_id, question, given, status, correct, points, max_points, seconds, at, hints FROM serve_answers WHERE session_id = ?`
	args := []any{session}
	if participant != "" {
		// participant_id leads the primary key: one participant's rows
		// are read without scanning the session's.
		stmt = `SELECT session_id, participant_id, question, given, status, correct, points, max_points, seconds, at, hints FROM serve_answers WHERE participant_id = ? AND session_id = ?`
		args = []any{participant, session}
	}
	rows, err := d.r.QueryContext(ctx, d.q(stmt+` ORDER BY at, participant_id, question`), args...)
	if err != nil {
		return nil, fmt.Errorf("read answers: %w", err)
	}
	defer rows.Close()
	var out []ServeAnswer
	for rows.Next() {
		var a ServeAnswer
		var correct int
		var at sql.NullInt64
		if err := rows.Scan(&a.Session, &a.Participant, &a.Question, &a.Given, &a.Status, &correct, &a.Points, &a.Max, &a.Seconds, &at, &a.Hints); err != nil {
			return nil, fmt.Errorf("read answers: %w", err)
		}
		a.Correct, a.At = correct != 0, serveTime(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ParticipantState reads in one round trip what a request of participant
// needs: their answers, their hints and when the session closed (zero
// while open).
func (d *ServeDB) ParticipantState(ctx context.Context, session, participant string) ([]ServeAnswer, []ServeHint, time.Time, error) {
	rows, err := d.r.QueryContext(ctx, d.q(`SELECT 'a', question, given, status, correct, points, max_points, seconds, at, hints
		FROM serve_answers WHERE participant_id = ? AND session_id = ?
		UNION ALL SELECT 'h', question, '', '', 0, 0, 0, 0, 0, hints FROM serve_hints WHERE participant_id = ? AND session_id = ?
		UNION ALL SELECT 'c', '', '', '', 0, 0, 0, 0, closed_at, 0 FROM serve_sessions WHERE id = ?`),
		participant, session, participant, session, session)
	if err != nil {
		return nil, nil, time.Time{}, fmt.Errorf("read answers: %w", err)
	}
	defer rows.Close()
	var answers []ServeAnswer
	var hints []ServeHint
	var closed time.Time
	found := false
	for rows.Next() {
		var kind string
		var correct int
		var at sql.NullInt64
		a := ServeAnswer{Session: session, Participant: participant}
		if err := rows.Scan(&kind, &a.Question, &a.Given, &a.Status, &correct, &a.Points, &a.Max, &a.Seconds, &at, &a.Hints); err != nil {
			return nil, nil, time.Time{}, fmt.Errorf("read answers: %w", err)
		}
		switch kind {
		case "a":
			a.Correct, a.At = correct != 0, serveTime(at)
			answers = append(answers, a)
		case "h":
			hints = append(hints, ServeHint{Participant: participant, Question: a.Question, Hints: a.Hints})
		default:
			found, closed = true, serveTime(at)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, time.Time{}, fmt.Errorf("read answers: %w", err)
	}
	if !found {
		return nil, nil, time.Time{}, ErrNotFound
	}
	return answers, hints, closed, nil
}

// ServeHint is how many hints a participant has been shown for a question.
type ServeHint struct {
	Participant string
	Question    string // full id
	Hints       int
}

// TakeHint records that participant has been shown n hints of question
// (the count only grows). It is refused with ErrClosed once the session is
// closed and with ErrDuplicate once the question is answered.
func (d *ServeDB) TakeHint(ctx context.Context, session, participant, question string, n int) error {
	res, err := d.exec(ctx, d.q(`INSERT INTO serve_hints (session_id, participant_id, question, hints)
		SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM serve_sessions WHERE id = ? AND closed_at IS NULL)
		AND NOT EXISTS (SELECT 1 FROM serve_answers WHERE participant_id = ? AND question = ?)
		ON CONFLICT (participant_id, question) DO UPDATE SET hints = CASE WHEN excluded.hints > serve_hints.hints THEN excluded.hints ELSE serve_hints.hints END`),
		session, participant, question, n, session, participant, question)
	if err != nil {
		return fmt.Errorf("record a hint: %w", err)
	}
	if res == 0 {
		return d.whyNot(ctx, session)
	}
	return nil
}

// Hints lists the hints shown in a session, or to one participant of it.
func (d *ServeDB) Hints(ctx context.Context, session, participant string) ([]ServeHint, error) {
	stmt, args := `SELECT participant_id, question, hints FROM serve_hints WHERE session_id = ?`, []any{session}
	if participant != "" {
		stmt, args = `SELECT participant_id, question, hints FROM serve_hints WHERE participant_id = ? AND session_id = ?`, []any{participant, session}
	}
	rows, err := d.r.QueryContext(ctx, d.q(stmt), args...)
	if err != nil {
		return nil, fmt.Errorf("read hints: %w", err)
	}
	defer rows.Close()
	var out []ServeHint
	for rows.Next() {
		var h ServeHint
		if err := rows.Scan(&h.Participant, &h.Question, &h.Hints); err != nil {
			return nil, fmt.Errorf("read hints: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// notifyChannel is the PostgreSQL channel serve's changes are announced on.
const notifyChannel = "pyquiz_serve"

// Notify tells every listener, in this process and (on PostgreSQL) in
// every other process on the same database, that session changed.
func (d *ServeDB) Notify(ctx context.Context, session string) error {
	if d.postgres {
		_, err := d.w.ExecContext(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, session)
		return err
	}
	d.mu.Lock()
	ls := append([]func(string){}, d.listeners...)
	d.mu.Unlock()
	for _, fn := range ls {
		fn(session)
	}
	return nil
}

// Listen calls fn with the session id of every change announced by
// Notify until ctx ends. On PostgreSQL it holds a connection of its own in
// LISTEN and reconnects when it drops; it returns once listening.
func (d *ServeDB) Listen(ctx context.Context, fn func(session string)) error {
	if !d.postgres {
		d.mu.Lock()
		d.listeners = append(d.listeners, fn)
		d.mu.Unlock()
		return nil
	}
	conn, err := d.listenConn(ctx)
	if err != nil {
		return err
	}
	go func() {
		for {
			for conn != nil {
				n, err := conn.WaitForNotification(ctx)
				if err != nil {
					conn.Close(context.Background())
					conn = nil
					break
				}
				fn(n.Payload)
			}
			if ctx.Err() != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			if conn, _ = d.listenConn(ctx); conn != nil {
				fn("") // anything may have changed while the connection was down
			}
		}
	}()
	return nil
}

func (d *ServeDB) listenConn(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, d.dsn)
	if err != nil {
		return nil, fmt.Errorf("listen: connect to %s: %w", redact(d.dsn), err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("listen: %w", err)
	}
	return conn, nil
}

// Shared reports whether other processes may write the same sessions:
// true on PostgreSQL, where several servers share a class.
func (d *ServeDB) Shared() bool { return d.postgres }

// ServeSessions lists the `pyquiz serve` sessions kept in this progress
// database (serve's default --db), newest first, as report --list shows
// them: Kind "serve", Status open or closed, Attempts the answers given and
// Correct the right ones, Packs read from the question ids. Sessions served
// from another --db (a PostgreSQL server, another file) are not here.
func (s *Store) ServeSessions(ctx context.Context) ([]Session, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, s.config, s.questions, s.created_at, s.closed_at,
		(SELECT COUNT(*) FROM serve_answers a WHERE a.session_id = s.id AND a.status = 'answered'),
		(SELECT COUNT(*) FROM serve_answers a WHERE a.session_id = s.id AND a.correct <> 0)
		FROM serve_sessions s ORDER BY s.created_at DESC, s.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("read serve sessions: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		var x Session
		var cfg, qs string
		var created, closed sql.NullInt64
		if err := rows.Scan(&x.ID, &cfg, &qs, &created, &closed, &x.Attempts, &x.Correct); err != nil {
			return nil, fmt.Errorf("read serve sessions: %w", err)
		}
		x.Kind, x.Started, x.Ended, x.Status = "serve", serveTime(created), serveTime(closed), "open"
		if closed.Valid {
			x.Status = "closed"
		}
		var set struct {
			Mode string `json:"mode"`
		}
		json.Unmarshal([]byte(cfg), &set) // a session written by another version may lack it
		x.Mode = set.Mode
		var ids []string
		json.Unmarshal([]byte(qs), &ids)
		seen := map[string]bool{}
		for _, id := range ids {
			if pack, _, ok := strings.Cut(id, "/"); ok && !seen[pack] {
				seen[pack] = true
				x.Packs = append(x.Packs, pack)
			}
		}
		sort.Strings(x.Packs)
		out = append(out, x)
	}
	return out, rows.Err()
}
