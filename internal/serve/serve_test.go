package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/quiz"
)

const testPack = `format: 1
pack:
  id: demo
  title: Demo pack
  version: 1.0.0
questions:
  - id: new-first
    type: single
    prompt: Which method runs first?
    code: |
      class A:
          def __new__(cls): ...
    choices: [__create__, __new__, __init__]
    answer: b
    hints: ["It is a static method.", "Its name says what it does."]
    feedback:
      c: __init__ runs on the object __new__ made.
    explanation: __new__ makes the object.
  - id: falsy
    type: multi
    prompt: Which are falsy?
    choices: ["0", "[]", "'a'", "None"]
    answer: a,b,d
  - id: is-int
    type: truefalse
    prompt: True is an int.
    answer: true
  - id: prints
    type: output
    prompt: What does this print?
    code: print(1 + 1)
    answer: "2"
`

// clock is a test clock the server reads; tests move it, never sleep.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	t     testing.TB
	srv   *Server
	db    *store.ServeDB
	http  *httptest.Server
	clock *clock
	id    string
	host  string
	qs    []*quiz.Question
	dir   string
	dsn   string
}

func loadTestPack(t testing.TB) (*quiz.Pack, map[string]*quiz.Question) {
	t.Helper()
	p, probs := quiz.Parse("demo.yaml", []byte(testPack))
	require.Empty(t, probs.Errors())
	byID := map[string]*quiz.Question{}
	for _, q := range p.Questions {
		byID[q.FullID()] = q
	}
	return p, byID
}

func newServer(t testing.TB, db *store.ServeDB, c *clock, opts Options) *Server {
	t.Helper()
	p, byID := loadTestPack(t)
	opts.Store, opts.Questions, opts.Packs, opts.Now = db, byID, map[string]*quiz.Pack{"demo": p}, c.now
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	srv, err := New(ctx, opts)
	require.NoError(t, err)
	return srv
}

func start(t testing.TB, set Settings, opts Options) *fixture {
	t.Helper()
	dir := t.TempDir()
	return startOn(t, filepath.Join(dir, "progress.db"), set, opts)
}

// startOn starts a server on the database dsn (a SQLite file or a
// PostgreSQL URL) with a new session.
func startOn(t testing.TB, dsn string, set Settings, opts Options) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := store.OpenServe(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	srv := newServer(t, db, c, opts)
	p, _ := loadTestPack(t)
	if set.Mode == "" {
		set.Mode = quiz.Study
	}
	if set.Multi == "" {
		set.Multi = "partial"
	}
	if set.Title == "" {
		set.Title = "Demo"
	}
	created, err := srv.Create(context.Background(), set, p.Questions)
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		srv.Shutdown() // ends live streams a browser still holds open
		hs.Close()
	})
	return &fixture{t: t, srv: srv, db: db, http: hs, clock: c, id: created.ID, host: created.HostToken, qs: p.Questions, dir: dir, dsn: dsn}
}

// call makes a JSON API call and returns the status and the decoded body.
func (f *fixture) call(method, path, token string, body any) (int, map[string]any) {
	f.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.http.URL+"/api/v1/sessions/"+f.id+"/"+path, r)
	require.NoError(f.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 {
		require.NoError(f.t, json.Unmarshal(raw, &out), "body: %s", raw)
	}
	return resp.StatusCode, out
}

func (f *fixture) join(name string) string {
	f.t.Helper()
	code, out := f.call("POST", "join", "", map[string]string{"name": name})
	require.Equal(f.t, http.StatusCreated, code, "join: %v", out)
	require.NotEmpty(f.t, out["participant"])
	return out["token"].(string)
}

// letterOf finds the letter a participant sees for a choice text.
func letterOf(t *testing.T, q map[string]any, text string) string {
	for _, c := range q["choices"].([]any) {
		c := c.(map[string]any)
		if c["text"] == text {
			return c["letter"].(string)
		}
	}
	t.Fatalf("no choice %q in %v", text, q)
	return ""
}

func questionByID(t *testing.T, out map[string]any, id string) map[string]any {
	for _, q := range out["questions"].([]any) {
		if q := q.(map[string]any); q["id"] == id {
			return q
		}
	}
	t.Fatalf("no question %s", id)
	return nil
}

