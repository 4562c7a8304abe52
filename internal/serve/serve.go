// Package serve is `pyquiz serve`: a quiz session in the browser for a class
// or an interview. Participants join by URL with a name and answer one
// question per page; the host watches answers arrive live (Server-Sent
// Events) and reads the grade report at the end. The pages and scripts use
// one JSON API (README, "Serving a class"). Scoring is quiz's, the same as
// play's; answers are committed to the store before any response; no code
// is ever run.
package serve

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/quiz"
)

// Store is what the server keeps in the database. internal/store
// implements it on SQLite and PostgreSQL.
type Store interface {
	CreateSession(ctx context.Context, s store.ServeSession) error
	Session(ctx context.Context, id string) (store.ServeSession, error)
	CloseSession(ctx context.Context, id string, at time.Time) error
	AddParticipant(ctx context.Context, p store.ServeParticipant) error
	ParticipantByToken(ctx context.Context, session, tokenHash string) (store.ServeParticipant, error)
	Participants(ctx context.Context, session string) ([]store.ServeParticipant, error)
	RecordAnswer(ctx context.Context, a store.ServeAnswer) error
	Answers(ctx context.Context, session, participant string) ([]store.ServeAnswer, error)
	// ParticipantState is Answers and Hints of one participant and the
	// session's closed time, read at once (a shared store is read so on
	// every request).
	ParticipantState(ctx context.Context, session, participant string) ([]store.ServeAnswer, []store.ServeHint, time.Time, error)
	TakeHint(ctx context.Context, session, participant, question string, n int) error
	Hints(ctx context.Context, session, participant string) ([]store.ServeHint, error)
	// Notify announces a change of session to every Listen callback, in
	// this process and in others sharing the database.
	Notify(ctx context.Context, session string) error
	Listen(ctx context.Context, fn func(session string)) error
	// Shared reports whether other processes may write the same sessions
	// (PostgreSQL). When not, the server keeps each session's state in
	// memory, loaded once, and reads the database only to start.
	Shared() bool
}

// Settings are a session's rules, stored with it as JSON so that
// --resume serves it the same way.
type Settings struct {
	Title        string        `json:"title"`
	Mode         quiz.Mode     `json:"mode"`
	Multi        string        `json:"multi"`
	Penalty      float64       `json:"penalty"`
	Seed         uint64        `json:"seed"`
	SeedSet      bool          `json:"seed_set"` // everyone gets the seed's order; else each participant their own
	Shuffle      bool          `json:"shuffle"`
	Python       string        `json:"python,omitempty"`
	TimeLimit    time.Duration `json:"time_limit,omitempty"`    // per participant, from joining
	QuestionTime time.Duration `json:"question_time,omitempty"` // per question, in order
}

// Options configure a Server.
type Options struct {
	Store Store
	// Questions finds a question by full id (the packs loaded now).
	Questions map[string]*quiz.Question
	Packs     map[string]*quiz.Pack
	Now       func() time.Time
	// JoinBurst and JoinPerSecond limit joins per client address (defaults
	// 60 and 2).
	JoinBurst     int
	JoinPerSecond float64
}

// Server serves sessions kept in a Store.
type Server struct {
	opts   Options
	now    func() time.Time
	hub    *hub
	limit  *limiter
	mux    *http.ServeMux
	shared bool // the store is shared with other processes: read it on every request
	mu     sync.Mutex
	loadMu sync.Mutex // one session load at a time, so a session is loaded once
	cache  map[string]*session
	ctx    context.Context // ends at shutdown: live streams stop

	nmu       sync.Mutex
	notifying map[string]bool // shared store: sessions with a NOTIFY on its way (true: send another after it)
	cancel    context.CancelFunc
}

// New returns a server and starts listening for changes in the store.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.JoinBurst == 0 {
		opts.JoinBurst = 60
	}
	if opts.JoinPerSecond == 0 {
		opts.JoinPerSecond = 2
	}
	s := &Server{opts: opts, now: opts.Now, hub: newHub(), cache: map[string]*session{}, shared: opts.Store.Shared(), notifying: map[string]bool{}}
	s.limit = newLimiter(opts.JoinBurst, opts.JoinPerSecond, s.now)
	s.ctx, s.cancel = context.WithCancel(ctx)
	if err := opts.Store.Listen(s.ctx, s.hub.publish); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Shutdown ends the live streams so that http.Server.Shutdown can finish.
func (s *Server) Shutdown() { s.cancel() }

// ServeHTTP serves the pages and the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Created is a new session with its host token.
type Created struct {
	ID        string
	HostToken string
}

// Create stores a new session over qs (already selected and ordered).
func (s *Server) Create(ctx context.Context, set Settings, qs []*quiz.Question) (Created, error) {
	if len(qs) == 0 {
		return Created{}, errors.New("a session needs at least one question")
	}
	cfg, err := json.Marshal(set)
	if err != nil {
		return Created{}, err
	}
	ids := make([]string, len(qs))
	for i, q := range qs {
		ids[i] = q.FullID()
	}
	c := Created{ID: randomID(8), HostToken: randomID(24)}
	err = s.opts.Store.CreateSession(ctx, store.ServeSession{ID: c.ID, Title: set.Title, Config: cfg, Questions: ids, HostToken: c.HostToken, Created: s.now()})
	return c, err
}

// HostToken returns the host token of a stored session (for --resume).
func (s *Server) HostToken(ctx context.Context, id string) (string, error) {
	sess, err := s.session(ctx, id)
	if err != nil {
		return "", err
	}
	return sess.rec.HostToken, nil
}

