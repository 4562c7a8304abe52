package quiz

import (
	"strings"
	"unicode"
)

// Special answers in the okpy tradition, accepted where the key says so.
const (
	AnswerError   = "Error"   // the snippet raises
	AnswerNothing = "Nothing" // the snippet prints nothing
	AnswerForever = "Forever" // the snippet never finishes
)

// NormalizeOutput folds text for comparison: trailing whitespace on each
// line and trailing blank lines are dropped, and every run of whitespace
// (newlines included) becomes one space, so "True False" matches "True\nFalse".
func NormalizeOutput(s string) string {
	if normalized(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// normalized reports whether s is already what NormalizeOutput returns:
// ASCII words separated by single spaces. Most answers are.
func normalized(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c < ' ' || c == 0x7f || c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

// SameOutput reports whether two outputs are equal after NormalizeOutput.
func SameOutput(a, b string) bool { return sameFields(a, b, false) }

// sameFields reports whether a and b have the same whitespace-separated
// fields (compared case-insensitively when fold), which is
// NormalizeOutput(a) == NormalizeOutput(b) without building either:
// grading compares half a million answers for a large class.
func sameFields(a, b string, fold bool) bool {
	for {
		fa, ra := nextField(a)
		fb, rb := nextField(b)
		if fa == "" || fb == "" {
			return fa == fb
		}
		if fa != fb && (!fold || !strings.EqualFold(fa, fb)) {
			return false
		}
		a, b = ra, rb
	}
}

// nextField returns the first field of s as strings.Fields splits it and
// what follows it.
func nextField(s string) (field, rest string) {
	start := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) })
	if start < 0 {
		return "", ""
	}
	s = s[start:]
	end := strings.IndexFunc(s, unicode.IsSpace)
	if end < 0 {
		return s, ""
	}
	return s[:end], s[end:]
}

// OutcomeAnswer is the answer an outcome stands for: its stdout, followed
// by a last line "Error" when it raises, or "Nothing" when it prints
// nothing and returns normally.
func OutcomeAnswer(o Outcome) string {
	out := o.Stdout
	if o.Raises != "" {
		if out != "" && !strings.HasSuffix(out, "\n") {
			out += "\n"
		}
		return out + AnswerError
	}
	if strings.TrimSpace(out) == "" {
		return AnswerNothing
	}
	return out
}
