package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// history makes n attempts at 500 questions of 5 packs, spread over a
// year before end, in sessions of 20, three in four right.
func history(n int, end time.Time) []Attempt {
	r := rand.New(rand.NewPCG(1, 2))
	as := make([]Attempt, 0, n)
	start := end.Add(-365 * 24 * time.Hour)
	step := end.Sub(start) / time.Duration(n)
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * step)
		a := Attempt{
			Session:  fmt.Sprintf("bench-%06d", i/20),
			Question: fmt.Sprintf("pack%d/q%03d", r.IntN(5), r.IntN(100)),
			Mode:     "study", Status: StatusAnswered, Max: 1, Seconds: 5 + 30*r.Float64(), At: at,
			PackVersion: "1.0.0", ContentHash: "0123456789abcdef",
		}
		if r.IntN(4) > 0 {
			a.Correct, a.Points, a.Given = true, 1, "b"
		} else {
			a.Given = "a"
		}
		a.Rating = Rate(a, time.Minute)
		as = append(as, a)
	}
	return as
}

var benchEnd = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func store100k(b *testing.B) *Store {
	b.Helper()
	s, err := OpenDir(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Import(context.Background(), history(100_000, benchEnd)); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkRecordAttempt is one answer recorded (its own transaction,
// synchronous=FULL, with the card update) into a database of 100,000.
// Target: < 5 ms.
func BenchmarkRecordAttempt(b *testing.B) {
	s := store100k(b)
	ctx := context.Background()
	sess := &Session{Kind: KindPlay, Mode: "study", Started: benchEnd}
	if err := s.StartSession(ctx, sess); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := &Attempt{Session: sess.ID, Question: fmt.Sprintf("pack1/q%03d", i%100), Status: StatusAnswered, Correct: true,
			Points: 1, Max: 1, Mode: "study", Rating: Good, At: benchEnd.Add(time.Duration(i) * time.Second)}
		if err := s.RecordAttempt(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHistory is stats' reading of 100,000 attempts and the cards.
func BenchmarkHistory(b *testing.B) {
	s := store100k(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h, err := s.History(ctx, time.UTC, nil)
		if err != nil || h.Total.Attempts != 100_000 {
			b.Fatal(err, h.Total)
		}
		if _, err := s.Cards(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCards is review's reading of the schedule.
func BenchmarkCards(b *testing.B) {
	s := store100k(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cs, err := s.Cards(ctx)
		if err != nil || len(cs) != 500 {
			b.Fatal(err, len(cs))
		}
	}
}

// BenchmarkImport100k is `progress import` of 100,000 attempts into an
// empty database, schedules replayed.
func BenchmarkImport100k(b *testing.B) {
	as := history(100_000, benchEnd)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := OpenDir(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := s.Import(context.Background(), as); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