func TestStudySessionOverTheAPI(t *testing.T) {
	f := start(t, Settings{Shuffle: true}, Options{})
	tok := f.join("Ann")

	code, out := f.call("GET", "questions", tok, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "Ann", out["name"])
	require.Len(t, out["questions"], 4)
	single := questionByID(t, out, "demo/new-first")
	assert.Equal(t, "single", single["type"])
	assert.Contains(t, single["code"], "def __new__")
	require.Len(t, single["choices"], 3)

	// A right answer by the letter this participant sees.
	code, v := f.call("POST", "answers", tok, map[string]string{"question": "demo/new-first", "answer": letterOf(t, single, "__new__")})
	require.Equal(t, http.StatusOK, code, "%v", v)
	assert.Equal(t, true, v["recorded"])
	assert.Equal(t, true, v["correct"])
	assert.Equal(t, "__new__ makes the object.", v["explanation"])

	// Partial credit on multi, as play scores it: 2 of 3 right, no wrong picks.
	multi := questionByID(t, out, "demo/falsy")
	picks := letterOf(t, multi, "0") + "," + letterOf(t, multi, "[]")
	code, v = f.call("POST", "answers", tok, map[string]string{"question": "demo/falsy", "answer": picks})
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, false, v["correct"])
	assert.InDelta(t, 0.67, v["points"], 0.001)

	// A wrong answer gets the pack's feedback for it.
	code, v = f.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "f"})
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, false, v["correct"])
	assert.Equal(t, "true", v["answer"])

	// Answering twice, junk and unknown questions are refused.
	code, v = f.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "t"})
	assert.Equal(t, http.StatusConflict, code, "%v", v)
	code, v = f.call("POST", "answers", tok, map[string]string{"question": "demo/new-first", "answer": "zz"})
	assert.Equal(t, http.StatusConflict, code, "%v", v)
	code, v = f.call("POST", "answers", tok, map[string]string{"question": "demo/prints", "answer": "  "})
	assert.Equal(t, http.StatusBadRequest, code, "%v", v)
	code, _ = f.call("POST", "answers", tok, map[string]string{"question": "demo/nope", "answer": "a"})
	assert.Equal(t, http.StatusNotFound, code)
	code, v = f.call("POST", "answers", tok, map[string]any{"question": "demo/prints", "answer": "2", "extra": 1})
	assert.Equal(t, http.StatusBadRequest, code, "%v", v)

	code, v = f.call("POST", "answers", tok, map[string]string{"question": "demo/prints", "answer": " 2 "})
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, true, v["correct"])

	// The host's results have the grade JSON shape.
	code, res := f.call("GET", "results", f.host, nil)
	require.Equal(t, http.StatusOK, code)
	sheets := res["sheets"].([]any)
	require.Len(t, sheets, 1)
	sh := sheets[0].(map[string]any)
	assert.Equal(t, "Ann", sh["student"])
	assert.InDelta(t, 2.6667, sh["score"], 0.0001)
	assert.Equal(t, 4.0, sh["max"])
	assert.Contains(t, res, "items")
	assert.Contains(t, res, "summary")

	// Closing ends the session for everyone.
	code, _ = f.call("POST", "close", f.host, nil)
	require.Equal(t, http.StatusOK, code)
	code, v = f.call("POST", "join", "", map[string]string{"name": "Late"})
	assert.Equal(t, http.StatusConflict, code, "%v", v)
}

func TestAnswersAfterCloseAre409(t *testing.T) {
	f := start(t, Settings{}, Options{})
	tok := f.join("Bo")
	code, _ := f.call("POST", "close", f.host, nil)
	require.Equal(t, http.StatusOK, code)
	code, v := f.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "t"})
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, "the session is closed", v["error"])
}

