// Package grade grades a class's answer sheets for one pack and analyses
// the questions the way Moodle's quiz statistics do: per sheet score,
// percent and pass/fail; per question facility, discrimination, item-rest
// correlation, the most chosen wrong answer and a distractor table; for the
// test mean, median, SD, Cronbach's alpha and the SEM; flags on questions
// worth a second look. It reads sheets (YAML, JSON, CSV, play's JSON
// reports) and writes the report as a terminal table, CSV, JSON, Markdown
// or one self-contained HTML page.
//
// Scoring is quiz.Grader's, which is play's: this package only counts.
//
// The entry points are Grade (sheets read from files, see ReadFile) and
// Analyze (sheets already graded, for a caller such as serve that holds
// answers rather than files); both return a *Report that Write renders.
package grade

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pyquiz/pyquiz/quiz"
)

// DefaultPass is the pass mark in percent when none is given.
const DefaultPass = 60

// Options say how sheets are graded and judged.
type Options struct {
	Rules quiz.Rules
	// Pass is the pass mark in percent: a sheet at or above it passes.
	Pass float64
	// Python is the version output questions without a written key are
	// graded on when a sheet does not say (nil: the newest each allows).
	Python *quiz.Version
	// PenaltySet and MultiSet say the command line gave Rules.Penalty and
	// Rules.Multi: they then win over what a play report recorded.
	PenaltySet, MultiSet bool
}

// Input is one sheet as read from a file.
type Input struct {
	Sheet quiz.Sheet
	File  string // the file it came from, as given
	// Row is the CSV row (the header is row 1), 0 for a file that is one sheet.
	Row int
	// Entry is the sheet's place (from 1) in a grade report read back, a
	// file of many sheets that is not a CSV; 0 otherwise.
	Entry int
	// Lines are the lines the answers sit on, parallel to Sheet.Answers,
	// where the format knows them (YAML); nil otherwise.
	Lines []int
	// Penalty and Multi are the rules play's report recorded for its
	// session; nil when the sheet does not say (a plain sheet).
	Penalty *float64
	Multi   *quiz.MultiRule
}

// Source names the sheet for people: "class.csv row 3" or "ada.yaml".
func (in Input) Source() string {
	if in.Entry > 0 {
		return fmt.Sprintf("%s sheet %d", in.File, in.Entry)
	}
	return source(in.File, in.Row)
}

func source(file string, row int) string {
	if row > 0 {
		return fmt.Sprintf("%s row %d", file, row)
	}
	return file
}

// Problem is something wrong with a sheet or a file. It never stops the
// other sheets from being graded.
type Problem struct {
	Sheet    string `json:"sheet"` // "class.csv row 3", "ada.yaml"
	File     string `json:"file"`
	Row      int    `json:"row,omitempty"`
	Line     int    `json:"line,omitempty"`
	Question string `json:"question,omitempty"`
	Message  string `json:"message"`
}

