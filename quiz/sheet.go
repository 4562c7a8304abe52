package quiz

import (
	"fmt"
	"strings"
)

// Sheet is one student's answers to a pack, as an answer sheet or a
// report gives them. Answers are canonical: choice letters as the pack
// writes them ("a,c"), whatever order the choices were shown in.
type Sheet struct {
	Student string
	// Pack is the pack id the sheet says it answers; "" when it does not say.
	Pack    string
	Answers []SheetAnswer
	// Only says the sheet was asked exactly the questions Answers lists
	// (play's report: the session's set); the pack's other questions are
	// not part of it. Without Only, a question not listed is unanswered.
	Only bool
}

// SheetAnswer is one answer on a sheet.
type SheetAnswer struct {
	// Question is the question id, bare ("falsy") or full ("demo/falsy").
	Question string
	// Given is the answer: "b", "a,c", "true", the text; "" is unanswered.
	Given string
	// Hints is the number of hints taken (reports record it; sheets do not).
	Hints int
	// Python is the version an output question was asked on, as a report
	// records it; "" for the default.
	Python string
}

// GradedSheet is a sheet scored question by question. Records hold one
// record per question of the pack, in pack order; a question the sheet
// does not answer is recorded unanswered, worth 0 of its points.
type GradedSheet struct {
	Student string
	Pack    string
	Records []Record
	Total   Tally
	// Asked[i] says question i was part of the sheet; nil: every question
	// was. A question not asked is recorded worth 0 of 0 points.
	Asked []bool
}

// SheetProblem is something wrong with one answer of a sheet. The answer
// is graded as unanswered; the rest of the sheet is graded as usual.
type SheetProblem struct {
	Question string // as the sheet wrote it
	Message  string
}

func (p SheetProblem) Error() string {
	if p.Question == "" {
		return p.Message
	}
	return "question " + p.Question + ": " + p.Message
}

// Grader scores sheets for one pack with one set of rules. It builds each
// question's item (key on the asked Python version) once and shares it
// between sheets, so grading many sheets costs little more than the
// comparisons. A Grader is not safe for concurrent use.
type Grader struct {
	Pack  *Pack
	Rules Rules
	// Python is the version output questions without a written key are
	// graded on when the sheet does not say (nil: the newest each allows,
	// as play asks them).
	Python *Version

	byID     map[string]int
	items    map[itemKey]*Item
	defaults []*Item // items on the default version, by question
	seen     []bool  // scratch: questions a sheet answered
	// marks remembers the record of an answer already marked: a class
	// gives the same few answers to a question again and again, and
	// reading and scoring one costs more than finding it (bounded by
	// maxMarks, so a class of free-text answers cannot grow it without end).
	marks map[markKey]Record
}

type markKey struct {
	it    *Item
	given string
	hints int
}

const maxMarks = 1 << 14

type itemKey struct {
	q int
	v Version
}

// NewGrader returns a grader for pack p.
func NewGrader(p *Pack, rules Rules, python *Version) *Grader {
	g := &Grader{Pack: p, Rules: rules, Python: python, byID: map[string]int{}, items: map[itemKey]*Item{},
		defaults: make([]*Item, len(p.Questions))}
	var dup map[string]bool
	for i, q := range p.Questions {
		if q.PackID != "" && q.PackID != p.ID {
			// A pack combining several (Combine): its questions are
			// known by their full ids, and by their own ids only where
			// no two packs share one.
			g.byID[q.FullID()] = i
			if _, seen := g.byID[q.ID]; seen || dup[q.ID] {
				if dup == nil {
					dup = map[string]bool{}
				}
				dup[q.ID] = true
				delete(g.byID, q.ID)
				continue
			}
		}
		g.byID[q.ID] = i
	}
	return g
}

// Question returns the index of the question a sheet names, bare or as
// pack/id; ok is false when the pack has no such question.
func (g *Grader) Question(id string) (int, bool) {
	id = strings.TrimSpace(id)
	if rest, ok := strings.CutPrefix(id, g.Pack.ID+"/"); ok {
		id = rest
	}
	i, ok := g.byID[id]
	return i, ok
}

// item is question i as asked on version v (nil: the grader's default).
func (g *Grader) item(i int, v *Version) *Item {
	if v == nil {
		v = g.Python
	}
	if v == nil {
		// The default version is the same on every sheet: look it up once.
		if it := g.defaults[i]; it != nil {
			return it
		}
	}
	q := g.Pack.Questions[i]
	ver, _ := AskVersion(q, v)
	k := itemKey{i, ver}
	if it := g.items[k]; it != nil {
		return it
	}
	it := &Item{Question: q, Version: ver, VersionShown: q.Type == Output && !q.Answer.Set, Key: KeyFor(q, ver)}
	it.Order = make([]int, len(q.Choices))
	for j := range it.Order {
		it.Order[j] = j
	}
	g.items[k] = it
	if v == nil {
		g.defaults[i] = it
	}
	return it
}

