package quiz

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// NewestVersion is the newest Python release a question is asked about
// when neither --python nor the question's constraint says otherwise.
// KnownVersions runs to 3.20 so constraints can name future releases, but an
// output question "on Python 3.20" would name a release nobody has run; 3.13
// is the newest release the built-in keys were proven on.
var NewestVersion = Version{3, 13, -1}

// Response is one answer to a question, in canonical terms: choice indices
// refer to the question's Choices as written in the pack, whatever order
// they were shown in.
type Response struct {
	Choices []int  // single, multi: ascending canonical indices
	Bool    bool   // truefalse
	Text    string // output, short: as typed
}

// Given formats the response the way reports record it: canonical letters
// joined by commas ("a,c"), "true"/"false", or the text.
func (r Response) Given(q *Question) string {
	switch q.Type {
	case Single, Multi:
		return Letters(r.Choices)
	case TrueFalse:
		if r.Bool {
			return "true"
		}
		return "false"
	}
	return r.Text
}

// ErrEmptyResponse is returned by ParseResponse for a blank line.
var ErrEmptyResponse = errors.New("type an answer")

// ParseResponse reads one line typed for question q. order is the display
// order of the choices: position i on screen shows q.Choices[order[i]]; nil
// means the pack's order (which is how reports and answer sheets are read).
//
// Accepted: a letter in any case for single ("b", "B", "b)"), letters in any
// case and with any separator for multi ("a,c", "a c", "AC"), the full text
// of one choice (any case) where it is not read as letters, t/f/true/false
// (also yes/no) for truefalse, any non-blank text for output and short.
// An error is a one-line reason fit to show before asking again.
//
// ParseResponse knows nothing of the loop's commands (h, s, q, ?): the
// caller decides what a line means before handing it here.
func ParseResponse(q *Question, line string, order []int) (Response, error) {
	s := strings.TrimSpace(line)
	if s == "" {
		return Response{}, ErrEmptyResponse
	}
	switch q.Type {
	case Single, Multi:
		r, err := parseLetters(q, s, order)
		if err != nil {
			// Someone who types the text of a choice means that choice.
			for i, c := range q.Choices {
				if len(strings.TrimSpace(c)) > 1 && strings.EqualFold(NormalizeOutput(c), NormalizeOutput(s)) {
					return Response{Choices: []int{i}}, nil
				}
			}
		}
		return r, err
	case TrueFalse:
		switch strings.ToLower(s) {
		case "t", "true", "y", "yes":
			return Response{Bool: true}, nil
		case "f", "false", "n", "no":
			return Response{Bool: false}, nil
		}
		return Response{}, fmt.Errorf("%q is not true or false; type t or f", clip(s))
	}
	return Response{Text: line}, nil
}

func parseLetters(q *Question, s string, order []int) (Response, error) {
	n := len(q.Choices)
	last := Letter(max(min(n, 26)-1, 0))
	var picked []int
	var seen [26]bool // LetterIndex gives 0..25
	for _, r := range s {
		switch {
		case r == ',' || r == ';' || r == ' ' || r == '\t' || r == '/' || r == '+':
			continue
		case r == ')' || r == '.':
			// "b)" and "b." as the choices are printed.
			continue
		}
		i := LetterIndex(string(r))
		if i < 0 {
			return Response{}, fmt.Errorf("%q is not a choice letter; type a letter from a to %s", clip(s), last)
		}
		if i >= n && len([]rune(s)) == 1 {
			return Response{}, fmt.Errorf("there is no choice %c; type a letter from a to %s", r|0x20, last)
		}
		if i >= n {
			return Response{}, fmt.Errorf("%q is not a choice letter; type a letter from a to %s", clip(s), last)
		}
		if seen[i] {
			continue
		}
		seen[i] = true
		c := i
		if order != nil {
			c = order[i]
		}
		picked = append(picked, c)
	}
	if len(picked) == 0 {
		return Response{}, ErrEmptyResponse
	}
	if q.Type == Single && len(picked) > 1 {
		return Response{}, fmt.Errorf("pick one letter; this question has a single answer")
	}
	slices.Sort(picked)
	return Response{Choices: picked}, nil
}

