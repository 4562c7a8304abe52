package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pyquiz/pyquiz/internal/jsonout"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/quiz"
)

// maxBody caps every request body: an answer is a line of text.
const maxBody = 64 << 10

func (s *Server) routes() {
	m := http.NewServeMux()
	api := "/api/v1/sessions/{id}/"
	m.HandleFunc("POST "+api+"join", s.apiSession(s.apiJoin))
	m.HandleFunc("GET "+api+"questions", s.apiSession(s.apiQuestions))
	m.HandleFunc("POST "+api+"answers", s.apiSession(s.apiAnswer))
	m.HandleFunc("GET "+api+"answers", s.apiSession(s.apiOwnAnswers))
	m.HandleFunc("POST "+api+"hints", s.apiSession(s.apiHint))
	m.HandleFunc("GET "+api+"results", s.apiSession(s.apiResults))
	m.HandleFunc("POST "+api+"close", s.apiSession(s.apiClose))
	m.HandleFunc("GET "+api+"status", s.apiSession(s.apiStatus))
	m.HandleFunc("GET "+api+"events", s.apiSession(func(w http.ResponseWriter, r *http.Request, c *session) error {
		if _, err := s.asHost(r, c); err != nil {
			return err
		}
		s.events(w, r, c)
		return nil
	}))
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, fail(http.StatusNotFound, "no such API call: %s %s", r.Method, r.URL.Path))
	})
	s.pageRoutes(m)
	s.mux = m
}

// withSession wraps a handler of session {id}: the security headers set,
// the body capped, the session read; an error, with the session when it
// was read, goes to failed.
func (s *Server) withSession(h func(http.ResponseWriter, *http.Request, *session) error, failed func(http.ResponseWriter, *session, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secure(w)
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		c, err := s.session(r.Context(), r.PathValue("id"))
		if err == nil {
			err = h(w, r, c)
		}
		if err != nil {
			failed(w, c, err)
		}
	}
}

// apiSession wraps a JSON handler: an error becomes {"error": "..."} with
// its status code.
func (s *Server) apiSession(h func(http.ResponseWriter, *http.Request, *session) error) http.HandlerFunc {
	return s.withSession(h, func(w http.ResponseWriter, _ *session, err error) { writeJSONError(w, err) })
}

// secure sets the headers every response carries: no inline script or
// style, no framing, no referrer (the host URL holds a token).
func secure(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}

// statusOfError maps an error to an HTTP status and a message safe to show.
func statusOfError(err error) (int, string) {
	var he *httpError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return he.code, he.msg
	case errors.As(err, &mb):
		return http.StatusRequestEntityTooLarge, "the request is too large"
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "no such session"
	case errors.Is(err, ErrUnknownQuestion):
		return http.StatusInternalServerError, err.Error()
	case errors.Is(err, context.Canceled):
		return 499, "request cancelled"
	}
	log.Printf("pyquiz serve: %v", err)
	return http.StatusInternalServerError, "internal error (see the server's log)"
}

func writeJSONError(w http.ResponseWriter, err error) {
	code, msg := statusOfError(err)
	writeJSON(w, code, map[string]string{"error": msg})
}

// jsonBufs are writeJSON's buffers, reused: a class answering at once
// encodes thousands of responses a second.
var jsonBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func writeJSON(w http.ResponseWriter, code int, v any) {
	// As every --json output: C0 and C1 controls and DEL escaped, so that a
	// participant's string printed by a script on a terminal stays text.
	buf := jsonBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 64<<10 { // a results download is not kept
			buf.Reset()
			jsonBufs.Put(buf)
		}
	}()
	buf.Reset()
	if err := jsonout.Write(buf, v); err != nil {
		log.Printf("pyquiz serve: encode a response: %v", err)
		code, buf = http.StatusInternalServerError, bytes.NewBufferString(`{"error": "internal error (see the server's log)"}`+"\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// readJSON decodes a JSON body into v, refusing unknown fields and junk.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return fail(http.StatusBadRequest, "the body is not the JSON this call takes: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail(http.StatusBadRequest, "the body holds more than one JSON value")
	}
	return nil
}

func (s *Server) apiJoin(w http.ResponseWriter, r *http.Request, c *session) error {
	if !s.limit.allow(r) {
		w.Header().Set("Retry-After", "5")
		return fail(http.StatusTooManyRequests, "too many joins from your address; try again in a few seconds")
	}
	var body struct {
		Name string `json:"name"`
	}
	if err := readJSON(r, &body); err != nil {
		return err
	}
	p, tok, err := s.join(r.Context(), c, body.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"participant": p.ID, "token": tok})
	return nil
}

type choiceJSON struct {
	Letter string `json:"letter"`
	Text   string `json:"text"`
}