func TestWhoMaySeeWhat(t *testing.T) {
	f := start(t, Settings{}, Options{})
	tok := f.join("Cy")
	code, _ := f.call("GET", "questions", "", nil)
	assert.Equal(t, http.StatusUnauthorized, code)
	code, _ = f.call("GET", "questions", "forged", nil)
	assert.Equal(t, http.StatusUnauthorized, code)
	code, _ = f.call("GET", "results", "", nil)
	assert.Equal(t, http.StatusUnauthorized, code)
	code, _ = f.call("GET", "results", tok, nil)
	assert.Equal(t, http.StatusForbidden, code)
	code, _ = f.call("POST", "close", tok, nil)
	assert.Equal(t, http.StatusForbidden, code)
	code, _ = f.call("GET", "status", tok, nil)
	assert.Equal(t, http.StatusForbidden, code)
	code, _ = f.call("GET", "questions", f.host, nil)
	assert.Equal(t, http.StatusForbidden, code)
	resp, err := http.Get(f.http.URL + "/api/v1/sessions/nosuch/questions")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestExamModeSaysNothingUntilClosed(t *testing.T) {
	f := start(t, Settings{Mode: quiz.Exam}, Options{})
	tok := f.join("Di")
	code, v := f.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "f"})
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, map[string]any{"recorded": true, "question": "demo/is-int"}, v)
	_, own := f.call("GET", "answers", tok, nil)
	assert.NotContains(t, own["answers"].([]any)[0], "correct")

	f.call("POST", "close", f.host, nil)
	_, own = f.call("GET", "answers", tok, nil)
	assert.Equal(t, false, own["answers"].([]any)[0].(map[string]any)["correct"])
	// An exam is scored on every question it set.
	_, res := f.call("GET", "results", f.host, nil)
	assert.Equal(t, 4.0, res["sheets"].([]any)[0].(map[string]any)["max"])
}

func TestTimeLimitIsKeptByTheServer(t *testing.T) {
	f := start(t, Settings{TimeLimit: 10 * time.Minute}, Options{})
	tok := f.join("Ed")
	_, out := f.call("GET", "questions", tok, nil)
	assert.Equal(t, "2026-03-01T09:10:00Z", out["deadline"])
	f.clock.add(10 * time.Minute)
	code, v := f.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "t"})
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, "your time is up", v["error"])
}

func TestQuestionTimeRecordsTimeouts(t *testing.T) {
	f := start(t, Settings{QuestionTime: 30 * time.Second}, Options{})
	tok := f.join("Fay")
	_, out := f.call("GET", "questions", tok, nil)
	first := out["next"].(string)
	second := out["questions"].([]any)[1].(map[string]any)["id"].(string)
	code, v := f.call("POST", "answers", tok, map[string]string{"question": second, "answer": "a"})
	assert.Equal(t, http.StatusConflict, code, "out of order: %v", v)

	// 70 s later the first two questions have run out, the third is open.
	f.clock.add(70 * time.Second)
	code, v = f.call("POST", "answers", tok, map[string]string{"question": first, "answer": "a"})
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, "time ran out for this question", v["error"])
	_, out = f.call("GET", "questions", tok, nil)
	qs := out["questions"].([]any)
	assert.Equal(t, "timeout", qs[0].(map[string]any)["status"])
	assert.Equal(t, "timeout", qs[1].(map[string]any)["status"])
	assert.Equal(t, "open", qs[2].(map[string]any)["status"])
	assert.Equal(t, "2026-03-01T09:01:30Z", out["deadline"], "the third question's clock started when the second ran out")
}

func TestJoinIsRateLimitedAndNamesChecked(t *testing.T) {
	f := start(t, Settings{}, Options{JoinBurst: 2, JoinPerSecond: 0.001})
	f.join("G1")
	code, v := f.call("POST", "join", "", map[string]string{"name": "G1"})
	assert.Equal(t, http.StatusConflict, code, "a name is taken once: %v", v)
	code, _ = f.call("POST", "join", "", map[string]string{"name": "G3"})
	assert.Equal(t, http.StatusTooManyRequests, code)

	g := start(t, Settings{}, Options{})
	for _, bad := range []string{"", "   ", strings.Repeat("x", 61), "a\x1bb", "bi\u202edi"} {
		code, _ := g.call("POST", "join", "", map[string]string{"name": bad})
		assert.Equal(t, http.StatusBadRequest, code, "%q", bad)
	}
}

func TestBodiesAreCapped(t *testing.T) {
	f := start(t, Settings{}, Options{})
	tok := f.join("Hal")
	big := strings.Repeat("x", maxBody+10)
	code, _ := f.call("POST", "answers", tok, map[string]string{"question": "demo/prints", "answer": big})
	assert.Equal(t, http.StatusRequestEntityTooLarge, code)
}

func TestResumeKeepsAnswersAndTokens(t *testing.T) {
	testResume(t, start(t, Settings{}, Options{}))
}

