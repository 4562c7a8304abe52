package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/internal/store/pgtest"
	"github.com/pyquiz/pyquiz/quiz"
)

// loadPack is a pack of n single-answer questions.
func loadPack(tb testing.TB, n int) *quiz.Pack {
	var b strings.Builder
	b.WriteString("format: 1\npack:\n  id: load\n  title: Load\n  version: 1.0.0\nquestions:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - id: q%d\n    type: single\n    prompt: Question %d?\n    code: print(%d)\n    choices: [\"%d\", \"%d\", \"%d\"]\n    answer: a\n", i, i, i, i, i+1, i+2)
	}
	p, probs := quiz.Parse("load.yaml", []byte(b.String()))
	if len(probs.Errors()) > 0 {
		tb.Fatal(probs)
	}
	return p
}

// runClass has participants people join a session on a real loopback
// server and answer all of its questions at once, each as fast as the
// server answers. It returns every answer's latency and checks that the
// database holds every answer.
func runClass(b *testing.B, dsn string, people int, second bool) []time.Duration {
	ctx := context.Background()
	db, err := store.OpenServe(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	p := loadPack(b, 20)
	byID := map[string]*quiz.Question{}
	for _, q := range p.Questions {
		byID[q.FullID()] = q
	}
	srv, err := New(ctx, Options{Store: db, Questions: byID, Packs: map[string]*quiz.Pack{"load": p}, JoinBurst: 10 * people})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown()
	c, err := srv.Create(ctx, Settings{Title: "Load", Mode: quiz.Study, Multi: "partial", Shuffle: true}, p.Questions)
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 2 * people, MaxIdleConnsPerHost: 2 * people}}
	api := hs.URL + "/api/v1/sessions/" + c.ID + "/"
	post := func(path, tok string, body any) (*http.Response, error) {
		j, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", api+path, bytes.NewReader(j))
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		return client.Do(req)
	}

	tokens := make([]string, people)
	for i := range tokens {
		resp, err := post("join", "", map[string]string{"name": fmt.Sprint("student ", i)})
		if err != nil || resp.StatusCode != http.StatusCreated {
			b.Fatalf("join %d: %v %v", i, err, resp)
		}
		var out struct{ Token string }
		json.NewDecoder(resp.Body).Decode(&out)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		tokens[i] = out.Token
	}

	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	startGun := make(chan struct{})
	errs := make(chan error, people)
	for _, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startGun
			mine := make([]time.Duration, 0, len(p.Questions))
			for _, q := range p.Questions {
				t0 := time.Now()
				resp, err := post("answers", tok, map[string]string{"question": q.FullID(), "answer": "a"})
				if err != nil {
					errs <- err
					return
				}
				// Read to the end so that the connection is reused: a
				// body closed unread closes the connection, and the
				// client would dial a new one for every answer.
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("answer: status %d", resp.StatusCode)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	close(startGun)
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	rows, err := db.Answers(ctx, c.ID, "")
	if err != nil {
		b.Fatal(err)
	}
	if want := people * len(p.Questions); len(rows) != want {
		b.Fatalf("the database holds %d answers, want %d", len(rows), want)
	}
	if second {
		// A second server process on the same database sees them all.
		db2, err := store.OpenServe(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer db2.Close()
		srv2, err := New(ctx, Options{Store: db2, Questions: byID, Packs: map[string]*quiz.Pack{"load": p}})
		if err != nil {
			b.Fatal(err)
		}
		defer srv2.Shutdown()
		sess, err := srv2.session(ctx, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		st, err := srv2.hostStatus(ctx, sess)
		if err != nil {
			b.Fatal(err)
		}
		if st.Answers != people*len(p.Questions) || len(st.Participants) != people {
			b.Fatalf("the second server sees %d answers of %d participants", st.Answers, len(st.Participants))
		}
	}
	return lat
}

func reportLatency(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/float64(time.Millisecond), "max-ms")
	b.ReportMetric(float64(len(lat)), "answers")
}

// BenchmarkClass200x20SQLite: 200 participants answer 20 questions each at
// once over loopback, every answer committed to SQLite before its response.
// go test ./internal/serve -run '^$' -bench Class -benchtime 1x
func BenchmarkClass200x20SQLite(b *testing.B) {
	var all []time.Duration
	for range b.N {
		all = append(all, runClass(b, filepath.Join(b.TempDir(), "progress.db"), 200, false)...)
	}
	reportLatency(b, all)
}

// BenchmarkClass200x20Postgres is the same on PostgreSQL; afterwards a
// second server on the same database sees every answer.
func BenchmarkClass200x20Postgres(b *testing.B) {
	dsn := pgtest.DSN(b)
	var all []time.Duration
	for range b.N {
		all = append(all, runClass(b, dsn, 200, true)...)
	}
	reportLatency(b, all)
}