func clip(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

// AskVersion is the Python version an output question is asked about: want
// when set and allowed, else the newest version up to NewestVersion that the
// question allows and has an expect outcome for, else the newest it allows at
// all. ok is false when the question cannot be asked on want.
func AskVersion(q *Question, want *Version) (v Version, ok bool) {
	if want != nil {
		if !q.Allows(*want) {
			return *want, false
		}
		if q.Type == Output && !q.Answer.Set {
			_, has := q.OutcomeFor(*want)
			return *want, has
		}
		return *want, true
	}
	// From the newest down: the first version allowed is any, the first
	// one up to NewestVersion with a key is the answer. (Selecting a
	// session's questions asks this of every question, before the first
	// one is shown.)
	var any Version
	var foundAny bool
	for i := len(knownVersions) - 1; i >= 0; i-- {
		k := knownVersions[i]
		if !q.Allows(k) {
			continue
		}
		if !foundAny {
			any, foundAny = k, true
		}
		if k.Compare(NewestVersion) > 0 {
			continue
		}
		if q.Type == Output && !q.Answer.Set {
			if _, has := q.OutcomeFor(k); !has {
				continue
			}
		}
		return k, true
	}
	if foundAny && (q.Type != Output || q.Answer.Set) {
		return any, true
	}
	if foundAny {
		_, has := q.OutcomeFor(any)
		return any, has
	}
	return Version{}, false
}

// KeyFor is the question's key when asked on Python v: the answer written in
// the pack, or for an output question without one, the expect outcome for v.
func KeyFor(q *Question, v Version) Answer {
	if q.Answer.Set || q.Type != Output {
		return q.Answer
	}
	if o, ok := q.OutcomeFor(v); ok {
		return Answer{Texts: []string{OutcomeAnswer(o)}, Set: true}
	}
	return q.Answer
}

// KeyText formats a key for people: "b) __new__", "a) x, c) y", "true", or
// the first accepted text.
func KeyText(q *Question, key Answer) string {
	switch q.Type {
	case Single, Multi:
		parts := make([]string, len(key.Choices))
		for i, c := range key.Choices {
			parts[i] = Letter(c) + ") " + q.Choices[c]
		}
		return strings.Join(parts, ", ")
	case TrueFalse:
		if key.Bool {
			return "true"
		}
		return "false"
	}
	if len(key.Texts) > 0 {
		return key.Texts[0]
	}
	return ""
}

// IsCorrect reports whether r matches key in full.
func IsCorrect(q *Question, key Answer, r Response) bool {
	switch q.Type {
	case Single, Multi:
		return slices.Equal(r.Choices, key.Choices)
	case TrueFalse:
		return r.Bool == key.Bool
	case Output:
		for _, t := range key.Texts {
			if sameOutputAnswer(r.Text, t) {
				return true
			}
		}
	case Short:
		for _, t := range key.Texts {
			if sameFields(r.Text, t, !q.CaseSensitive) {
				return true
			}
		}
	}
	return false
}

// sameOutputAnswer is SameOutput, except that a special answer (Error,
// Nothing, Forever) at the end of the key matches in any case: "error"
// is what most people type.
func sameOutputAnswer(given, key string) bool {
	if SameOutput(given, key) {
		return true
	}
	g, k := strings.Fields(given), strings.Fields(key)
	if len(g) != len(k) || len(k) == 0 {
		return false
	}
	last := k[len(k)-1]
	if last != AnswerError && last != AnswerNothing && last != AnswerForever {
		return false
	}
	return slices.Equal(g[:len(g)-1], k[:len(k)-1]) && strings.EqualFold(g[len(g)-1], last)
}
