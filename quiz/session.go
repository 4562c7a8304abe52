package quiz

import (
	"errors"
	"sort"
	"time"
)

// Mode is how a session gives feedback.
type Mode string

// The two modes of PRODUCT.md section 5.
const (
	Study Mode = "study" // feedback after every answer
	Exam  Mode = "exam"  // nothing until the end, then a review
)

// ParseMode reads "study" or "exam".
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case Study, Exam:
		return Mode(s), nil
	}
	return "", errors.New("want study or exam")
}

// SessionConfig says how a session orders and scores its questions.
type SessionConfig struct {
	Mode    Mode
	Rules   Rules
	Seed    uint64
	Shuffle bool // shuffle the questions and the choices of each
	// KeepOrder asks the questions in the order given even with Shuffle,
	// which then shuffles only the choices (review: most overdue first).
	KeepOrder bool
	N         int      // at most this many questions (0: all)
	Python    *Version // the version to ask output questions about (nil: newest each allows)
	// Packs gives each question's pack (hint penalty); may be nil.
	Packs map[string]*Pack
}

// Item is one question as a session asks it.
type Item struct {
	Question *Question
	// Order is the display order of the choices: position i shows
	// Question.Choices[Order[i]]. The identity when not shuffled.
	Order   []int
	Version Version // the Python version the question is asked about
	// VersionShown is true for output questions whose key comes from the
	// expect outcome of Version, so the prompt must name the version.
	VersionShown bool
	Key          Answer // the key on Version
}

// Record is what happened to one question.
type Record struct {
	Item     *Item
	Response Response
	Given    string // canonical: "a,c", "true", the text; "" when not answered
	Answered bool
	Correct  bool
	Points   float64 // earned; negative under negative marking
	Max      float64
	Hints    int
	Skipped  bool
	TimedOut bool
	// NotReached marks the questions an exam session ended before asking.
	NotReached bool
	Duration   time.Duration
}

// Status names what happened to the question as reports and serve store
// it: answered, skipped, timeout or not-reached.
func (r Record) Status() string {
	switch {
	case r.Answered:
		return "answered"
	case r.Skipped:
		return "skipped"
	case r.TimedOut:
		return "timeout"
	}
	return "not-reached"
}

// Session is the state of one quiz: the questions in the order asked, the
// records so far and the question being asked. It does no I/O and reads no
// clock; the caller passes durations in.
type Session struct {
	Config  SessionConfig
	Items   []*Item
	Records []Record
	hints   int
	done    bool
}

// ErrSessionDone is returned by the answer methods once every question is
// recorded or Finish was called.
var ErrSessionDone = errors.New("session is over")

// NewSession orders qs (already filtered, see Select) as cfg says.
func NewSession(qs []*Question, cfg SessionConfig) *Session {
	qs = Pick(qs, cfg.N, cfg.Shuffle && !cfg.KeepOrder, cfg.Seed)
	// Choices get their own stream so the question order of a seed does
	// not change when a pack author edits one question's choices.
	r := newRand(cfg.Seed + 1)
	s := &Session{Config: cfg}
	for _, q := range qs {
		it := &Item{Question: q}
		it.Order = make([]int, len(q.Choices))
		for i := range it.Order {
			it.Order[i] = i
		}
		if cfg.Shuffle {
			r.Shuffle(len(it.Order), func(i, j int) { it.Order[i], it.Order[j] = it.Order[j], it.Order[i] })
		}
		it.Version, _ = AskVersion(q, cfg.Python)
		it.VersionShown = q.Type == Output && !q.Answer.Set
		it.Key = KeyFor(q, it.Version)
		s.Items = append(s.Items, it)
	}
	return s
}

// Len is the number of questions in the session.
func (s *Session) Len() int { return len(s.Items) }

// Index is the 0-based position of the current question.
func (s *Session) Index() int { return len(s.Records) }

// Done reports whether the session is over.
func (s *Session) Done() bool { return s.done || len(s.Records) >= len(s.Items) }

// Current returns the question being asked, or nil when the session is over.
func (s *Session) Current() *Item {
	if s.Done() {
		return nil
	}
	return s.Items[len(s.Records)]
}

// HintsUsed is the number of hints taken on the current question.
func (s *Session) HintsUsed() int { return s.hints }

// Hint returns the next hint of the current question and counts it; ok is
// false (and nothing is counted) when there is none left.
func (s *Session) Hint() (hint string, ok bool) {
	it := s.Current()
	if it == nil || s.hints >= len(it.Question.Hints) {
		return "", false
	}
	s.hints++
	return it.Question.Hints[s.hints-1], true
}

func (s *Session) pack(q *Question) *Pack {
	if s.Config.Packs == nil {
		return nil
	}
	return s.Config.Packs[q.PackID]
}

func (s *Session) record(rec Record) (Record, error) {
	it := s.Current()
	if it == nil {
		return Record{}, ErrSessionDone
	}
	rec.Item = it
	rec.Hints = s.hints
	if rec.Max == 0 {
		rec.Max = it.Question.Points
	}
	s.Records = append(s.Records, rec)
	s.hints = 0
	return rec, nil
}

