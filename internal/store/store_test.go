package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := OpenDir(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func startSession(t *testing.T, s *Store, at time.Time) string {
	t.Helper()
	sess := &Session{Kind: KindPlay, Packs: []string{"basics"}, Mode: "study", Seed: 7, Started: at}
	require.NoError(t, s.StartSession(context.Background(), sess))
	return sess.ID
}

func answer(session, q string, correct bool, at time.Time) *Attempt {
	a := &Attempt{Session: session, Question: q, PackVersion: "1", ContentHash: "h", Status: StatusAnswered,
		Correct: correct, Max: 1, Mode: "study", At: at, Seconds: 3}
	if correct {
		a.Points, a.Given = 1, "b"
	} else {
		a.Given = "a"
	}
	a.Rating = Rate(*a, 0)
	return a
}

func TestOpenCreatesSchemaInWAL(t *testing.T) {
	s := openTemp(t)
	var v int
	require.NoError(t, s.db.QueryRow("PRAGMA user_version").Scan(&v))
	assert.Equal(t, SchemaVersion(), v)
	var mode string
	require.NoError(t, s.db.QueryRow("PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
	var fk int
	require.NoError(t, s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk))
	assert.Equal(t, 1, fk)
	var busy int
	require.NoError(t, s.db.QueryRow("PRAGMA busy_timeout").Scan(&busy))
	assert.GreaterOrEqual(t, busy, 5000)
}

func TestRecordAttemptKeepsEveryAnswerAndMovesTheCard(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := startSession(t, s, t0)
	require.NoError(t, s.RecordAttempt(ctx, answer(id, "basics/a", true, t0.Add(time.Minute))))
	require.NoError(t, s.RecordAttempt(ctx, answer(id, "basics/b", false, t0.Add(2*time.Minute))))

	got, err := s.SessionAttempts(ctx, id)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "basics/a", got[0].Question)
	assert.Equal(t, 1, got[0].Seq)
	assert.Equal(t, 2, got[1].Seq)
	assert.True(t, got[0].Correct)
	assert.Equal(t, Good, got[0].Rating)
	assert.Equal(t, Again, got[1].Rating)
	assert.Equal(t, t0.Add(2*time.Minute), got[1].At)

	cards, err := s.Cards(ctx)
	require.NoError(t, err)
	require.Len(t, cards, 2)
	// The miss comes back first: a day later; the right answer in three.
	assert.Equal(t, "basics/b", cards[0].Question)
	assert.Equal(t, t0.Add(2*time.Minute).Add(24*time.Hour), cards[0].Due)
	assert.Equal(t, t0.Add(time.Minute).Add(3*24*time.Hour), cards[1].Due)
}

func TestSessionsEndAndAreFoundByPrefix(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	id := startSession(t, s, t0)
	require.NoError(t, s.RecordAttempt(ctx, answer(id, "basics/a", true, t0.Add(time.Minute))))
	require.NoError(t, s.EndSession(ctx, id, SessionInterrupted, t0.Add(2*time.Minute)))

	got, err := s.Session(ctx, id[:12])
	require.NoError(t, err)
	assert.Equal(t, id, got.ID)
	assert.Equal(t, SessionInterrupted, got.Status)
	assert.Equal(t, t0.Add(2*time.Minute), got.Ended)
	assert.Equal(t, 1, got.Attempts)
	assert.Equal(t, []string{"basics"}, got.Packs)

	_, err = s.Session(ctx, "1999")
	assert.ErrorIs(t, err, ErrNoSession)
}

func TestMissedIsTheLastSessionsMisses(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	first := startSession(t, s, t0)
	require.NoError(t, s.RecordAttempt(ctx, answer(first, "basics/a", false, t0.Add(time.Minute))))
	second := startSession(t, s, t0.Add(time.Hour))
	require.NoError(t, s.RecordAttempt(ctx, answer(second, "basics/b", false, t0.Add(61*time.Minute))))
	require.NoError(t, s.RecordAttempt(ctx, answer(second, "basics/c", true, t0.Add(62*time.Minute))))
	skip := &Attempt{Session: second, Question: "basics/d", Status: StatusSkipped, Max: 1, Mode: "study", At: t0.Add(63 * time.Minute), Rating: Again}
	require.NoError(t, s.RecordAttempt(ctx, skip))
	other := startSession(t, s, t0.Add(2*time.Hour))
	require.NoError(t, s.RecordAttempt(ctx, answer(other, "other/x", false, t0.Add(121*time.Minute))))

	sess, qs, err := s.Missed(ctx, []string{"basics"})
	require.NoError(t, err)
	assert.Equal(t, second, sess)
	assert.Equal(t, []string{"basics/b", "basics/d"}, qs)

	sess, qs, err = s.Missed(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, other, sess)
	assert.Equal(t, []string{"other/x"}, qs)
}

func TestDamagedDatabaseIsRefusedAndLeftAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	junk := []byte("this is not a database, it is a shopping list: eggs, milk, and more text to fill a page\n")
	for len(junk) < 8192 {
		junk = append(junk, junk...)
	}
	require.NoError(t, os.WriteFile(path, junk, 0o644))
	_, err := OpenDir(dir)
	var de *DamagedError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), path)
	after, _ := os.ReadFile(path)
	assert.Equal(t, junk, after, "a damaged database must never be written")
}

func TestNewerDatabaseIsRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenDir(dir)
	require.NoError(t, err)
	_, err = s.db.Exec("PRAGMA user_version = 99")
	require.NoError(t, err)
	s.Close()
	_, err = OpenDir(dir)
	var ne *NewerError
	require.ErrorAs(t, err, &ne)
	assert.Contains(t, err.Error(), filepath.Join(dir, FileName))
	assert.Contains(t, err.Error(), "newer pyquiz")
}

func TestUnwritableFolderIsReported(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere")
	}
	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o555))
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	_, err := OpenDir(filepath.Join(dir, "state"))
	var ue *UnwritableError
	require.ErrorAs(t, err, &ue)
	_, err = OpenDir(dir)
	require.ErrorAs(t, err, &ue)
}

func TestMigrationFromSchema1KeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	id := writeSchema1(t, path)

	s, err := Open(path)
	require.NoError(t, err)
	defer s.Close()
	var v int
	require.NoError(t, s.db.QueryRow("PRAGMA user_version").Scan(&v))
	assert.Equal(t, SchemaVersion(), v)
	got, err := s.SessionAttempts(context.Background(), id)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.True(t, got[0].Correct)
	assert.Equal(t, Again, got[1].Rating)
}

// writeSchema1 makes a database as the first pyquiz with a store left it:
// schema 1, written with schema 1's own SQL.
func writeSchema1(t *testing.T, path string) (session string) {
	t.Helper()
	old, err := open(path, migrations[:1])
	require.NoError(t, err)
	defer old.Close()
	session = "20260302-090000-abcd"
	_, err = old.db.Exec(`INSERT INTO sessions (id, kind, packs, mode, flags, seed, started, ended, status, pid, host)
		VALUES (?, 'play', 'basics', 'study', '', 7, ?, ?, 'finished', 1, 'h')`, session, ms(t0), ms(t0.Add(time.Minute)))
	require.NoError(t, err)
	for i, q := range []string{"basics/a", "basics/b"} {
		_, err = old.db.Exec(`INSERT INTO attempts (session_id, seq, question, pack, pack_version, content_hash, given, status,
			correct, points, max_points, hints, seconds, mode, rating, at) VALUES (?, ?, ?, 'basics', '1', 'h', 'b', 'answered', ?, ?, 1, 0, 3, 'study', ?, ?)`,
			session, i+1, q, 1-i, 1-i, 3-2*i, ms(t0.Add(time.Duration(i)*time.Second)))
		require.NoError(t, err)
	}
	return session
}

func TestRate(t *testing.T) {
	right := Attempt{Status: StatusAnswered, Correct: true, Points: 1, Max: 1, Seconds: 10}
	withHint := right
	withHint.Hints = 1
	partly := Attempt{Status: StatusAnswered, Points: 0.5, Max: 1}
	wrong := Attempt{Status: StatusAnswered, Max: 1}
	negative := Attempt{Status: StatusAnswered, Points: -0.25, Max: 1}
	for _, tc := range []struct {
		name   string
		a      Attempt
		budget time.Duration
		want   Rating
	}{
		{"right", right, 0, Good},
		{"right within budget", right, 30 * time.Second, Good},
		{"right but slow", right, 5 * time.Second, Hard},
		{"right with a hint", withHint, 0, Hard},
		{"partly right", partly, 0, Hard},
		{"wrong", wrong, 0, Again},
		{"wrong under negative marking", negative, 0, Again},
		{"skipped", Attempt{Status: StatusSkipped}, 0, Again},
		{"timed out", Attempt{Status: StatusTimeout}, 0, Again},
		{"not reached", Attempt{Status: StatusNotReached}, 0, NoRating},
	} {
		assert.Equal(t, tc.want, Rate(tc.a, tc.budget), tc.name)
	}
}