func (p Problem) String() string {
	where := p.Sheet
	if p.Line > 0 && p.Row == 0 {
		where = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if p.Question != "" {
		return fmt.Sprintf("%s: question %s: %s", where, p.Question, p.Message)
	}
	return where + ": " + p.Message
}

// FileProblem is a problem with a whole file (unreadable, malformed).
func FileProblem(file string, line int, format string, args ...any) Problem {
	return Problem{Sheet: file, File: file, Line: line, Message: fmt.Sprintf(format, args...)}
}

// Report is the whole result of grading a class: the shape of
// `grade --format json` (PRODUCT.md section 12).
type Report struct {
	Pack  string  `json:"pack"`
	Title string  `json:"title"`
	Pass  float64 `json:"pass"`
	// Multi and Penalty are the rules the sheets were graded on. A play
	// report's recorded rules win over the command line's for its sheet
	// (unless --multi or --penalty is given): when the sheets were not all
	// graded on the same rule, Multi is "per sheet" (or Penalty null), and
	// each sheet says its own.
	Multi     string    `json:"multi"`
	Penalty   *float64  `json:"penalty"`
	Sheets    []Sheet   `json:"sheets"`
	Items     []Item    `json:"items"`
	Summary   Summary   `json:"summary"`
	Histogram []Bin     `json:"histogram"`
	Problems  []Problem `json:"problems"`

	pack *quiz.Pack
}

// Sheet is one graded sheet, in the shape play's JSON report has.
type Sheet struct {
	Student string  `json:"student"`
	Pack    string  `json:"pack"`
	Source  string  `json:"source,omitempty"`
	Score   float64 `json:"score"`
	Max     float64 `json:"max"`
	Percent float64 `json:"percent"`
	Passed  bool    `json:"pass"`
	// The rules this sheet was graded on: the command line's, or what its
	// play report recorded.
	Multi   string  `json:"multi"`
	Penalty float64 `json:"penalty"`

	// The answers, one per question of the pack in pack order, held
	// without pointers (a class of 10,000 sheets is half a million
	// answers: as structs of strings they were most of the memory the
	// run touched, and the collector scanned them again and again).
	cells []cell
	tab   *answerTable
}

// cell is one answer of a sheet: Answer without its strings.
type cell struct {
	points, max       float64
	given             int32 // index in the table's texts; 0 is ""
	correct, notAsked bool
	hints             uint8 // hints taken (play, serve), up to 255
	python            uint8 // index in the table's versions + 1; 0: not said
}

// answerTable holds what the answers of a class share: the questions'
// full ids and each distinct answer given, once.
type answerTable struct {
	ids      []string
	texts    []string
	index    map[string]int32
	versions []string // Python versions answers were asked on, where it mattered
}

// version is the cell's python for v ("3.11"); 0 for none, or past 255.
func (t *answerTable) version(v string) uint8 {
	for i, x := range t.versions {
		if x == v {
			return uint8(i + 1)
		}
	}
	if len(t.versions) >= 255 {
		return 0
	}
	t.versions = append(t.versions, v)
	return uint8(len(t.versions))
}

func newAnswerTable(ids []string) *answerTable {
	return &answerTable{ids: ids, texts: []string{""}, index: map[string]int32{"": 0}}
}

func (t *answerTable) intern(s string) int32 {
	if i, ok := t.index[s]; ok {
		return i
	}
	i := int32(len(t.texts))
	s = strings.Clone(s) // not a slice of the row it was read from
	t.texts = append(t.texts, s)
	t.index[s] = i
	return i
}

// Answers are the sheet's answers, one per question of the pack in pack
// order; a question a play report's session did not ask is NotAsked.
func (s *Sheet) Answers() []Answer {
	out := make([]Answer, len(s.cells))
	for j := range s.cells {
		out[j] = s.answer(j)
	}
	return out
}

func (s *Sheet) answer(j int) Answer {
	c := &s.cells[j]
	a := Answer{Question: s.tab.ids[j], Given: s.tab.texts[c.given], Correct: c.correct,
		NotAsked: c.notAsked, Points: c.points, Max: c.max, Hints: int(c.hints)}
	if c.python > 0 {
		a.Python = s.tab.versions[c.python-1]
	}
	return a
}

// given is answer j's text without building the Answer.
func (s *Sheet) given(j int) string { return s.tab.texts[s.cells[j].given] }

// sheetWith is s holding answers (for a caller that has them as values).
func sheetWith(s Sheet, answers []Answer) Sheet {
	ids := make([]string, len(answers))
	for j, a := range answers {
		ids[j] = a.Question
	}
	s.tab = newAnswerTable(ids)
	s.cells = make([]cell, len(answers))
	for j, a := range answers {
		s.cells[j] = cell{points: a.Points, max: a.Max, given: s.tab.intern(a.Given), correct: a.Correct, notAsked: a.NotAsked,
			hints: uint8(min(max(a.Hints, 0), 255))}
		if a.Python != "" {
			s.cells[j].python = s.tab.version(a.Python)
		}
	}
	return s
}

// MarshalJSON writes the sheet in section 12's shape (as the report does).
func (s Sheet) MarshalJSON() ([]byte, error) { return appendSheet(nil, &s), nil }

// UnmarshalJSON reads a sheet in section 12's shape.
func (s *Sheet) UnmarshalJSON(data []byte) error {
	type plain Sheet // without the methods
	var x struct {
		plain
		Answers []Answer `json:"answers"`
	}
	if err := json.Unmarshal(data, &x); err != nil {
		return err
	}
	*s = sheetWith(Sheet(x.plain), x.Answers)
	return nil
}

// Answer is one question of a graded sheet.
type Answer struct {
	Question string `json:"question"` // full id pack/question
	Given    string `json:"given"`    // canonical; "" unanswered
	Correct  bool   `json:"correct"`
	// NotAsked marks a question of the pack that the sheet's session did
	// not ask (play's report): it counts neither as answered nor unanswered.
	NotAsked bool    `json:"-"`
	Points   float64 `json:"points"`
	Max      float64 `json:"max"`
	// Hints taken and the Python version asked on (an output question keyed
	// per version), as play and serve record them: a report read back is
	// graded on them again. Omitted when none.
	Hints  int    `json:"hints,omitempty"`
	Python string `json:"python,omitempty"`
}

// Item is the analysis of one question. Statistics that a class cannot
// give (a correlation where every sheet scored the same, discrimination
// with fewer than three sheets) are nil, null in JSON.
type Item struct {
	Question   string  `json:"question"` // full id
	Type       string  `json:"type"`
	Prompt     string  `json:"prompt"`
	Max        float64 `json:"max"`
	Answered   int     `json:"answered"`
	Unanswered int     `json:"unanswered"`
	Right      int     `json:"right"`
	// Facility is the average share of the points earned: the share of
	// sheets right, for a question scored right or wrong.
	Facility *float64 `json:"facility"`
	// Discrimination is the facility in the upper third of the class by
	// total score minus the facility in the lower third.
	Discrimination *float64 `json:"discrimination"`
	// ItemRest is the correlation between the question's score and the
	// rest of the test's.
	ItemRest      *float64     `json:"item_rest"`
	TopWrong      string       `json:"top_wrong"`
	TopWrongCount int          `json:"top_wrong_count"`
	Key           string       `json:"key"`
	Distractors   []Distractor `json:"distractors"`
	Flags         []string     `json:"flags"`
}

// Distractor is one answer option and who picked it: the whole class and
// its upper and lower thirds by total score.
type Distractor struct {
	Answer  string `json:"answer"` // "a", "true", or a text given
	Text    string `json:"text"`   // the choice's text
	Correct bool   `json:"correct"`
	Total   int    `json:"total"`
	Upper   int    `json:"upper"`
	Lower   int    `json:"lower"`
}

// Summary is the test as a whole. Scores are in points.
type Summary struct {
	Sheets int      `json:"sheets"`
	Max    float64  `json:"max"`
	Mean   float64  `json:"mean"`
	Median float64  `json:"median"`
	SD     float64  `json:"sd"`
	Alpha  *float64 `json:"alpha"`
	SEM    *float64 `json:"sem"`
	// AlphaQuestions is how many questions alpha (and the SEM) is computed
	// over: those that carry points and that every sheet was asked. Play
	// reports of different sessions may share only some questions.
	AlphaQuestions int `json:"alpha_questions"`
	// AlphaNote says why alpha is null, or that it covers only the
	// questions every sheet was asked; "" when it covers every question.
	AlphaNote   string  `json:"alpha_note,omitempty"`
	MeanPercent float64 `json:"mean_percent"`
	Passed      int     `json:"passed"`
	Failed      int     `json:"failed"`
	GroupSize   int     `json:"group_size"` // sheets in the upper (and the lower) group
}

// Bin is one bar of the score histogram: sheets with From <= percent < To
// (the last bin includes 100).
type Bin struct {
	From  int `json:"from"`
	To    int `json:"to"`
	Count int `json:"count"`
}

// PerSheet is the report's Multi when its sheets were graded on different
// rules (play reports that recorded their own).
const PerSheet = "per sheet"

// Flag codes. The thresholds are Moodle's rules of thumb.
const (
	FlagTooHard   = "too-hard"  // facility below 0.2
	FlagTooEasy   = "too-easy"  // facility above 0.95
	FlagBackwards = "backwards" // discrimination below 0
)

// Thresholds of the flags.
const (
	HardBelow = 0.2
	EasyAbove = 0.95
)

// FlagText explains a flag code to people.
func FlagText(code string) string {
	switch code {
	case FlagTooHard:
		return "too hard: fewer than 1 in 5 got it right"
	case FlagTooEasy:
		return "too easy: almost everyone got it right"
	case FlagBackwards:
		return "discriminates backwards: the strong students got it wrong more often"
	}
	return code
}

// Flagged reports whether the item carries any flag.
func (it Item) Flagged() bool { return len(it.Flags) > 0 }

// Grade grades the sheets read from files against pack p. Sheets for
// another pack, duplicate students and unreadable answers become problems;
// every other sheet is graded. probs are problems found while reading
// (ReadFile's), kept in the report.
func Grade(p *quiz.Pack, inputs []Input, probs []Problem, opts Options) *Report {
	c := newClass(p, opts)
	c.probs = append(c.probs, probs...)
	for _, in := range inputs {
		c.add(in)
	}
	return c.report()
}

// GradePaths reads the sheets in paths (files or folders, as ReadPaths)
// and grades each as it is read, so a class is never held twice: what
// Grade(p, ReadPaths(paths)) gives, in less memory.
func GradePaths(p *quiz.Pack, paths []string, opts Options) *Report {
	c := newClass(p, opts)
	readPaths(paths, true, c.add, func(pr Problem) { c.probs = append(c.probs, pr) })
	return c.report()
}

// classRun is a grading run in progress: sheets are added one at a time.
type classRun struct {
	p        *quiz.Pack
	opts     Options
	g        *quiz.Grader
	graders  map[quiz.Rules]*quiz.Grader // by rules, for reports that recorded their own
	ids      []string
	sheets   []Sheet
	probs    []Problem
	students map[string]string
	buf      []quiz.Record
	slab     cellSlab
	tab      *answerTable
	// An unknown column of a CSV file would be one problem per row; it is
	// reported once, for the file.
	unknownCol map[[2]string]bool
}

func newClass(p *quiz.Pack, opts Options) *classRun {
	ids := fullIDs(p)
	return &classRun{p: p, opts: opts, g: quiz.NewGrader(p, opts.Rules, opts.Python), ids: ids, tab: newAnswerTable(ids),
		students: map[string]string{}, unknownCol: map[[2]string]bool{}}
}

func (c *classRun) add(in Input) {
	src := in.Source()
	if want := in.Sheet.Pack; want != "" && want != c.p.ID && !packListed(want, c.p.ID) {
		c.probs = append(c.probs, Problem{Sheet: src, File: in.File, Row: in.Row,
			Message: fmt.Sprintf("sheet is for pack %s, not %s; not graded", want, c.p.ID)})
		return
	}
	name := strings.TrimSpace(in.Sheet.Student)
	if prev, dup := c.students[name]; dup {
		c.probs = append(c.probs, Problem{Sheet: src, File: in.File, Row: in.Row,
			Message: fmt.Sprintf("student %q already has a sheet (%s); this one is not graded", name, prev)})
		return
	}
	c.students[name] = src
	g, rules := c.grader(in)
	gs, sp := g.GradeInto(in.Sheet, c.buf)
	c.buf = gs.Records // sheetOf copies what the report keeps
	for _, x := range sp {
		pr := Problem{Sheet: src, File: in.File, Row: in.Row, Question: x.Question, Message: x.Message}
		if in.Lines != nil {
			for i, a := range in.Sheet.Answers {
				if a.Question == x.Question && i < len(in.Lines) {
					pr.Line = in.Lines[i]
					break
				}
			}
		}
		if _, known := c.g.Question(x.Question); !known && in.Row > 0 {
			k := [2]string{in.File, x.Question}
			if c.unknownCol[k] {
				continue
			}
			c.unknownCol[k] = true
			pr.Sheet, pr.Row = in.File, 0
			pr.Message += " (column ignored)"
		}
		c.probs = append(c.probs, pr)
	}
	gs.Student = name
	sh := sheetOf(gs, c.tab, c.opts.Pass, c.slab.take(len(gs.Records)))
	// The Python version an answer was asked on, as the sheet recorded it
	// (play's report, serve): kept, so that the report read back grades
	// the same.
	for _, a := range in.Sheet.Answers {
		if a.Python == "" {
			continue
		}
		v, err := quiz.ParseVersion(strings.TrimSpace(a.Python))
		if j, ok := c.g.Question(a.Question); ok && err == nil && j < len(sh.cells) && !sh.cells[j].notAsked {
			sh.cells[j].python = c.tab.version(v.String())
		}
	}
	sh.Multi, sh.Penalty = rules.Multi.String(), rules.Penalty
	sh.Source = src
	c.sheets = append(c.sheets, sh)
}

// grader is the grader for in's rules, and those rules: the command
// line's, or what its play report recorded where the command line does
// not say.
func (c *classRun) grader(in Input) (*quiz.Grader, quiz.Rules) {
	rules := c.opts.Rules
	if in.Penalty != nil && !c.opts.PenaltySet {
		rules.Penalty = *in.Penalty
	}
	if in.Multi != nil && !c.opts.MultiSet {
		rules.Multi = *in.Multi
	}
	if rules == c.opts.Rules {
		return c.g, rules
	}
	if c.graders == nil {
		c.graders = map[quiz.Rules]*quiz.Grader{}
	}
	g := c.graders[rules]
	if g == nil {
		g = quiz.NewGrader(c.p, rules, c.opts.Python)
		c.graders[rules] = g
	}
	return g, rules
}

func (c *classRun) report() *Report {
	r := analyze(c.p, c.sheets, c.opts)
	probs := c.probs
	// Problems in file order, a file's own before its rows'.
	sort.SliceStable(probs, func(i, j int) bool {
		a, b := probs[i], probs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Line < b.Line
	})
	r.Problems = append(r.Problems, probs...)
	return r
}

func packListed(list, id string) bool {
	for _, x := range strings.Split(list, ",") {
		if strings.TrimSpace(x) == id {
			return true
		}
	}
	return false
}

// Analyze builds the report of sheets already graded against pack p (each
// with one record per question of p, in pack order, as quiz.Grader gives
// them). Sheets keep their order.
func Analyze(p *quiz.Pack, graded []quiz.GradedSheet, opts Options) *Report {
	tab := newAnswerTable(fullIDs(p))
	sheets := make([]Sheet, 0, len(graded))
	var slab cellSlab
	for _, gs := range graded {
		sh := sheetOf(gs, tab, opts.Pass, slab.take(len(gs.Records)))
		sh.Multi, sh.Penalty = opts.Rules.Multi.String(), opts.Rules.Penalty
		sheets = append(sheets, sh)
	}
	return analyze(p, sheets, opts)
}

func fullIDs(p *quiz.Pack) []string {
	ids := make([]string, len(p.Questions))
	for j, q := range p.Questions {
		ids[j] = q.FullID()
	}
	return ids
}

// analyze builds the report of sheets already in their report shape.
func analyze(p *quiz.Pack, sheets []Sheet, opts Options) *Report {
	if sheets == nil {
		sheets = []Sheet{}
	}
	r := &Report{Pack: p.ID, Title: p.Title, Pass: opts.Pass, Multi: opts.Rules.Multi.String(),
		Penalty: &opts.Rules.Penalty, pack: p, Sheets: sheets, Items: []Item{}, Problems: []Problem{}}
	// The rules applied: each the sheets', where they agree on it.
	for i, sh := range sheets {
		if i == 0 {
			pen := sh.Penalty
			r.Multi, r.Penalty = sh.Multi, &pen
			continue
		}
		if sh.Multi != r.Multi {
			r.Multi = PerSheet
		}
		if r.Penalty != nil && sh.Penalty != *r.Penalty {
			r.Penalty = nil
		}
	}
	m := newMatrix(p, sheets, opts.Python)
	r.Summary = m.summary()
	for i := range r.Sheets {
		if r.Sheets[i].Passed {
			r.Summary.Passed++
		} else {
			r.Summary.Failed++
		}
	}
	for j := range p.Questions {
		r.Items = append(r.Items, m.item(j))
	}
	r.Histogram = histogram(r.Sheets)
	return r
}

// sheetOf is gs in the report's shape, its answers' texts kept in tab
// and its answers in cells (len(gs.Records) of them, appended).
func sheetOf(gs quiz.GradedSheet, tab *answerTable, pass float64, cells []cell) Sheet {
	s := Sheet{Student: gs.Student, Pack: gs.Pack, Score: round(gs.Total.Points), Max: round(gs.Total.Max),
		Percent: round(gs.Total.Percent()), tab: tab, cells: cells}
	s.Passed = gs.Total.Percent() >= pass-1e-9
	for j := range gs.Records {
		rec := &gs.Records[j]
		c := cell{points: round(rec.Points), max: round(rec.Max), given: tab.intern(rec.Given),
			correct: rec.Correct, notAsked: gs.Asked != nil && j < len(gs.Asked) && !gs.Asked[j],
			hints: uint8(min(max(rec.Hints, 0), 255))}
		s.cells = append(s.cells, c)
	}
	return s
}

// cellSlab hands out the answers of a class's sheets from large blocks,
// so that 10,000 sheets are a few allocations rather than 10,000.
type cellSlab struct{ free []cell }

func (a *cellSlab) take(n int) []cell {
	if len(a.free) < n {
		a.free = make([]cell, max(n*256, 4096))
	}
	s := a.free[:0:n]
	a.free = a.free[n:]
	return s
}

// Flagged returns the items with a flag, in pack order.
func (r *Report) Flagged() []Item {
	var out []Item
	for _, it := range r.Items {
		if it.Flagged() {
			out = append(out, it)
		}
	}
	return out
}

// SortedSheets returns the sheets from the best score down (ties by student).
func (r *Report) SortedSheets() []Sheet {
	s := append([]Sheet(nil), r.Sheets...)
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Score != s[j].Score {
			return s[i].Score > s[j].Score
		}
		return s[i].Student < s[j].Student
	})
	return s
}

func histogram(sheets []Sheet) []Bin {
	bins := make([]Bin, 10)
	for i := range bins {
		bins[i] = Bin{From: i * 10, To: i*10 + 10}
	}
	for _, s := range sheets {
		i := int(s.Percent / 10)
		i = max(0, min(i, 9))
		bins[i].Count++
	}
	return bins
}