// Answer records r for the current question and moves on.
func (s *Session) Answer(r Response, d time.Duration) (Record, error) {
	it := s.Current()
	if it == nil {
		return Record{}, ErrSessionDone
	}
	rules := s.Config.Rules
	if s.Config.Mode != Exam {
		rules.Penalty = 0 // negative marking is for exams only
	}
	rec := Mark(it, s.pack(it.Question), r, s.hints, rules)
	rec.Duration = d
	return s.record(rec)
}

// Skip records the current question as skipped.
func (s *Session) Skip(d time.Duration) (Record, error) {
	return s.record(Record{Skipped: true, Duration: d})
}

// Timeout records the current question as unanswered for lack of time.
func (s *Session) Timeout(d time.Duration) (Record, error) {
	return s.record(Record{TimedOut: true, Duration: d})
}

// Finish ends the session. In exam mode the questions not reached are
// recorded as unanswered, so they count in the maximum: an exam is scored
// on every question it set. A study session is scored on what was asked.
func (s *Session) Finish() {
	if s.done {
		return
	}
	if s.Config.Mode == Exam {
		for len(s.Records) < len(s.Items) {
			s.record(Record{NotReached: true})
		}
	}
	s.done = true
}

// Tally is a score over a group of questions.
type Tally struct {
	Questions int
	Correct   int
	Points    float64
	Max       float64
}

// Percent is Points/Max in percent (0 for an empty tally).
func (t Tally) Percent() float64 {
	if t.Max <= 0 {
		return 0
	}
	return 100 * t.Points / t.Max
}

func (t *Tally) add(r Record) {
	t.Questions++
	if r.Correct {
		t.Correct++
	}
	t.Points += r.Points
	t.Max += r.Max
}

// Group is a tally for one tag or difficulty.
type Group struct {
	Name string
	Tally
}

// Weakest returns the groups of at least min questions, weakest first
// (lowest share of the points, then most questions, then by name): what a
// student should look at, without a line for every tag asked once.
func Weakest(gs []Group, min int) []Group {
	var out []Group
	for _, g := range gs {
		if g.Questions >= min {
			out = append(out, g)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Percent() != b.Percent() {
			return a.Percent() < b.Percent()
		}
		if a.Questions != b.Questions {
			return a.Questions > b.Questions
		}
		return a.Name < b.Name
	})
	return out
}

// Summary totals a session's records.
type Summary struct {
	Total      Tally
	Answered   int
	Skipped    int
	TimedOut   int
	NotReached int
	// NotAsked counts the questions a study session ended before asking;
	// they are not in Total.
	NotAsked     int
	ByTag        []Group // sorted by name
	ByDifficulty []Group // easy, medium, hard, then any other
	ByPack       []Group // sorted by pack id
	Missed       []Record
}

// Summary totals the records so far.
func (s *Session) Summary() Summary {
	var sum Summary
	tags := map[string]*Tally{}
	diffs := map[string]*Tally{}
	packs := map[string]*Tally{}
	for _, r := range s.Records {
		sum.Total.add(r)
		switch {
		case r.Answered:
			sum.Answered++
		case r.Skipped:
			sum.Skipped++
		case r.TimedOut:
			sum.TimedOut++
		case r.NotReached:
			sum.NotReached++
		}
		q := r.Item.Question
		for _, t := range q.Tags {
			if tags[t] == nil {
				tags[t] = &Tally{}
			}
			tags[t].add(r)
		}
		if packs[q.PackID] == nil {
			packs[q.PackID] = &Tally{}
		}
		packs[q.PackID].add(r)
		d := string(q.Difficulty)
		if d == "" {
			d = "unrated"
		}
		if diffs[d] == nil {
			diffs[d] = &Tally{}
		}
		diffs[d].add(r)
		if !r.Correct {
			sum.Missed = append(sum.Missed, r)
		}
	}
	sum.NotAsked = len(s.Items) - len(s.Records)
	for name, t := range tags {
		sum.ByTag = append(sum.ByTag, Group{name, *t})
	}
	sort.Slice(sum.ByTag, func(i, j int) bool { return sum.ByTag[i].Name < sum.ByTag[j].Name })
	for name, t := range packs {
		sum.ByPack = append(sum.ByPack, Group{name, *t})
	}
	sort.Slice(sum.ByPack, func(i, j int) bool { return sum.ByPack[i].Name < sum.ByPack[j].Name })
	rank := func(d string) int {
		for i, x := range Difficulties {
			if string(x) == d {
				return i
			}
		}
		return len(Difficulties)
	}
	for name, t := range diffs {
		sum.ByDifficulty = append(sum.ByDifficulty, Group{name, *t})
	}
	sort.Slice(sum.ByDifficulty, func(i, j int) bool {
		a, b := sum.ByDifficulty[i].Name, sum.ByDifficulty[j].Name
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		return a < b
	})
	return sum
}
