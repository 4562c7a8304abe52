package quiz

import (
	"fmt"
	"sort"
	"strings"
)

// Severity says whether a Problem stops a pack from loading.
type Severity int

// Errors make a pack unusable; warnings are advice (--strict makes them errors).
const (
	SeverityError Severity = iota
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Problem is one finding about a pack file, at a position.
type Problem struct {
	Pos      Pos
	Severity Severity
	Message  string
}

// Error formats the problem as go/scanner does: "file:line:col: message".
func (p Problem) Error() string {
	if p.Severity == SeverityWarning {
		return fmt.Sprintf("%s: warning: %s", p.Pos, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.Pos, p.Message)
}

// Problems is a list of problems; sort it with Sort before printing.
type Problems []Problem

// Sort orders problems by file, line, column, then message.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].Pos, ps[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return ps[i].Message < ps[j].Message
	})
}

// Errors returns the problems of severity error.
func (ps Problems) Errors() Problems { return ps.filter(SeverityError) }

// Warnings returns the problems of severity warning.
func (ps Problems) Warnings() Problems { return ps.filter(SeverityWarning) }

func (ps Problems) filter(s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// Err returns the errors (not warnings) as an error, or nil. The message
// lists up to ten of them, one per line, with "and N more" after.
func (ps Problems) Err() error {
	errs := ps.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i == 10 {
			fmt.Fprintf(&b, "\n(and %d more)", len(ps)-10)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}
