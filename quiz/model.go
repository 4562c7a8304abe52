// Package quiz is pyquiz's domain: the pack model, loading and validation of
// pack files, answer parsing and comparison, scoring and quiz sessions.
//
// It does no I/O beyond reading bytes or an fs.FS handed to it, runs no code
// and knows nothing of terminals, so other Go programs can import it.
package quiz

import (
	"fmt"
	"strings"
)

// FormatVersion is the only pack format this package reads.
const FormatVersion = 1

// Type is a question type.
type Type string

// The five question types of pack format v1.
const (
	Single    Type = "single"
	Multi     Type = "multi"
	TrueFalse Type = "truefalse"
	Output    Type = "output"
	Short     Type = "short"
)

// Types lists the question types in the order the docs give them.
var Types = []Type{Single, Multi, TrueFalse, Output, Short}

// Difficulty is easy, medium or hard.
type Difficulty string

// The three difficulties.
const (
	Easy   Difficulty = "easy"
	Medium Difficulty = "medium"
	Hard   Difficulty = "hard"
)

// Difficulties lists the difficulties from easiest.
var Difficulties = []Difficulty{Easy, Medium, Hard}

// Pos is a position in a pack file. Line and Col count from 1.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// DefaultHintPenalty is the share of a question's points each hint costs.
const DefaultHintPenalty = 0.25

// Pack is one pack file: a header and its questions.
type Pack struct {
	Format      int
	ID          string
	Title       string
	Version     string
	Description string
	Authors     []string
	License     string
	Python      Constraint // default constraint for the pack's questions
	Tags        []string
	HintPenalty float64 // share of the points each hint costs; DefaultHintPenalty unless set
	// HintPenalties is set on a pack that combines the questions of
	// several (Combine): each pack's hint penalty by pack id, so that a
	// question keeps its own pack's.
	HintPenalties map[string]float64
	Questions     []*Question

	File string // where the pack was read from, as given to the loader
	Pos  Pos    // position of the pack header
}

// Question is one question of a pack.
type Question struct {
	PackID      string
	ID          string
	Type        Type
	Prompt      string
	Code        string
	Choices     []string // single and multi
	Answer      Answer
	Explanation string
	// Feedback is shown when the learner gives a particular wrong answer.
	// Keys: a choice letter ("a") for single and multi, "true"/"false" for
	// truefalse, an answer text (compared like answers) for output and short.
	Feedback      map[string]string
	Hints         []string
	Tags          []string
	Difficulty    Difficulty
	Points        float64    // 1 unless set
	Python        Constraint // the question's own constraint, or else the pack's
	Expect        []Outcome  // what Code does, per version range
	Source        string
	CaseSensitive bool // short: compare case-sensitively (default true)

	// ChoicesOf is set on a question AsChoices made: the output question it
	// offers as multiple choice (reports record the output chosen).
	ChoicesOf *Question

	Pos Pos // position of the question's mapping in its file
}

// FullID is "pack-id/question-id".
func (q *Question) FullID() string { return q.PackID + "/" + q.ID }

// Answer is a question's key.
type Answer struct {
	Choices []int    // single, multi: indices into Choices, ascending
	Bool    bool     // truefalse
	Texts   []string // output: one text; short: every accepted text
	Set     bool     // false when the key is absent (output with expect)
}

// Outcome is what a snippet does on the versions its Python constraint allows.
type Outcome struct {
	Python Constraint // zero: every version the question allows
	Stdout string
	Raises string // exception type name the snippet ends with, or ""
	Pos    Pos
}

// Letter returns the letter of choice i: 0 -> "a".
func Letter(i int) string {
	if i >= 0 && i < 26 {
		return letters[i : i+1]
	}
	return fmt.Sprintf("%d", i+1)
}

// letters backs Letter, so naming a choice allocates nothing.
const letters = "abcdefghijklmnopqrstuvwxyz"

// Letters joins the letters of choice indices with commas: [0 2] -> "a,c".
func Letters(idx []int) string {
	if len(idx) == 1 {
		return Letter(idx[0])
	}
	parts := make([]string, len(idx))
	for i, c := range idx {
		parts[i] = Letter(c)
	}
	return strings.Join(parts, ",")
}

// LetterIndex turns "a".."z" (any case) into 0..25, or -1.
func LetterIndex(s string) int {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) != 1 || s[0] < 'a' || s[0] > 'z' {
		return -1
	}
	return int(s[0] - 'a')
}

// OutcomeFor returns the expect outcome that applies on version v, if any.
func (q *Question) OutcomeFor(v Version) (Outcome, bool) {
	for _, o := range q.Expect {
		if o.Python.Allows(v) {
			return o, true
		}
	}
	return Outcome{}, false
}

// Allows reports whether the question is valid on Python version v.
func (q *Question) Allows(v Version) bool { return q.Python.Allows(v) }

// HasTag reports whether the question carries tag t (case-insensitive).
func (q *Question) HasTag(t string) bool {
	for _, x := range q.Tags {
		if strings.EqualFold(x, t) {
			return true
		}
	}
	return false
}
