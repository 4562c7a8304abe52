package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/grade"
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

// class is one run of runClass.
type class struct {
	lat   []time.Duration // every answer's latency
	wall  time.Duration   // from the start of the answers to the last response
	cpu   time.Duration   // the process's CPU time (user+sys) over wall: server and clients
	sheet string          // the answers as a CSV sheet for grade (pack letters)
	res   []byte          // the host's results (GET results) after the run
	pack  *quiz.Pack
}

// runClass has people participants join a session of nq questions on a
// real loopback server and answer all of them at once, each as fast as
// the server answers. pick, when set, chooses the choice (its index in the
// pack) participant i gives to question q, each reading their own letters
// first; else every answer is the letter a as shown. It checks that the
// database holds every answer, and with second that another server on the
// same database sees them all.
func runClass(tb testing.TB, dsn string, people, nq int, second bool, pick func(i, q int) int) class {
	ctx := context.Background()
	defer TuneGC()() // as pyquiz serve does
	db, err := store.OpenServe(ctx, dsn)
	require.NoError(tb, err)
	defer db.Close()
	p := loadPack(tb, nq)
	byID := map[string]*quiz.Question{}
	for _, q := range p.Questions {
		byID[q.FullID()] = q
	}
	srv, err := New(ctx, Options{Store: db, Questions: byID, Packs: map[string]*quiz.Pack{"load": p}, JoinBurst: 10 * people})
	require.NoError(tb, err)
	defer srv.Shutdown()
	c, err := srv.Create(ctx, Settings{Title: "Load", Mode: quiz.Study, Multi: "partial", Shuffle: true}, p.Questions)
	require.NoError(tb, err)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 2 * people, MaxIdleConnsPerHost: 2 * people}}
	api := hs.URL + "/api/v1/sessions/" + c.ID + "/"
	// call reads the whole body so that the connection is reused: a body
	// closed unread closes it, and the client would dial again for every
	// answer (the first version of this benchmark did, and measured that).
	call := func(method, path, tok string, body any) (int, []byte, error) {
		var r io.Reader
		if body != nil {
			j, _ := json.Marshal(body)
			r = bytes.NewReader(j)
		}
		req, _ := http.NewRequest(method, api+path, r)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}

	tokens := make([]string, people)
	names := make([]string, people)
	for i := range tokens {
		names[i] = fmt.Sprint("student ", i)
		code, b, err := call("POST", "join", "", map[string]string{"name": names[i]})
		require.NoError(tb, err)
		require.Equal(tb, http.StatusCreated, code, "join %d: %s", i, b)
		var out struct{ Token string }
		require.NoError(tb, json.Unmarshal(b, &out))
		tokens[i] = out.Token
	}

	// The host page is open through the run, as in a class: its live
	// stream (SSE) is updated while the answers arrive, and must end up
	// counting every one of them.
	host := watchHost(tb, api+"events", c.HostToken)
	defer host.stop()

	var mu sync.Mutex
	var lat []time.Duration
	rows := make([]string, people)
	var wg sync.WaitGroup
	startGun := make(chan struct{})
	errs := make(chan error, people)
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each participant is one keep-alive HTTP/1.1 connection, as a
			// browser tab is, written and read by a minimal client (see
			// rawClient). Every participant reads their questions first,
			// as the page does before anyone answers, so that their
			// connection is open when the answers start.
			rc, err := dialRaw(hs.Listener.Addr().String())
			if err != nil {
				errs <- err
				return
			}
			defer rc.Close()
			shown := map[string][]string{}
			{
				code, b, _, err := rc.do("GET", "/api/v1/sessions/"+c.ID+"/questions", tok, nil)
				if err != nil || code != http.StatusOK {
					errs <- fmt.Errorf("questions: %d %v", code, err)
					return
				}
				var out struct {
					Questions []struct {
						ID      string
						Choices []struct{ Letter, Text string }
					}
				}
				json.Unmarshal(b, &out)
				for _, q := range out.Questions {
					for _, ch := range q.Choices {
						shown[q.ID] = append(shown[q.ID], ch.Letter+"="+ch.Text)
					}
				}
			}
			<-startGun
			mine := make([]time.Duration, 0, len(p.Questions))
			row := []string{names[i]}
			for qi, q := range p.Questions {
				answer := "a"
				if pick != nil {
					k := pick(i, qi)
					for _, lt := range shown[q.FullID()] {
						if letter, text, _ := strings.Cut(lt, "="); text == q.Choices[k] {
							answer = letter
						}
					}
					row = append(row, quiz.Letter(k))
				}
				body, _ := json.Marshal(map[string]string{"question": q.FullID(), "answer": answer})
				code, b, d, err := rc.do("POST", "/api/v1/sessions/"+c.ID+"/answers", tok, body)
				if err != nil || code != http.StatusOK {
					errs <- fmt.Errorf("answer: status %d %v: %s", code, err, b)
					return
				}
				mine = append(mine, d)
			}
			mu.Lock()
			lat = append(lat, mine...)
			rows[i] = strings.Join(row, ",")
			mu.Unlock()
		}()
	}
	cpu0, t0 := cpuTime(), time.Now()
	close(startGun)
	wg.Wait()
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	require.Equal(tb, people*len(p.Questions), host.waitFor(people*len(p.Questions)), "the host's live stream counts every answer")
	got, err := db.Answers(ctx, c.ID, "")
	require.NoError(tb, err)
	require.Len(tb, got, people*len(p.Questions), "every answer is in the database")

	out := class{lat: lat, pack: p, wall: wall, cpu: cpu}
	head := []string{"student"}
	for _, q := range p.Questions {
		head = append(head, q.ID)
	}
	out.sheet = strings.Join(head, ",") + "\n" + strings.Join(rows, "\n") + "\n"
	code, res, err := call("GET", "results", c.HostToken, nil)
	require.NoError(tb, err)
	require.Equal(tb, http.StatusOK, code)
	out.res = res

	if second {
		// A second server process on the same database sees them all.
		db2, err := store.OpenServe(ctx, dsn)
		require.NoError(tb, err)
		defer db2.Close()
		srv2, err := New(ctx, Options{Store: db2, Questions: byID, Packs: map[string]*quiz.Pack{"load": p}})
		require.NoError(tb, err)
		defer srv2.Shutdown()
		sess, err := srv2.session(ctx, c.ID)
		require.NoError(tb, err)
		st, err := srv2.hostStatus(ctx, sess)
		require.NoError(tb, err)
		require.Equal(tb, people*len(p.Questions), st.Answers, "the second server sees every answer")
		require.Len(tb, st.Participants, people)
	}
	return out
}

