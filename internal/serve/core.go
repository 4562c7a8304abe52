package serve

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/quiz"
)

// httpError is a refusal with its status code and a one-line reason.
type httpError struct {
	code int
	msg  string
}

func (e *httpError) Error() string { return e.msg }

func fail(code int, format string, args ...any) error {
	return &httpError{code, fmt.Sprintf(format, args...)}
}

// participant is a joined participant with their view of the session.
type participant struct {
	store.ServeParticipant
	qs   *quiz.Session // the items in this participant's order; its Records stay empty
	item map[string]*quiz.Item
	num  map[string]int // full id -> 1-based number in this participant's order

	// mu lets one request at a time change this participant's answers, so
	// that what memory holds is what the database committed.
	mu sync.Mutex
	// answers and hints, guarded by the session's mu: every committed
	// answer and hint count. On a shared store (PostgreSQL) they are what
	// this server last read or wrote (loaded tells whether it has), and
	// other servers may have added to them since: pages read the database
	// again; an answer is scored on memory and its insert refused when
	// memory was behind (answered already, or more hints shown), after
	// which memory is read again (reload).
	answers map[string]store.ServeAnswer
	hints   map[string]int
	loaded  bool
}

func (s *Server) participant(c *session, p store.ServeParticipant) *participant {
	pp := &participant{ServeParticipant: p, qs: c.quizSession(p, s.opts.Packs), item: map[string]*quiz.Item{}, num: map[string]int{}}
	for i, it := range pp.qs.Items {
		pp.item[it.Question.FullID()] = it
		pp.num[it.Question.FullID()] = i + 1
	}
	return pp
}

// maxName is the longest name a participant may give, in characters.
const maxName = 60

// cleanName trims a name and refuses blank, over-long or control-laden ones.
func cleanName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		return "", fail(http.StatusBadRequest, "give a name")
	case !utf8.ValidString(name):
		return "", fail(http.StatusBadRequest, "the name is not valid UTF-8")
	case utf8.RuneCountInString(name) > maxName:
		return "", fail(http.StatusBadRequest, "the name is longer than %d characters", maxName)
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			return "", fail(http.StatusBadRequest, "the name holds a control character")
		}
	}
	return name, nil
}

// join adds a participant and returns them with their token.
func (s *Server) join(ctx context.Context, c *session, name string) (*participant, string, error) {
	name, err := cleanName(name)
	if err != nil {
		return nil, "", err
	}
	seed := c.set.Seed
	if !c.set.SeedSet {
		seed = randomSeed()
	}
	tok := randomID(24)
	p := store.ServeParticipant{ID: randomID(8), Session: c.rec.ID, Name: name, TokenHash: hashToken(tok), Seed: seed, Joined: s.now()}
	switch err := s.opts.Store.AddParticipant(ctx, p); {
	case errors.Is(err, store.ErrClosed):
		return nil, "", fail(http.StatusConflict, "the session is closed")
	case errors.Is(err, store.ErrDuplicate):
		return nil, "", fail(http.StatusConflict, "someone has already joined as %q; add an initial", name)
	case err != nil:
		return nil, "", err
	}
	pp := s.participant(c, p)
	pp.answers, pp.hints, pp.loaded = map[string]store.ServeAnswer{}, map[string]int{}, true // they have just joined
	s.notify(c.rec.ID)
	return c.add(pp, true), tok, nil
}

func randomSeed() uint64 {
	var x uint64
	for _, r := range randomID(8) {
		x = x*31 + uint64(r)
	}
	return x % 1_000_000_000
}

// notify announces a change; a lost notification only delays the host
// page. On a shared store it is a round trip to the database (NOTIFY),
// which the answer's response need not wait for: the answer is committed.
//
// A class answering at once would send a NOTIFY per answer, each a round
// trip and a wake-up of every server's host pages: while one is on its way
// the changes after it are gathered into one more, sent when it returns, so
// every change is still followed by a NOTIFY.
func (s *Server) notify(session string) {
	if !s.shared {
		_ = s.opts.Store.Notify(context.Background(), session)
		return
	}
	s.nmu.Lock()
	defer s.nmu.Unlock()
	if _, sending := s.notifying[session]; sending {
		s.notifying[session] = true // one more when this one is sent
		return
	}
	s.notifying[session] = false
	go func() {
		for {
			_ = s.opts.Store.Notify(context.Background(), session)
			s.nmu.Lock()
			if again := s.notifying[session]; again {
				s.notifying[session] = false
				s.nmu.Unlock()
				continue
			}
			delete(s.notifying, session)
			s.nmu.Unlock()
			return
		}
	}()
}