// testResume stops a server whose participant has answered and starts a
// new one on the same database, as pyquiz serve --resume does.
func testResume(t *testing.T, f *fixture) {
	tok := f.join("Ivy")
	code, _ := f.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "t"})
	require.Equal(t, http.StatusOK, code)
	f.http.Close()
	require.NoError(t, f.db.Close())

	// A new process on the same file: the session, the answer and both tokens are there.
	db, err := store.OpenServe(context.Background(), f.dsn)
	require.NoError(t, err)
	defer db.Close()
	srv := newServer(t, db, f.clock, Options{})
	f.http = httptest.NewServer(srv)
	defer f.http.Close()
	tok2, err := srv.HostToken(context.Background(), f.id)
	require.NoError(t, err)
	assert.Equal(t, f.host, tok2)
	code, out := f.call("GET", "questions", tok, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "answered", questionByID(t, out, "demo/is-int")["status"])
	code, _ = f.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "t"})
	assert.Equal(t, http.StatusConflict, code)
	code, _ = f.call("GET", "results", f.host, nil)
	assert.Equal(t, http.StatusOK, code)
}

func TestHostEventsStreamAnswers(t *testing.T) {
	f := start(t, Settings{}, Options{})
	req, _ := http.NewRequest("GET", f.http.URL+"/api/v1/sessions/"+f.id+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+f.host)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	events := make(chan string, 10)
	go func() {
		buf := make([]byte, 64<<10)
		var acc string
		for {
			n, err := resp.Body.Read(buf)
			acc += string(buf[:n])
			for {
				i := strings.Index(acc, "\n\n")
				if i < 0 {
					break
				}
				events <- acc[:i]
				acc = acc[i+2:]
			}
			if err != nil {
				close(events)
				return
			}
		}
	}()
	first := <-events
	assert.Contains(t, first, `"participants":[]`)
	tok := f.join("Jo <i>")
	f.call("POST", "answers", tok, map[string]string{"question": "demo/is-int", "answer": "t"})
	for ev := range events {
		if strings.Contains(ev, `"answers":1`) {
			assert.Contains(t, ev, `"name":"Jo \u003ci\u003e"`)
			assert.Contains(t, ev, `"right"`)
			return
		}
	}
	t.Fatal("no update with the answer")
}

// browser is a cookie-keeping client that does not follow redirects.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := c.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func TestPagesJoinAnswerAndFeedback(t *testing.T) {
	f := start(t, Settings{}, Options{})
	b := browser(t)
	base := f.http.URL + "/s/" + f.id
	code, body, h := get(t, b, base)
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, h.Get("Content-Security-Policy"), "script-src 'self'")
	m := csrfField.FindStringSubmatch(body)
	require.NotNil(t, m, body)

	// A form without the CSRF token is refused.
	code, _, _ = post(t, b, base+"/join", url.Values{"name": {"Kim"}})
	assert.Equal(t, http.StatusForbidden, code)

	code, _, h = post(t, b, base+"/join", url.Values{"name": {"<script>alert(1)</script>"}, "csrf": {m[1]}})
	require.Equal(t, http.StatusSeeOther, code)
	assert.Equal(t, "/s/"+f.id+"/q", h.Get("Location"))
	u, _ := url.Parse(f.http.URL)
	for _, c := range b.Jar.Cookies(u) {
		assert.NotEqual(t, "", c.Value)
	}

	code, body, _ = get(t, b, base+"/q")
	require.Equal(t, http.StatusOK, code)
	assert.NotContains(t, body, "<script>alert(1)</script>")
	assert.Contains(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;")
	m = csrfField.FindStringSubmatch(body)
	require.NotNil(t, m)
	qid := regexp.MustCompile(`name="question" value="([^"]+)"`).FindStringSubmatch(body)[1]

	// Without the CSRF token the answer is refused; with it, recorded.
	code, _, _ = post(t, b, base+"/answer", url.Values{"question": {qid}, "skip": {"1"}})
	assert.Equal(t, http.StatusForbidden, code)
	code, _, h = post(t, b, base+"/answer", url.Values{"question": {qid}, "skip": {"1"}, "csrf": {m[1]}})
	require.Equal(t, http.StatusSeeOther, code)
	code, body, _ = get(t, b, f.http.URL+h.Get("Location"))
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "Skipped")
	assert.Contains(t, body, "Next question")

	// The host page shows the name escaped; a participant cannot open it.
	code, _, _ = get(t, b, f.http.URL+"/host/"+f.id)
	assert.Equal(t, http.StatusForbidden, code)
	hb := browser(t)
	code, _, h = get(t, hb, f.http.URL+"/host/"+f.id+"?token="+f.host)
	require.Equal(t, http.StatusSeeOther, code)
	assert.Equal(t, "/host/"+f.id, h.Get("Location"), "the token leaves the address bar")
	code, body, _ = get(t, hb, f.http.URL+"/host/"+f.id)
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.NotContains(t, body, "<script>alert(1)")
	m = csrfField.FindStringSubmatch(body)
	require.NotNil(t, m)
	code, _, _ = post(t, hb, f.http.URL+"/host/"+f.id+"/close", url.Values{"csrf": {m[1]}})
	require.Equal(t, http.StatusSeeOther, code)
	code, body, _ = get(t, hb, f.http.URL+"/host/"+f.id)
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "Results")
	code, body, h = get(t, hb, f.http.URL+"/host/"+f.id+"/results/results.csv")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, h.Get("Content-Disposition"), "attachment")
	assert.Contains(t, body, "<script>alert(1)</script>", "CSV holds the name as given")
}