// TestClassAtOnceMatchesGrade is the load test's correctness half, small
// enough for every go test run: 30 participants answer 5 questions each at
// once with varied answers; no answer is lost, and the host's results are
// exactly what grade makes of the same answers (no timing is asserted).
func TestClassAtOnceMatchesGrade(t *testing.T) {
	run := runClass(t, filepath.Join(t.TempDir(), "progress.db"), 30, 5, false, func(i, q int) int { return (i*7 + q*3) % 3 })
	assertMatchesGrade(t, run)
}

func assertMatchesGrade(t *testing.T, run class) {
	var served map[string]any
	require.NoError(t, json.Unmarshal(run.res, &served))
	// The server lists people in the order they joined (two joins in the
	// same millisecond in either order): write the sheet's rows in its
	// order, as a host exporting the answers would.
	lines := strings.Split(strings.TrimSuffix(run.sheet, "\n"), "\n")
	byName := map[string]string{}
	for _, l := range lines[1:] {
		name, _, _ := strings.Cut(l, ",")
		byName[name] = l
	}
	sheet := []string{lines[0]}
	for _, s := range served["sheets"].([]any) {
		sheet = append(sheet, byName[s.(map[string]any)["student"].(string)])
	}
	require.Len(t, sheet, len(lines), "the results have a sheet for everyone")
	assertGradeGives(t, run.pack, strings.Join(sheet, "\n")+"\n", served)
}

// assertGradeGives checks that grade makes exactly served (the host's
// results) of the CSV sheet csv on pack, the rules serve's tests use.
func assertGradeGives(t *testing.T, pack *quiz.Pack, csv string, served map[string]any) {
	ins, probs := grade.ReadCSV("class.csv", []byte(csv), ',')
	require.Empty(t, probs)
	rep := grade.Grade(pack, ins, probs, grade.Options{Rules: quiz.Rules{Multi: quiz.Partial, HintPenalty: -1}, Pass: grade.DefaultPass})
	var b bytes.Buffer
	require.NoError(t, rep.Write(&b, grade.JSON, grade.WriteOptions{}))
	var want map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &want))
	for _, m := range []map[string]any{served, want} {
		for _, s := range m["sheets"].([]any) {
			delete(s.(map[string]any), "source")
		}
		delete(m, "title")
	}
	assert.Equal(t, want["sheets"], served["sheets"])
	assert.Equal(t, want["summary"], served["summary"])
	assert.Equal(t, want["items"], served["items"])
	assert.Equal(t, want["histogram"], served["histogram"])
	assert.Equal(t, want, served)
}

// rawClient is one participant's keep-alive HTTP/1.1 connection. The
// load generator shares the server's two cores, so it is kept lean: one
// goroutine per participant writing each request whole and reading the
// response's status, Content-Length and body, where http.Client adds a
// reader and a writer goroutine per connection and parses every header (a
// third of a run's CPU was the client's). Real participants' browsers run
// on their own machines; here the clients' CPU is still spent on the
// server's two cores, and counted in cpu-us/answer. An answer's latency is measured from the moment its request
// is written to the moment its whole response has been read.
type rawClient struct {
	net.Conn
	br   *bufio.Reader
	host string
	req  []byte
}