// Grade scores s with exactly the rules play uses (Mark). Answers that
// cannot be read (a letter past the choices, "maybe" for a truefalse, an
// unknown question, a question answered twice, an unknown Python version)
// come back as problems and count as unanswered. Grade does not check
// s.Pack against the grader's pack: that is the caller's decision.
func (g *Grader) Grade(s Sheet) (GradedSheet, []SheetProblem) {
	return g.GradeInto(s, nil)
}

// GradeInto is Grade writing the records into buf when it has room (its
// contents are overwritten), so a caller that is done with one sheet's
// records before grading the next allocates them once. Records of equal
// answers (same question, text and hints) are the same record, slices
// included: read them, do not change them.
func (g *Grader) GradeInto(s Sheet, buf []Record) (GradedSheet, []SheetProblem) {
	var probs []SheetProblem
	n := len(g.Pack.Questions)
	recs := buf[:0]
	if cap(recs) < n {
		recs = make([]Record, n)
	}
	recs = recs[:n]
	clear(recs)
	if cap(g.seen) < n {
		g.seen = make([]bool, n)
	}
	seen := g.seen[:n]
	clear(seen)
	next := 0 // sheets mostly list the questions in pack order: try that first
	for _, a := range s.Answers {
		i, ok := next, next < n && g.Pack.Questions[next].ID == a.Question
		if !ok {
			i, ok = g.Question(a.Question)
		}
		next = i + 1
		if !ok {
			probs = append(probs, SheetProblem{a.Question, fmt.Sprintf("no such question in pack %s", g.Pack.ID)})
			continue
		}
		if seen[i] {
			probs = append(probs, SheetProblem{a.Question, "answered twice; the first answer counts"})
			continue
		}
		seen[i] = true
		v := g.Python
		if a.Python != "" {
			pv, err := ParseVersion(a.Python)
			if err != nil {
				probs = append(probs, SheetProblem{a.Question, fmt.Sprintf("python %q is not a version such as 3.12; graded on the default", a.Python)})
			} else {
				v = &pv
			}
		}
		it := g.item(i, v)
		recs[i] = Record{Item: it, Max: it.Question.Points}
		if strings.TrimSpace(a.Given) == "" {
			continue
		}
		k := markKey{it, a.Given, a.Hints}
		if rec, ok := g.marks[k]; ok {
			recs[i] = rec
			continue
		}
		r, err := ParseGiven(it.Question, a.Given)
		if err != nil {
			probs = append(probs, SheetProblem{a.Question, err.Error()})
			continue
		}
		recs[i] = Mark(it, g.Pack, r, a.Hints, g.Rules)
		if len(g.marks) < maxMarks {
			if g.marks == nil {
				g.marks = map[markKey]Record{}
			}
			k.given = strings.Clone(k.given) // not a slice of the line it came from
			g.marks[k] = recs[i]
		}
	}
	gs := GradedSheet{Student: s.Student, Pack: g.Pack.ID, Records: recs}
	if s.Only {
		gs.Asked = append([]bool(nil), seen...)
	}
	for i := range recs {
		if recs[i].Item == nil {
			it := g.item(i, g.Python)
			recs[i] = Record{Item: it, Max: it.Question.Points}
			if s.Only {
				recs[i].Max = 0
				continue
			}
		}
		gs.Total.add(recs[i])
	}
	return gs, probs
}

// Mark scores response r to item it, taken with hints hints: the one
// scoring rule that play's sessions and grade's sheets share.
func Mark(it *Item, pack *Pack, r Response, hints int, rules Rules) Record {
	pts, mx, ok := Score(it.Question, pack, it.Key, r, hints, rules)
	return Record{Item: it, Response: r, Given: r.Given(it.Question), Answered: true, Correct: ok, Points: pts, Max: mx, Hints: hints}
}

// ParseGiven reads an answer as a sheet or report writes it: canonical
// letters for single and multi (in the pack's order, "a,c", "a c" or "AC"),
// true/false (t/f, yes/no) for truefalse, the text for output and short.
// It is ParseResponse without a display order, with messages that suit a
// list of problems rather than a prompt.
func ParseGiven(q *Question, given string) (Response, error) {
	r, err := ParseResponse(q, given, nil)
	if err == nil {
		return r, nil
	}
	s := clip(strings.TrimSpace(given))
	switch q.Type {
	case Single, Multi:
		last := Letter(max(min(len(q.Choices), 26)-1, 0))
		if q.Type == Single && strings.Contains(err.Error(), "single answer") {
			return r, fmt.Errorf("%q picks several choices; the question has one answer", s)
		}
		return r, fmt.Errorf("%q is not a choice (a to %s)", s, last)
	case TrueFalse:
		return r, fmt.Errorf("%q is not true or false", s)
	}
	return r, err
}