// TestClassReportMatchesGrade: thirty students finish a study session with
// varied answers; the host's report is byte for byte what `pyquiz grade`
// makes of the same answers written as a CSV sheet.
func TestClassReportMatchesGrade(t *testing.T) {
	f := start(t, Settings{Shuffle: true, Seed: 3}, Options{JoinBurst: 100})
	texts := map[string][]string{
		"demo/new-first": {"__new__", "__init__", "__create__"},
		"demo/falsy":     {"0,[],None", "0,[]", "'a'", "0,'a',None"},
		"demo/is-int":    {"t", "f"},
		"demo/prints":    {"2", "11", "Error"},
	}
	var csv strings.Builder
	csv.WriteString("student,new-first,falsy,is-int,prints\n")
	for i := range 30 {
		name := "student " + string(rune('A'+i%26)) + strings.Repeat("'", i/26)
		f.clock.add(time.Second)
		tok := f.join(name)
		_, out := f.call("GET", "questions", tok, nil)
		row := []string{name}
		for _, qid := range []string{"demo/new-first", "demo/falsy", "demo/is-int", "demo/prints"} {
			opts := texts[qid]
			pick := opts[(i*7+len(qid))%len(opts)]
			q := questionByID(t, out, qid)
			answer, canonical := pick, pick
			if q["type"] == "single" || q["type"] == "multi" {
				// The participant answers with the letters they see; the
				// sheet holds the pack's letters.
				var shown, pack []string
				for _, text := range strings.Split(pick, ",") {
					shown = append(shown, letterOf(t, q, text))
					for k, c := range f.qs[0].Choices {
						if f.qs[0].ID == strings.TrimPrefix(qid, "demo/") && c == text {
							pack = append(pack, quiz.Letter(k))
						}
					}
					if qid == "demo/falsy" {
						for k, c := range f.qs[1].Choices {
							if c == text {
								pack = append(pack, quiz.Letter(k))
							}
						}
					}
				}
				answer, canonical = strings.Join(shown, ","), strings.Join(pack, "")
			}
			if i%9 == 4 && qid == "demo/prints" {
				code, _ := f.call("POST", "answers", tok, map[string]any{"question": qid, "skip": true})
				require.Equal(t, http.StatusOK, code)
				row = append(row, "")
				continue
			}
			code, v := f.call("POST", "answers", tok, map[string]string{"question": qid, "answer": answer})
			require.Equal(t, http.StatusOK, code, "%s %s %q: %v", name, qid, answer, v)
			row = append(row, canonical)
		}
		csv.WriteString(strings.Join(row, ",") + "\n")
	}
	code, served := f.call("GET", "results", f.host, nil)
	require.Equal(t, http.StatusOK, code)

	p, _ := loadTestPack(t)
	assertGradeGives(t, p, csv.String(), served)
}