func dialRaw(addr string) (*rawClient, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &rawClient{Conn: c, br: bufio.NewReader(c), host: addr}, nil
}

// do sends one request and reads its response: the status, the body and
// the time from the write to the end of the body.
func (rc *rawClient) do(method, path, tok string, body []byte) (int, []byte, time.Duration, error) {
	r := append(rc.req[:0], method+" "+path+" HTTP/1.1\r\nHost: "+rc.host+"\r\n"...)
	if tok != "" {
		r = append(r, "Authorization: Bearer "+tok+"\r\n"...)
	}
	if body != nil {
		r = append(r, "Content-Type: application/json\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n"...)
	}
	r = append(append(r, "\r\n"...), body...)
	rc.req = r
	t0 := time.Now()
	if _, err := rc.Write(r); err != nil {
		return 0, nil, 0, err
	}
	code, b, err := rc.readResponse()
	return code, b, time.Since(t0), err
}

// readResponse reads a response the API writes: a status line, headers
// with Content-Length (writeJSON always sets it; chunked is read too), the
// body.
func (rc *rawClient) readResponse() (int, []byte, error) {
	line, err := rc.br.ReadSlice('\n')
	if err != nil {
		return 0, nil, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, nil, fmt.Errorf("not an HTTP/1.1 status line: %q", line)
	}
	code, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, nil, fmt.Errorf("status line %q: %w", line, err)
	}
	n, chunked := -1, false
	for {
		line, err := rc.br.ReadSlice('\n')
		if err != nil {
			return 0, nil, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			break
		}
		k, v, _ := bytes.Cut(line, []byte(":"))
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			if n, err = strconv.Atoi(string(v)); err != nil {
				return 0, nil, fmt.Errorf("content-length %q: %w", v, err)
			}
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(v, []byte("chunked"))
		}
	}
	if n < 0 {
		if !chunked {
			return 0, nil, fmt.Errorf("status %d: neither Content-Length nor chunked", code)
		}
		b, err := io.ReadAll(httputil.NewChunkedReader(rc.br))
		if err == nil {
			_, err = rc.br.Discard(2) // the CRLF after the last chunk (no trailers)
		}
		return code, b, err
	}
	b := make([]byte, n)
	_, err = io.ReadFull(rc.br, b)
	return code, b, err
}

// hostWatch follows the host page's live stream (SSE).
type hostWatch struct {
	cancel  context.CancelFunc
	answers chan int // the answer count of every update
}

func watchHost(tb testing.TB, url, tok string) *hostWatch {
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(tb, err)
	require.Equal(tb, http.StatusOK, resp.StatusCode)
	h := &hostWatch{cancel: cancel, answers: make(chan int, 1)}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 8<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var st struct{ Answers int }
			if json.Unmarshal([]byte(data), &st) != nil {
				continue
			}
			select { // keep only the latest count
			case <-h.answers:
			default:
			}
			h.answers <- st.Answers
		}
	}()
	return h
}

// waitFor returns the stream's count once it reaches n, or the last count
// seen when the stream has been silent for 10 s.
func (h *hostWatch) waitFor(n int) int {
	last := -1
	for {
		select {
		case got := <-h.answers:
			if last = got; got >= n {
				return got
			}
		case <-time.After(10 * time.Second):
			return last
		}
	}
}

func (h *hostWatch) stop() { h.cancel() }

// cpuTime is the CPU time (user+sys) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportLatency(b *testing.B, runs []class) {
	var lat []time.Duration
	var wall, cpu time.Duration
	for _, r := range runs {
		lat = append(lat, r.lat...)
		wall += r.wall
		cpu += r.cpu
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/float64(time.Millisecond), "max-ms")
	b.ReportMetric(float64(len(lat)), "answers")
	// The answer phase: answers per second, and CPU per answer (the
	// server's and the clients', who share the machine).
	b.ReportMetric(float64(len(lat))/wall.Seconds(), "answers/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(len(lat)), "cpu-us/answer")
}

// BenchmarkClass200x20SQLite: 200 participants answer 20 questions each at
// once over loopback, every answer committed to SQLite before its response.
// go test ./internal/serve -run '^$' -bench Class -benchtime 1x
func BenchmarkClass200x20SQLite(b *testing.B) {
	var runs []class
	for range b.N {
		runs = append(runs, runClass(b, filepath.Join(b.TempDir(), "progress.db"), 200, 20, false, nil))
	}
	reportLatency(b, runs)
}

// BenchmarkClass200x20Postgres is the same on PostgreSQL; afterwards a
// second server on the same database sees every answer.
func BenchmarkClass200x20Postgres(b *testing.B) {
	dsn := pgtest.DSN(b)
	var runs []class
	for range b.N {
		runs = append(runs, runClass(b, dsn, 200, 20, true, nil))
	}
	reportLatency(b, runs)
}
