package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/pyquiz/pyquiz/internal/iostreams"
	"github.com/pyquiz/pyquiz/internal/store"
)

// benchHome is a state folder with 100,000 attempts at the built-in
// questions over the year before now, imported as `progress import` does.
func benchHome(b *testing.B, now time.Time) string {
	b.Helper()
	dir := b.TempDir()
	f := NewFactory()
	res, err := f.LoadPacks(nil, false)
	if err != nil {
		b.Fatal(err)
	}
	qs := res.Library.Questions()
	r := rand.New(rand.NewPCG(3, 4))
	as := make([]store.Attempt, 0, 100_000)
	start := now.Add(-365 * 24 * time.Hour)
	for i := 0; i < 100_000; i++ {
		// sessions of 20 answers, a few sittings a day
		at := start.Add(time.Duration(i/20)*(365*24*time.Hour/5000) + time.Duration(i%20)*30*time.Second)
		q := qs[r.IntN(len(qs))]
		a := store.Attempt{Session: fmt.Sprintf("bench-%05d", i/20), Question: q.FullID(), Mode: "study",
			Status: store.StatusAnswered, Max: 1, Seconds: 20, At: at}
		if r.IntN(4) > 0 {
			a.Correct, a.Points = true, 1
		}
		a.Rating = store.Rate(a, time.Minute)
		as = append(as, a)
	}
	st, err := store.OpenDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Import(context.Background(), as); err != nil {
		b.Fatal(err)
	}
	return dir
}

func benchRun(b *testing.B, home, now string, stdin string, args ...string) string {
	b.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.In = strings.NewReader(stdin)
	f := NewFactory()
	f.IOStreams = ios
	env := map[string]string{"PYQUIZ_HOME": home, "PYQUIZ_NOW": now, "PYQUIZ_PACKS": "", "XDG_DATA_HOME": home + "/data"}
	f.Getenv = func(k string) string { return env[k] }
	c, _ := parseClock(now)
	f.Now = c.Now
	f.StateDir = func() string { return home }
	f.DataDir = func() string { return home + "/data" }
	if code := Run(context.Background(), f, args); code != 0 {
		b.Fatalf("%v: exit %d\n%s", args, code, errOut)
	}
	return out.String()
}

// BenchmarkStatsCommand is `pyquiz stats` over 100,000 attempts, in
// process: open the database, load the packs, read, draw. Target < 200 ms.
func BenchmarkStatsCommand(b *testing.B) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	home := benchHome(b, now)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := benchRun(b, home, now.Format(time.RFC3339), "", "stats")
		if !strings.Contains(out, "attempts        100000") {
			b.Fatalf("unexpected stats:\n%s", out)
		}
	}
}

// BenchmarkReviewFirstQuestion is `pyquiz review` over 100,000 attempts up
// to the first question on screen (stdin is at its end, so the session
// stops there). Target < 100 ms.
func BenchmarkReviewFirstQuestion(b *testing.B) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	home := benchHome(b, now)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// a fresh instant each run: answers from an earlier run do not move the due list
		out := benchRun(b, home, now.Format(time.RFC3339), "", "review")
		if !strings.Contains(out, "Question 1/") {
			b.Fatalf("no question:\n%s", out)
		}
	}
}
