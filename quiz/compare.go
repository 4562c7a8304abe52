package quiz

import "strings"

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
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Join(strings.Fields(s), " ")
}

// SameOutput reports whether two outputs are equal after NormalizeOutput.
func SameOutput(a, b string) bool { return NormalizeOutput(a) == NormalizeOutput(b) }

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