// progress is where a participant stands.
type progress struct {
	answers  map[string]store.ServeAnswer
	hints    map[string]int // hints shown per question not yet answered
	current  *quiz.Item     // first unanswered in the participant's order; nil when all are
	number   int            // its 1-based number
	started  time.Time      // when the current question's clock started
	deadline time.Time      // the participant's time limit (zero: none)
	qEnd     time.Time      // the current question's time limit (zero: none)
	closed   bool
	timeUp   bool
}

// over reports whether the participant can answer nothing more.
func (g progress) over() bool { return g.current == nil || g.closed || g.timeUp }

// end is the earlier of the two deadlines that apply now.
func (g progress) end() time.Time {
	switch {
	case g.qEnd.IsZero():
		return g.deadline
	case g.deadline.IsZero() || g.qEnd.Before(g.deadline):
		return g.qEnd
	}
	return g.deadline
}

// progress is where p stands now (see progressLocked), read afresh from a
// shared store.
func (s *Server) progress(ctx context.Context, c *session, p *participant) (progress, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return s.progressLocked(ctx, c, p, true)
}

// answersOf returns copies of p's answers and hints and when the session
// closed (zero: open), from memory; on a shared store from the database
// when fresh or not read yet.
func (s *Server) answersOf(ctx context.Context, c *session, p *participant, fresh bool) (map[string]store.ServeAnswer, map[string]int, time.Time, error) {
	if !s.shared || !fresh {
		c.mu.Lock()
		if p.loaded {
			defer c.mu.Unlock()
			return maps.Clone(p.answers), maps.Clone(p.hints), c.closed, nil
		}
		c.mu.Unlock()
	}
	return s.reload(ctx, c, p)
}