// Closed reports whether a session is closed (by its host, on this server
// or another sharing the database).
func (s *Server) Closed(ctx context.Context, id string) (bool, error) {
	c, err := s.session(ctx, id)
	if err != nil {
		return false, err
	}
	at, err := s.closedAt(ctx, c)
	return !at.IsZero(), err
}

// session is a stored session with its questions resolved and, when the
// store is not shared, its live state: who joined and what they answered.
// The database stays where every write commits first; memory follows it.
type session struct {
	rec   store.ServeSession
	set   Settings
	rules quiz.Rules
	py    *quiz.Version
	qs    []*quiz.Question
	index map[string]int // full id -> position in the session's order

	mu      sync.Mutex
	closed  time.Time               // not shared: when the session closed (zero: open)
	people  []*participant          // not shared: everyone who joined, in the order they joined
	byToken map[string]*participant // token hash -> participant (participants never change, so shared stores cache them too)
}

// ErrUnknownQuestion is returned when a stored session names a question
// no loaded pack has.
var ErrUnknownQuestion = errors.New("question not loaded")

// session returns a session, reading it from the store the first time.
func (s *Server) session(ctx context.Context, id string) (*session, error) {
	s.mu.Lock()
	c := s.cache[id]
	s.mu.Unlock()
	if c != nil {
		return c, nil
	}
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	s.mu.Lock()
	c = s.cache[id]
	s.mu.Unlock()
	if c != nil {
		return c, nil
	}
	c, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cache[id] = c
	s.mu.Unlock()
	return c, nil
}

func (s *Server) load(ctx context.Context, id string) (*session, error) {
	rec, err := s.opts.Store.Session(ctx, id)
	if err != nil {
		return nil, err
	}
	c := &session{rec: rec, index: map[string]int{}, byToken: map[string]*participant{}, closed: rec.Closed}
	if err := json.Unmarshal(rec.Config, &c.set); err != nil {
		return nil, fmt.Errorf("session %s: settings: %w", id, err)
	}
	multi, err := quiz.ParseMultiRule(c.set.Multi)
	if err != nil {
		return nil, fmt.Errorf("session %s: %w", id, err)
	}
	c.rules = quiz.Rules{Multi: multi, Penalty: c.set.Penalty, HintPenalty: -1}
	if c.set.Python != "" {
		v, err := quiz.ParseVersion(c.set.Python)
		if err != nil {
			return nil, fmt.Errorf("session %s: python %q: %w", id, c.set.Python, err)
		}
		c.py = &v
	}
	for i, qid := range rec.Questions {
		q := s.opts.Questions[qid]
		if q == nil {
			return nil, fmt.Errorf("session %s asks %s, which no loaded pack has (pass its pack with --pack): %w", id, qid, ErrUnknownQuestion)
		}
		c.qs = append(c.qs, q)
		c.index[qid] = i
	}
	if s.shared {
		return c, nil
	}
	ps, err := s.opts.Store.Participants(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.opts.Store.Answers(ctx, id, "")
	if err != nil {
		return nil, err
	}
	byID := map[string]*participant{}
	for _, sp := range ps {
		p := s.participant(c, sp)
		p.answers, p.hints, p.loaded = map[string]store.ServeAnswer{}, map[string]int{}, true
		byID[p.ID] = p
		c.people = append(c.people, p)
		c.byToken[p.TokenHash] = p
	}
	for _, a := range rows {
		if p := byID[a.Participant]; p != nil {
			p.answers[a.Question] = a
		}
	}
	hs, err := s.opts.Store.Hints(ctx, id, "")
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		if p := byID[h.Participant]; p != nil {
			p.hints[h.Question] = h.Hints
		}
	}
	return c, nil
}

// closedAt is when the session closed (zero while open). A shared store
// is read: another server on the same database may have closed it.
func (s *Server) closedAt(ctx context.Context, c *session) (time.Time, error) {
	if !s.shared {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.closed, nil
	}
	rec, err := s.opts.Store.Session(ctx, c.rec.ID)
	return rec.Closed, err
}

// markClosed notes in memory that the session closed at at.
func (c *session) markClosed(at time.Time) {
	c.mu.Lock()
	if c.closed.IsZero() {
		c.closed = at
	}
	c.mu.Unlock()
}

// add keeps a participant in memory and returns the one kept (another
// request may have added them first).
func (c *session) add(p *participant, joined bool) *participant {
	c.mu.Lock()
	defer c.mu.Unlock()
	if q := c.byToken[p.TokenHash]; q != nil {
		return q
	}
	c.byToken[p.TokenHash] = p
	if joined {
		c.people = append(c.people, p)
	}
	return p
}

// quizSession is the session as participant p sees it: the session's
// questions in p's order, each with p's order of choices.
func (c *session) quizSession(p store.ServeParticipant, packs map[string]*quiz.Pack) *quiz.Session {
	return quiz.NewSession(c.qs, quiz.SessionConfig{
		Mode:    c.set.Mode,
		Rules:   c.rules,
		Seed:    p.Seed,
		Shuffle: c.set.Shuffle,
		Python:  c.py,
		Packs:   packs,
	})
}

func randomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// hashToken is how a participant token is kept in the database: a leaked
// database does not let anyone answer as someone else.
func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// GCPercent is the garbage collector's target while serving (GOGC). A
// server's live heap is a few MB, so at Go's default of 100 a class
// answering at once collected dozens of times a second, and on two cores
// each collection's marking took one of them; 400 keeps the heap near
// 20 MB under load. The process's memory limit still applies.
const GCPercent = 400

// TuneGC sets the collector's target for serving unless GOGC is set; the
// load benchmark calls it as `pyquiz serve` does. restore sets it back.
func TuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	prev := debug.SetGCPercent(GCPercent)
	return func() { debug.SetGCPercent(prev) }
}