// TestDonePageScoreMatchesReport: the score a participant reads at the end
// is the one the host's report gives them, unanswered questions included.
func TestDonePageScoreMatchesReport(t *testing.T) {
	f := start(t, Settings{}, Options{})
	b := browser(t)
	base := f.http.URL + "/s/" + f.id
	_, body, _ := get(t, b, base)
	m := csrfField.FindStringSubmatch(body)
	require.NotNil(t, m)
	post(t, b, base+"/join", url.Values{"name": {"Lu"}, "csrf": {m[1]}})
	_, body, _ = get(t, b, base+"/q")
	m = csrfField.FindStringSubmatch(body)
	post(t, b, base+"/answer", url.Values{"question": {"demo/new-first"}, "answer": {"b"}, "csrf": {m[1]}})
	f.call("POST", "close", f.host, nil)
	code, body, _ := get(t, b, base+"/done")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, "Your score: 1 of 4 (25%)")
	_, res := f.call("GET", "results", f.host, nil)
	assert.Equal(t, 25.0, res["sheets"].([]any)[0].(map[string]any)["percent"])
}

// hostile holds what a participant might type to take over a terminal or
// turn text around: ESC (a colour), BEL, the C1 CSI U+009B and a
// right-to-left override.
const hostile = "2\x1b[31m\a\u009b\u202e"

// rawControls finds a raw control character (C0 but newline, DEL, C1) in
// a response body.
func rawControls(body string) []rune {
	var out []rune
	for _, r := range body {
		if r != '\n' && r != '\t' && (r < 0x20 || r >= 0x7f && r <= 0x9f) {
			out = append(out, r)
		}
	}
	return out
}