type questionJSON struct {
	ID      string       `json:"id"`
	Number  int          `json:"number"`
	Type    quiz.Type    `json:"type"`
	Prompt  string       `json:"prompt"`
	Code    string       `json:"code,omitempty"`
	Python  string       `json:"python,omitempty"` // the version an output question asks about
	Points  float64      `json:"points"`
	Choices []choiceJSON `json:"choices,omitempty"`
	Status  string       `json:"status"` // open, answered, skipped, timeout
	// Hints is how many hints the question has (study mode; an exam shows
	// none), Shown the ones this participant has taken.
	Hints int      `json:"hints"`
	Shown []string `json:"hints_shown,omitempty"`
}

// choices lists an item's choices with the letters this participant sees.
func choices(it *quiz.Item) []choiceJSON {
	out := make([]choiceJSON, len(it.Order))
	for i, c := range it.Order {
		out[i] = choiceJSON{Letter: quiz.Letter(i), Text: it.Question.Choices[c]}
	}
	return out
}

func questionOf(it *quiz.Item, n int, g progress, mode quiz.Mode) questionJSON {
	q := it.Question
	j := questionJSON{ID: q.FullID(), Number: n, Type: q.Type, Prompt: render.PromptText(it), Code: q.Code, Points: q.Points, Choices: choices(it), Status: "open"}
	if mode == quiz.Study {
		j.Hints = len(q.Hints)
		j.Shown = q.Hints[:min(g.hints[q.FullID()], len(q.Hints))]
	}
	if it.VersionShown {
		j.Python = it.Version.String()
	}
	if a, ok := g.answers[q.FullID()]; ok {
		j.Status = a.Status
	}
	return j
}