// reload reads p's answers and hints and the session's closed time from
// the database into memory and returns copies.
func (s *Server) reload(ctx context.Context, c *session, p *participant) (map[string]store.ServeAnswer, map[string]int, time.Time, error) {
	rows, hs, closed, err := s.opts.Store.ParticipantState(ctx, c.rec.ID, p.ID)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	out := make(map[string]store.ServeAnswer, len(rows))
	for _, a := range rows {
		out[a.Question] = a
	}
	hints := make(map[string]int, len(hs))
	for _, h := range hs {
		hints[h.Question] = h.Hints
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p.answers, p.hints, p.loaded = maps.Clone(out), maps.Clone(hints), true
	if c.closed.IsZero() {
		c.closed = closed
	}
	return out, hints, c.closed, nil
}

// recordAnswer commits a and then keeps it in memory. p.mu is held. When
// the database refuses it because memory was behind (ErrDuplicate,
// ErrStale), memory is read again.
func (s *Server) recordAnswer(ctx context.Context, c *session, p *participant, a store.ServeAnswer) error {
	err := s.opts.Store.RecordAnswer(ctx, a)
	switch {
	case err == nil:
		c.mu.Lock()
		if p.answers != nil {
			p.answers[a.Question] = a
		}
		c.mu.Unlock()
		s.notify(c.rec.ID)
	case errors.Is(err, store.ErrClosed):
		c.markClosed(s.now()) // closed by another process on the same database
	case errors.Is(err, store.ErrDuplicate), errors.Is(err, store.ErrStale):
		if _, _, _, rerr := s.reload(ctx, c, p); rerr != nil {
			return rerr
		}
	}
	return err
}

// progressLocked reads p's answers; p.mu is held. With --question-time the
// server keeps the clock: every question whose time ran out before it was
// answered is recorded as timed out now, at the moment its time ran out,
// and the next question's clock starts then.
func (s *Server) progressLocked(ctx context.Context, c *session, p *participant, fresh bool) (progress, error) {
	answers, hints, closed, err := s.answersOf(ctx, c, p, fresh)
	if err != nil {
		return progress{}, err
	}
	g := progress{answers: answers, hints: hints, closed: !closed.IsZero()}
	g.started = p.Joined
	for _, a := range answers {
		if a.At.After(g.started) {
			g.started = a.At
		}
	}
	now := s.now()
	if c.set.TimeLimit > 0 {
		g.deadline = p.Joined.Add(c.set.TimeLimit)
		g.timeUp = !now.Before(g.deadline)
	}
	for {
		g.current, g.number, g.qEnd = nil, 0, time.Time{}
		for i, it := range p.qs.Items {
			if _, done := g.answers[it.Question.FullID()]; !done {
				g.current, g.number = it, i+1
				break
			}
		}
		if g.current == nil || g.closed || c.set.QuestionTime <= 0 {
			return g, nil
		}
		g.qEnd = g.started.Add(c.set.QuestionTime)
		if now.Before(g.qEnd) || !g.deadline.IsZero() && !g.qEnd.Before(g.deadline) {
			return g, nil
		}
		a := store.ServeAnswer{Session: c.rec.ID, Participant: p.ID, Question: g.current.Question.FullID(), Status: "timeout",
			Max: g.current.Question.Points, Seconds: c.set.QuestionTime.Seconds(), At: g.qEnd, Hints: g.hints[g.current.Question.FullID()]}
		switch err := s.recordAnswer(ctx, c, p, a); {
		case errors.Is(err, store.ErrClosed):
			g.closed = true
			return g, nil
		case errors.Is(err, store.ErrDuplicate), errors.Is(err, store.ErrStale):
			// Another server recorded it first, or showed a hint:
			// memory has been read again; start over from it.
			return s.progressLocked(ctx, c, p, false)
		case err != nil:
			return g, err
		}
		g.answers[a.Question] = a
		g.started = g.qEnd
	}
}

// shownHint is one hint as a participant is shown it.
type shownHint struct {
	Question string  `json:"question"`
	Number   int     `json:"number"` // 1-based
	Total    int     `json:"total"`
	Hint     string  `json:"hint"`
	Cost     float64 `json:"cost"`  // the share of the question's points this hint took
	Worth    float64 `json:"worth"` // the points a right answer now earns
}

// hint shows p the next hint of question qid and records it first, so the
// hint's cost outlives a restart. Hints are study mode's, as in play; their
// cost is quiz's hint penalty (the pack's), the rule play uses.
func (s *Server) hint(ctx context.Context, c *session, p *participant, qid string) (shownHint, error) {
	if c.set.Mode != quiz.Study {
		return shownHint{}, fail(http.StatusForbidden, "hints are for study mode; an exam has none")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	g, err := s.progressLocked(ctx, c, p, false)
	if err != nil {
		return shownHint{}, err
	}
	it := p.item[qid]
	switch {
	case g.closed:
		return shownHint{}, fail(http.StatusConflict, "the session is closed")
	case g.timeUp:
		return shownHint{}, fail(http.StatusConflict, "your time is up")
	case it == nil:
		return shownHint{}, fail(http.StatusNotFound, "this session has no question %q", qid)
	}
	if _, done := g.answers[qid]; done {
		return shownHint{}, fail(http.StatusConflict, "this question is already answered")
	}
	if c.set.QuestionTime > 0 && it != g.current {
		return shownHint{}, fail(http.StatusConflict, "answer question %d first: with a time per question, questions come in order", g.number)
	}
	n, total := g.hints[qid], len(it.Question.Hints)
	switch {
	case total == 0:
		return shownHint{}, fail(http.StatusNotFound, "this question has no hints")
	case n >= total:
		return shownHint{}, fail(http.StatusConflict, "no more hints for this question (%d shown)", n)
	}
	switch err := s.opts.Store.TakeHint(ctx, c.rec.ID, p.ID, qid, n+1); {
	case errors.Is(err, store.ErrClosed):
		c.markClosed(s.now())
		return shownHint{}, fail(http.StatusConflict, "the session is closed")
	case errors.Is(err, store.ErrDuplicate):
		s.reload(ctx, c, p) // answered on another server
		return shownHint{}, fail(http.StatusConflict, "this question is already answered")
	case err != nil:
		return shownHint{}, err
	}
	if p.hints != nil {
		c.mu.Lock()
		p.hints[qid] = n + 1
		c.mu.Unlock()
	}
	pack := s.opts.Packs[it.Question.PackID]
	before, after := quiz.HintFactor(pack, n, c.rules), quiz.HintFactor(pack, n+1, c.rules)
	return shownHint{Question: qid, Number: n + 1, Total: total, Hint: it.Question.Hints[n],
		Cost: round2(before - after), Worth: round2(it.Question.Points * after)}, nil
}

// submission is one answer as sent by a page or a script.
type submission struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Skip     bool   `json:"skip,omitempty"`
}

// maxAnswer is the longest answer text accepted, in bytes.
const maxAnswer = 8 << 10

// answer scores and commits one answer and returns its record. On a
// shared store memory may be behind another server's hints: the insert is
// then refused and the answer scored again on what the database holds.
func (s *Server) answer(ctx context.Context, c *session, p *participant, sub submission) (quiz.Record, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for range 3 {
		rec, err := s.answerLocked(ctx, c, p, sub)
		if !errors.Is(err, store.ErrStale) {
			return rec, err
		}
	}
	return quiz.Record{}, fail(http.StatusConflict, "the answer's hints changed while it was recorded; send it again")
}

func (s *Server) answerLocked(ctx context.Context, c *session, p *participant, sub submission) (quiz.Record, error) {
	g, err := s.progressLocked(ctx, c, p, false)
	if err != nil {
		return quiz.Record{}, err
	}
	it := p.item[sub.Question]
	switch {
	case g.closed:
		return quiz.Record{}, fail(http.StatusConflict, "the session is closed")
	case g.timeUp:
		return quiz.Record{}, fail(http.StatusConflict, "your time is up")
	case it == nil:
		return quiz.Record{}, fail(http.StatusNotFound, "this session has no question %q", sub.Question)
	case len(sub.Answer) > maxAnswer:
		return quiz.Record{}, fail(http.StatusRequestEntityTooLarge, "the answer is longer than %d bytes", maxAnswer)
	}
	if prev, done := g.answers[sub.Question]; done {
		if prev.Status == "timeout" {
			return quiz.Record{}, fail(http.StatusConflict, "time ran out for this question")
		}
		return quiz.Record{}, fail(http.StatusConflict, "this question is already answered")
	}
	if c.set.QuestionTime > 0 && it != g.current {
		return quiz.Record{}, fail(http.StatusConflict, "answer question %d first: with a time per question, questions come in order", g.number)
	}
	d := s.now().Sub(g.started)
	hints := g.hints[sub.Question]
	var rec quiz.Record
	if sub.Skip {
		rec = quiz.Record{Item: it, Skipped: true, Max: it.Question.Points, Duration: d, Hints: hints}
	} else {
		resp, err := quiz.ParseResponse(it.Question, sub.Answer, it.Order)
		if err != nil {
			return quiz.Record{}, fail(http.StatusBadRequest, "%s", err.Error())
		}
		rules := c.rules
		if c.set.Mode != quiz.Exam {
			rules.Penalty = 0 // negative marking is for exams only, as in play
		}
		rec = quiz.Mark(it, s.opts.Packs[it.Question.PackID], resp, hints, rules)
		rec.Duration = d
	}
	a := store.ServeAnswer{Session: c.rec.ID, Participant: p.ID, Question: sub.Question, Given: rec.Given, Status: rec.Status(),
		Correct: rec.Correct, Points: rec.Points, Max: rec.Max, Seconds: d.Seconds(), At: s.now(), Hints: hints}
	switch err := s.recordAnswer(ctx, c, p, a); {
	case errors.Is(err, store.ErrClosed):
		return quiz.Record{}, fail(http.StatusConflict, "the session is closed")
	case errors.Is(err, store.ErrDuplicate):
		return quiz.Record{}, fail(http.StatusConflict, "this question is already answered")
	case err != nil:
		return quiz.Record{}, err // ErrStale as it is: answer scores again
	}
	return rec, nil
}

// record turns a stored answer back into the record quiz scored.
func record(it *quiz.Item, a store.ServeAnswer) quiz.Record {
	r := quiz.Record{Item: it, Given: a.Given, Correct: a.Correct, Points: a.Points, Max: a.Max, Hints: a.Hints, Duration: time.Duration(a.Seconds * float64(time.Second))}
	switch a.Status {
	case "answered":
		r.Answered = true
		// Given is canonical, so it parses with the pack's own order.
		r.Response, _ = quiz.ParseResponse(it.Question, a.Given, nil)
		if it.Question.Type == quiz.Output || it.Question.Type == quiz.Short {
			r.Response = quiz.Response{Text: a.Given}
		}
	case "skipped":
		r.Skipped = true
	case "timeout":
		r.TimedOut = true
	}
	return r
}

// snapshot is the whole session as the host sees it: the participants
// in the order they joined, every answer, and when it closed.
func (s *Server) snapshot(ctx context.Context, c *session) ([]*participant, []store.ServeAnswer, time.Time, error) {
	if !s.shared {
		c.mu.Lock()
		defer c.mu.Unlock()
		ps := c.joinOrder()
		n := 0
		for _, p := range ps {
			n += len(p.answers)
		}
		rows := make([]store.ServeAnswer, 0, n)
		for _, p := range ps {
			for _, a := range p.answers {
				rows = append(rows, a)
			}
		}
		return ps, rows, c.closed, nil
	}
	closed, err := s.closedAt(ctx, c)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	sps, err := s.opts.Store.Participants(ctx, c.rec.ID)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	rows, err := s.opts.Store.Answers(ctx, c.rec.ID, "")
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	ps := make([]*participant, len(sps))
	for i, sp := range sps {
		c.mu.Lock()
		p := c.byToken[sp.TokenHash]
		c.mu.Unlock()
		if p == nil {
			p = c.add(s.participant(c, sp), false)
		}
		ps[i] = p
	}
	return ps, rows, closed, nil
}

// joinOrder is c.people in the order they joined (by time, then id, as
// the store lists them); c.mu is held.
func (c *session) joinOrder() []*participant {
	ps := append([]*participant(nil), c.people...)
	sort.SliceStable(ps, func(i, j int) bool {
		if !ps[i].Joined.Equal(ps[j].Joined) {
			return ps[i].Joined.Before(ps[j].Joined)
		}
		return ps[i].ID < ps[j].ID
	})
	return ps
}

// sheet is one participant's result.
type sheet struct {
	p    *participant
	sess *quiz.Session // records in the participant's order
	last time.Time
}

// sheets builds every participant's session from the stored answers: the
// records in their order, and in exam mode every question not answered as
// not reached, so an exam is scored on every question it set (as play does).
func (s *Server) sheets(ctx context.Context, c *session) ([]sheet, error) {
	ps, rows, _, err := s.snapshot(ctx, c)
	if err != nil {
		return nil, err
	}
	by := map[string]map[string]store.ServeAnswer{}
	last := map[string]time.Time{}
	for _, a := range rows {
		if by[a.Participant] == nil {
			by[a.Participant] = map[string]store.ServeAnswer{}
		}
		by[a.Participant][a.Question] = a
		if a.At.After(last[a.Participant]) {
			last[a.Participant] = a.At
		}
	}
	out := make([]sheet, 0, len(ps))
	for _, p := range ps {
		sess := &quiz.Session{Config: p.qs.Config, Items: p.qs.Items}
		for _, it := range sess.Items {
			if a, ok := by[p.ID][it.Question.FullID()]; ok {
				sess.Records = append(sess.Records, record(it, a))
			} else if c.set.Mode == quiz.Exam {
				sess.Records = append(sess.Records, quiz.Record{Item: it, NotReached: true, Max: it.Question.Points})
			}
		}
		out = append(out, sheet{p: p, sess: sess, last: last[p.ID]})
	}
	return out, nil
}