func TestAnAnswerTimedBeforeTheCardsLastReviewStillSchedules(t *testing.T) {
	// Two processes answer the same question; the one whose clock is a
	// moment behind commits second.
	s := openTemp(t)
	ctx := context.Background()
	id := startSession(t, s, t0)
	require.NoError(t, s.RecordAttempt(ctx, answer(id, "basics/a", true, t0.Add(time.Minute))))
	other := startSession(t, s, t0)
	require.NoError(t, s.RecordAttempt(ctx, answer(other, "basics/a", false, t0.Add(30*time.Second))))
	cards, err := s.Cards(ctx)
	require.NoError(t, err)
	require.Len(t, cards, 1)
	assert.Equal(t, uint64(1), cards[0].Lapses)
	assert.True(t, cards[0].Due.After(t0.Add(time.Minute)))
}

func TestHistoryCountsDaysAsTheLearnerLivedThem(t *testing.T) {
	// A learner in Tokyo (UTC+9) answers at 23:30 UTC on 2 March: for
	// them it is 08:30 on 3 March, and the day stays 3 March whatever
	// zone later reads it.
	saved := time.Local
	time.Local = time.FixedZone("JST", 9*60*60)
	defer func() { time.Local = saved }()
	s := openTemp(t)
	ctx := context.Background()
	id := startSession(t, s, t0)
	late := time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
	require.NoError(t, s.RecordAttempt(ctx, answer(id, "basics/a", true, late)))
	require.NoError(t, s.RecordAttempt(ctx, answer(id, "basics/b", false, late.Add(time.Minute))))
	require.NoError(t, s.RecordAttempt(ctx, answer(id, "other/x", true, late.Add(2*time.Minute))))
	nr := &Attempt{Session: id, Question: "basics/c", Status: StatusNotReached, Max: 1, Mode: "exam", At: late.Add(3 * time.Minute)}
	require.NoError(t, s.RecordAttempt(ctx, nr))
	time.Local = saved

	h, err := s.History(ctx, time.UTC, nil)
	require.NoError(t, err)
	assert.Equal(t, Tally{Attempts: 3, Correct: 2}, h.Total, "a question not reached is no attempt")
	assert.Equal(t, 1, h.Sessions)
	require.Len(t, h.Days, 1)
	assert.Equal(t, time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), h.Days[0].Date)

	h, err = s.History(ctx, time.UTC, []string{"basics"})
	require.NoError(t, err)
	assert.Equal(t, Tally{Attempts: 2, Correct: 1}, h.Total)
	assert.Equal(t, map[string]Tally{"basics/a": {1, 1}, "basics/b": {1, 0}}, h.ByQuestion)
	assert.Equal(t, 1, h.Sessions)
	h, err = s.History(ctx, time.UTC, []string{"none"})
	require.NoError(t, err)
	assert.Equal(t, 0, h.Sessions)

	// Reset of one pack recounts that pack only.
	_, err = s.Reset(ctx, "basics")
	require.NoError(t, err)
	h, err = s.History(ctx, time.UTC, nil)
	require.NoError(t, err)
	assert.Equal(t, Tally{Attempts: 1, Correct: 1}, h.Total)
	require.Len(t, h.Days, 1)
	assert.Equal(t, 1, h.Days[0].Attempts)
}

func TestMigrationToTalliesCountsTheAttemptsAlreadyThere(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	writeSchema1(t, path)
	s, err := Open(path)
	require.NoError(t, err)
	defer s.Close()
	h, err := s.History(context.Background(), time.UTC, nil)
	require.NoError(t, err)
	assert.Equal(t, Tally{Attempts: 2, Correct: 1}, h.Total)
	assert.Equal(t, 1, h.Sessions)
	require.Len(t, h.Days, 1)
	assert.Equal(t, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), h.Days[0].Date)
}