func (s *Server) apiQuestions(w http.ResponseWriter, r *http.Request, c *session) error {
	p, _, err := s.asParticipant(r, c)
	if err != nil {
		return err
	}
	g, err := s.progress(r.Context(), c, p)
	if err != nil {
		return err
	}
	out := struct {
		Session     string         `json:"session"`
		Title       string         `json:"title"`
		Mode        quiz.Mode      `json:"mode"`
		Participant string         `json:"participant"`
		Name        string         `json:"name"`
		Closed      bool           `json:"closed"`
		Next        string         `json:"next,omitempty"`
		Deadline    string         `json:"deadline,omitempty"`
		Questions   []questionJSON `json:"questions"`
	}{Session: c.rec.ID, Title: c.set.Title, Mode: c.set.Mode, Participant: p.ID, Name: p.Name, Closed: g.closed, Questions: []questionJSON{}}
	if !g.over() {
		out.Next = g.current.Question.FullID()
		if end := g.end(); !end.IsZero() {
			out.Deadline = end.UTC().Format(time.RFC3339Nano)
		}
	}
	for i, it := range p.qs.Items {
		out.Questions = append(out.Questions, questionOf(it, i+1, g, c.set.Mode))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// verdict is what a participant learns about an answer in study mode (and
// in exam mode once the session is closed).
type verdict struct {
	Recorded    bool     `json:"recorded"`
	Question    string   `json:"question"`
	Status      string   `json:"status"`
	Correct     bool     `json:"correct"`
	Points      float64  `json:"points"`
	Max         float64  `json:"max"`
	Given       string   `json:"given"`  // as this participant saw it: "b) __new__"
	Answer      string   `json:"answer"` // the key, in the same letters
	Feedback    []string `json:"feedback,omitempty"`
	Explanation string   `json:"explanation,omitempty"`
	Hints       int      `json:"hints,omitempty"` // hints taken; each lowered the points
}

func verdictOf(rec quiz.Record) verdict {
	it := rec.Item
	v := verdict{Recorded: true, Question: it.Question.FullID(), Status: rec.Status(), Correct: rec.Correct,
		Points: round2(rec.Points), Max: round2(rec.Max), Given: render.AnswerText(it.Question, rec), Answer: render.KeyText(it),
		Explanation: strings.TrimSpace(it.Question.Explanation), Hints: rec.Hints}
	if rec.Answered && !rec.Correct {
		for _, f := range quiz.FeedbackFor(it.Question, it.Key, rec.Response) {
			v.Feedback = append(v.Feedback, strings.TrimSpace(f))
		}
	}
	return v
}

func round2(x float64) float64 {
	x = math.Round(x*100) / 100
	if x == 0 {
		return 0
	}
	return x
}

func (s *Server) apiAnswer(w http.ResponseWriter, r *http.Request, c *session) error {
	p, _, err := s.asParticipant(r, c)
	if err != nil {
		return err
	}
	var sub submission
	if err := readJSON(r, &sub); err != nil {
		return err
	}
	rec, err := s.answer(r.Context(), c, p, sub)
	if err != nil {
		return err
	}
	if c.set.Mode == quiz.Exam {
		writeJSON(w, http.StatusOK, map[string]any{"recorded": true, "question": sub.Question})
		return nil
	}
	writeJSON(w, http.StatusOK, verdictOf(rec))
	return nil
}

func (s *Server) apiHint(w http.ResponseWriter, r *http.Request, c *session) error {
	p, _, err := s.asParticipant(r, c)
	if err != nil {
		return err
	}
	var body struct {
		Question string `json:"question"`
	}
	if err := readJSON(r, &body); err != nil {
		return err
	}
	h, err := s.hint(r.Context(), c, p, body.Question)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

// apiOwnAnswers lists the caller's own answers: what was given, and the
// verdicts where the mode allows them (study mode, or once closed).
func (s *Server) apiOwnAnswers(w http.ResponseWriter, r *http.Request, c *session) error {
	p, _, err := s.asParticipant(r, c)
	if err != nil {
		return err
	}
	g, err := s.progress(r.Context(), c, p)
	if err != nil {
		return err
	}
	show := c.set.Mode == quiz.Study || g.closed
	out := []any{}
	for _, it := range p.qs.Items {
		a, ok := g.answers[it.Question.FullID()]
		if !ok {
			continue
		}
		rec := record(it, a)
		if show {
			out = append(out, verdictOf(rec))
		} else {
			out = append(out, map[string]any{"question": a.Question, "status": a.Status, "given": render.AnswerText(it.Question, rec)})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"answers": out})
	return nil
}

func (s *Server) apiResults(w http.ResponseWriter, r *http.Request, c *session) error {
	if _, err := s.asHost(r, c); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	return s.writeResults(r.Context(), w, c, "json")
}

func (s *Server) closeSession(ctx context.Context, c *session) error {
	at := s.now()
	if err := s.opts.Store.CloseSession(ctx, c.rec.ID, at); err != nil {
		return err
	}
	c.markClosed(at)
	s.notify(c.rec.ID)
	return nil
}

func (s *Server) apiClose(w http.ResponseWriter, r *http.Request, c *session) error {
	if _, err := s.asHost(r, c); err != nil {
		return err
	}
	if err := s.closeSession(r.Context(), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"closed": true})
	return nil
}

// hostRow is one participant on the host page.
type hostRow struct {
	Name     string   `json:"name"`
	Answered int      `json:"answered"`
	Correct  int      `json:"correct"`
	Points   float64  `json:"points"`
	Max      float64  `json:"max"`
	Marks    []string `json:"marks"` // per question in the session's order: right, partial, wrong, skipped, timeout or ""
}

type hostStatus struct {
	Session      string    `json:"session"`
	Title        string    `json:"title"`
	Mode         quiz.Mode `json:"mode"`
	Closed       bool      `json:"closed"`
	Questions    []string  `json:"questions"`
	Answers      int       `json:"answers"`
	Participants []hostRow `json:"participants"`
}

func mark(a store.ServeAnswer) string {
	switch {
	case a.Status != "answered":
		return a.Status
	case a.Correct:
		return "right"
	case a.Points > 0:
		return "partial"
	}
	return "wrong"
}

func (s *Server) hostStatus(ctx context.Context, c *session) (hostStatus, error) {
	st := hostStatus{Session: c.rec.ID, Title: c.set.Title, Mode: c.set.Mode, Questions: c.rec.Questions, Participants: []hostRow{}}
	// row adds a participant's row from their answers by question.
	row := func(p *participant, answers map[string]store.ServeAnswer) {
		r := hostRow{Name: p.Name, Marks: make([]string, len(c.qs))}
		for qi, q := range c.qs {
			a, ok := answers[q.FullID()]
			if !ok {
				continue
			}
			st.Answers++
			r.Marks[qi] = mark(a)
			if a.Status == "answered" {
				r.Answered++
			}
			if a.Correct {
				r.Correct++
			}
			r.Points = round2(r.Points + a.Points)
			r.Max = round2(r.Max + a.Max)
		}
		st.Participants = append(st.Participants, r)
	}
	if !s.shared {
		// Read memory in place, under the lock every answer takes briefly:
		// this runs up to four times a second per open host page while a
		// class answers, and copying every answer first held the lock
		// (and every answer behind it) several times as long.
		c.mu.Lock()
		defer c.mu.Unlock()
		st.Closed = !c.closed.IsZero()
		for _, p := range c.joinOrder() {
			row(p, p.answers)
		}
		return st, nil
	}
	ps, rows, closed, err := s.snapshot(ctx, c)
	if err != nil {
		return hostStatus{}, err
	}
	st.Closed = !closed.IsZero()
	by := map[string]map[string]store.ServeAnswer{}
	for _, a := range rows {
		if by[a.Participant] == nil {
			by[a.Participant] = map[string]store.ServeAnswer{}
		}
		by[a.Participant][a.Question] = a
	}
	for _, p := range ps {
		row(p, by[p.ID])
	}
	return st, nil
}

func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request, c *session) error {
	if _, err := s.asHost(r, c); err != nil {
		return err
	}
	st, err := s.hostStatus(r.Context(), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}
