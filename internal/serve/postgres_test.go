package serve

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/internal/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestPostgresStudySession(t *testing.T) {
	f := startOn(t, pgtest.DSN(t), Settings{Shuffle: true}, Options{})
	tok := f.join("Ann")
	code, v := f.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "t"})
	require.Equal(t, http.StatusOK, code, "%v", v)
	assert.Equal(t, true, v["correct"])
	code, _ = f.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "t"})
	assert.Equal(t, http.StatusConflict, code)
	code, _ = f.call("POST", "join", "", map[string]string{"name": "Ann"})
	assert.Equal(t, http.StatusConflict, code)
	code, res := f.call("GET", "results", f.host, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Len(t, res["sheets"], 1)
	f.call("POST", "close", f.host, nil)
	code, _ = f.call("POST", "answers", tok, map[string]string{"question": "demo/prints", "answer": "2"})
	assert.Equal(t, http.StatusConflict, code)
}

// TestPostgresHints: hints are kept and read back on PostgreSQL too (a
// shared store is read on every request).
func TestPostgresHints(t *testing.T) {
	testHints(t, startOn(t, pgtest.DSN(t), Settings{}, Options{}))
}

func TestPostgresResume(t *testing.T) {
	testResume(t, startOn(t, pgtest.DSN(t), Settings{}, Options{}))
}

// TestPostgresTwoServersShareASession: a participant joins on one server
// and answers on the other; the host's live stream on the first sees the
// answer (LISTEN/NOTIFY), and a close on the second ends it on the first.
func TestPostgresTwoServersShareASession(t *testing.T) {
	dsn := pgtest.DSN(t)
	a := startOn(t, dsn, Settings{}, Options{})
	b := secondServer(t, dsn, a)

	req, _ := http.NewRequest("GET", a.http.URL+"/api/v1/sessions/"+a.id+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+a.host)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	require.NoError(t, err)
	defer resp.Body.Close()
	seen := make(chan string, 100)
	go func() {
		buf := make([]byte, 1<<16)
		for {
			n, err := resp.Body.Read(buf)
			if n > 0 {
				seen <- string(buf[:n])
			}
			if err != nil {
				close(seen)
				return
			}
		}
	}()
	<-seen // the first update

	tok := a.join("Bea")
	code, v := b.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "t"})
	require.Equal(t, http.StatusOK, code, "the token from server A works on server B: %v", v)
	got := ""
	for chunk := range seen {
		got += chunk
		if strings.Contains(got, `"answers":1`) {
			break
		}
	}
	assert.Contains(t, got, `"answers":1`, "server A's host stream saw server B's answer")

	code, _ = b.call("POST", "close", b.host, nil)
	require.Equal(t, http.StatusOK, code)
	code, v = a.call("POST", "answers", tok, map[string]string{"question": "demo/prints", "answer": "2"})
	assert.Equal(t, http.StatusConflict, code, "%v", v)
}

// TestPostgresServerBehindTheOtherOne: each server keeps what it last read
// of a participant and scores answers on it; when the participant meanwhile
// took a hint or answered on the other server, the database refuses the
// answer and the server reads again: the hint costs what it costs, the
// answer given elsewhere is refused, and the pages show the other server's
// answers at once.
func TestPostgresServerBehindTheOtherOne(t *testing.T) {
	dsn := pgtest.DSN(t)
	a := startOn(t, dsn, Settings{}, Options{})
	b := secondServer(t, dsn, a)

	tok := a.join("Cy")
	code, v := a.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "t"})
	require.Equal(t, http.StatusOK, code, "%v", v) // server A now holds Cy in memory
	code, v = b.call("POST", "hints", tok, map[string]string{"question": "demo/new-first"})
	require.Equal(t, http.StatusOK, code, "%v", v)
	code, out := b.call("GET", "questions", tok, nil) // the same letters on both
	require.Equal(t, http.StatusOK, code)
	letter := letterOf(t, questionByID(t, out, "demo/new-first"), "__new__")
	// A has not seen the hint B showed; the answer still pays for it.
	code, v = a.call("POST", "answers", tok, map[string]string{"question": "demo/new-first", "answer": letter})
	require.Equal(t, http.StatusOK, code, "%v", v)
	assert.EqualValues(t, 0.75, v["points"], "the hint shown by the other server costs its quarter")
	assert.EqualValues(t, 1, v["hints"])

	code, v = b.call("POST", "answers", tok, map[string]string{"question": "demo/prints", "answer": "2"})
	require.Equal(t, http.StatusOK, code, "%v", v)
	code, v = a.call("POST", "answers", tok, map[string]string{"question": "demo/prints", "answer": "3"})
	assert.Equal(t, http.StatusConflict, code, "answered on the other server: %v", v)
	code, out = a.call("GET", "questions", tok, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "answered", questionByID(t, out, "demo/prints")["status"])
	code, res := a.call("GET", "results", a.host, nil)
	require.Equal(t, http.StatusOK, code)
	assert.EqualValues(t, 2.75, res["sheets"].([]any)[0].(map[string]any)["score"])
}

// secondServer is another server on the database at dsn, serving a's
// session with a's clock, as a second pyquiz serve behind a load balancer;
// it closes with the test.
func secondServer(t *testing.T, dsn string, a *fixture) fixture {
	t.Helper()
	db2, err := store.OpenServe(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db2.Close() })
	b := *a
	b.srv = newServer(t, db2, a.clock, Options{})
	b.http = httptest.NewServer(b.srv)
	t.Cleanup(b.http.Close)
	return b
}