func rawBody(t *testing.T, f *fixture, method, path, token string, body any) (int, string) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, f.http.URL+"/api/v1/sessions/"+f.id+"/"+path, r)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestControlCharactersAreEscaped: names with control or bidi characters
// are refused, and an answer holding them comes back escaped in every JSON
// answer (as the CLI's --json: \u001b, \u0007, \u009b) and on the host's
// page (as the terminal shows them), never raw.
func TestControlCharactersAreEscaped(t *testing.T) {
	f := start(t, Settings{}, Options{})
	code, body := rawBody(t, f, "POST", "join", "", map[string]string{"name": "Eve" + hostile})
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Empty(t, rawControls(body), "%q", body)

	tok := f.join("Eve")
	code, body = rawBody(t, f, "POST", "answers", tok, map[string]string{"question": "demo/prints", "answer": hostile})
	require.Equal(t, http.StatusOK, code, body)
	assert.Empty(t, rawControls(body), "%q", body)
	assert.Contains(t, body, `"given": "2\\x1b[31m\\x07\\u009b‹U+202E›"`, "the verdict's given answer, shown as the terminal shows it")
	code, body = rawBody(t, f, "GET", "answers", tok, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Empty(t, rawControls(body), "%q", body)

	f.call("POST", "close", f.host, nil)
	code, body = rawBody(t, f, "GET", "results", f.host, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Empty(t, rawControls(body), "%q", body)
	assert.Contains(t, body, `\u001b[31m\u0007\u009b`, "the given answer in the report, escaped")

	b := browser(t)
	code, page, _ := get(t, b, f.http.URL+"/host/"+f.id+"?token="+f.host)
	if code == http.StatusSeeOther {
		code, page, _ = get(t, b, f.http.URL+"/host/"+f.id)
	}
	require.Equal(t, http.StatusOK, code, page)
	assert.Empty(t, rawControls(page), "%q", page)
	assert.NotContains(t, page, "\u202e")
	assert.Contains(t, page, `2\x1b[31m\x07\u009b‹U&#43;202E›`, "the most common wrong answer, shown escaped")
}

// TestHintsCostWhatTheyCostInPlay: a participant in study mode takes the
// question's hints one by one; each is recorded before it is shown, costs
// the pack's hint penalty (as play's h does, quiz.Mark), survives a
// restart, and the host's report (grade) scores the answer the same way.
func TestHintsCostWhatTheyCostInPlay(t *testing.T) {
	testHints(t, start(t, Settings{}, Options{}))

	e := start(t, Settings{Mode: quiz.Exam}, Options{})
	etok := e.join("Ex")
	code, out := e.call("GET", "questions", etok, nil)
	require.Equal(t, http.StatusOK, code)
	assert.EqualValues(t, 0, questionByID(t, out, "demo/new-first")["hints"], "an exam shows no hints")
	code, _ = e.call("POST", "hints", etok, map[string]string{"question": "demo/new-first"})
	assert.Equal(t, http.StatusForbidden, code)
}

func testHints(t *testing.T, f *fixture) {
	tok := f.join("Hal")
	code, out := f.call("GET", "questions", tok, nil)
	require.Equal(t, http.StatusOK, code)
	q := questionByID(t, out, "demo/new-first")
	assert.EqualValues(t, 2, q["hints"])
	assert.Nil(t, q["hints_shown"])
	assert.EqualValues(t, 0, questionByID(t, out, "demo/is-int")["hints"])

	code, h := f.call("POST", "hints", tok, map[string]string{"question": "demo/new-first"})
	require.Equal(t, http.StatusOK, code, "%v", h)
	assert.Equal(t, "It is a static method.", h["hint"])
	assert.EqualValues(t, 1, h["number"])
	assert.EqualValues(t, 2, h["total"])
	assert.EqualValues(t, 0.25, h["cost"], "the default hint penalty, a quarter of the points")
	assert.EqualValues(t, 0.75, h["worth"])
	code, v := f.call("POST", "hints", tok, map[string]string{"question": "demo/is-int"})
	assert.Equal(t, http.StatusNotFound, code, "%v", v)
	assert.Equal(t, "this question has no hints", v["error"])

	// A restart forgets nothing: the second hint is the second one.
	srv := newServer(t, f.db, f.clock, Options{})
	f.http.Close()
	f.http = httptest.NewServer(srv)
	defer f.http.Close()
	code, out = f.call("GET", "questions", tok, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, []any{"It is a static method."}, questionByID(t, out, "demo/new-first")["hints_shown"])
	code, h = f.call("POST", "hints", tok, map[string]string{"question": "demo/new-first"})
	require.Equal(t, http.StatusOK, code, "%v", h)
	assert.EqualValues(t, 2, h["number"])
	assert.EqualValues(t, 0.5, h["worth"])
	code, v = f.call("POST", "hints", tok, map[string]string{"question": "demo/new-first"})
	assert.Equal(t, http.StatusConflict, code, "%v", v)
	assert.Contains(t, v["error"], "no more hints")

	letter := letterOf(t, questionByID(t, out, "demo/new-first"), "__new__")
	code, v = f.call("POST", "answers", tok, map[string]string{"question": "demo/new-first", "answer": letter})
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, true, v["correct"])
	assert.EqualValues(t, 0.5, v["points"], "right after two hints: half the points, as in play")
	assert.EqualValues(t, 2, v["hints"])
	code, v = f.call("POST", "hints", tok, map[string]string{"question": "demo/new-first"})
	assert.Equal(t, http.StatusConflict, code, "no hint once answered: %v", v)

	code, res := f.call("GET", "results", f.host, nil)
	require.Equal(t, http.StatusOK, code)
	sh := res["sheets"].([]any)[0].(map[string]any)
	assert.EqualValues(t, 0.5, sh["score"], "grade marks the answer with its hints too")
}

// TestHintButtonOnThePage: the question page offers a hint with its cost,
// works without JavaScript (a form with its CSRF token) and then shows the
// hint above the answer.
func TestHintButtonOnThePage(t *testing.T) {
	f := start(t, Settings{}, Options{}) // no shuffle: new-first comes first
	b := browser(t)
	base := f.http.URL + "/s/" + f.id
	_, body, _ := get(t, b, base)
	m := csrfField.FindStringSubmatch(body)
	require.NotNil(t, m, body)
	code, _, _ := post(t, b, base+"/join", url.Values{"name": {"Pat"}, "csrf": {m[1]}})
	require.Equal(t, http.StatusSeeOther, code)
	code, body, _ = get(t, b, base+"/q")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `action="/s/`+f.id+`/hint"`)
	assert.Contains(t, body, "Show a hint <span class=\"muted\">(costs 25% of the points)</span>")
	assert.NotContains(t, body, "It is a static method.")
	m = csrfField.FindStringSubmatch(body)
	require.NotNil(t, m)

	code, _, _ = post(t, b, base+"/hint", url.Values{"question": {"demo/new-first"}})
	assert.Equal(t, http.StatusForbidden, code, "no CSRF token, no hint")
	code, _, h := post(t, b, base+"/hint", url.Values{"question": {"demo/new-first"}, "csrf": {m[1]}})
	require.Equal(t, http.StatusSeeOther, code)
	assert.Equal(t, "/s/"+f.id+"/q", h.Get("Location"))
	_, body, _ = get(t, b, base+"/q")
	assert.Contains(t, body, "Hint 1 of 2")
	assert.Contains(t, body, "It is a static method.")
	assert.Contains(t, body, "Another hint")
}
