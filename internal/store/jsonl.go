package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode"

	fsrs "github.com/open-spaced-repetition/go-fsrs/v3"
)

// Line is one attempt in the progress file (`progress export`, JSON
// Lines). The first eleven fields are PRODUCT.md section 6's; status,
// rating and content_hash let an import restore exactly what was recorded
// and are optional on reading.
type Line struct {
	Question    string  `json:"question"`
	PackVersion string  `json:"pack_version"`
	Session     string  `json:"session"`
	Mode        string  `json:"mode"`
	Given       string  `json:"given"`
	Correct     bool    `json:"correct"`
	Points      float64 `json:"points"`
	Max         float64 `json:"max"`
	Hints       int     `json:"hints"`
	Seconds     float64 `json:"seconds"`
	At          string  `json:"at"`
	Status      string  `json:"status,omitempty"`
	Rating      int     `json:"rating,omitempty"`
	ContentHash string  `json:"content_hash,omitempty"`
	Order       string  `json:"order,omitempty"`
}

// LineOf is an attempt as a progress file line.
func LineOf(a Attempt) Line {
	return Line{
		Question: a.Question, PackVersion: a.PackVersion, Session: a.Session, Mode: a.Mode, Given: a.Given,
		Correct: a.Correct, Points: a.Points, Max: a.Max, Hints: a.Hints,
		Seconds: math.Round(a.Seconds*1000) / 1000,
		At:      a.At.UTC().Format(time.RFC3339Nano),
		Status:  a.Status, Rating: int(a.Rating), ContentHash: a.ContentHash, Order: a.Order,
	}
}

// maxLine bounds one line of a progress file; an attempt is far smaller.
const maxLine = 1 << 20

// LineError is a problem with one line of a progress file.
type LineError struct {
	File      string
	Line, Col int // Col 0: the line as a whole
	Msg       string
}

func (e LineError) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// LineErrors are all the problems of a file, in line order.
type LineErrors []LineError

const shownErrors = 10

func (es LineErrors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i == shownErrors {
			fmt.Fprintf(&b, "\nand %d more", len(es)-shownErrors)
			break
		}
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// ReadJSONL reads a progress file. It reads every line and reports every
// bad one (name:line:col), returning no attempts when any line is bad, so
// an import is all or nothing. Blank lines are skipped.
func ReadJSONL(r io.Reader, name string) ([]Attempt, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var out []Attempt
	var errs LineErrors
	for n := 1; ; n++ {
		raw, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			if errors.Is(err, errLong) {
				errs = append(errs, LineError{File: name, Line: n, Msg: fmt.Sprintf("line longer than %d bytes", maxLine)})
				continue
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if t := bytes.TrimSpace(raw); len(t) > 0 {
			a, lerr := parseLine(t, name, n)
			if lerr != nil {
				errs = append(errs, *lerr)
			} else {
				out = append(out, a)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

var errLong = errors.New("line too long")

// readLine returns one line without its newline; a line over maxLine is
// skipped to its end and reported as errLong.
func readLine(r *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) > maxLine {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, errLong
		}
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(buf, []byte("\n")), err
	}
}

// wire has pointers where a field is required, to tell absent from zero.
type wire struct {
	Question    *string  `json:"question"`
	PackVersion string   `json:"pack_version"`
	Session     *string  `json:"session"`
	Mode        *string  `json:"mode"`
	Given       *string  `json:"given"`
	Correct     *bool    `json:"correct"`
	Points      *float64 `json:"points"`
	Max         *float64 `json:"max"`
	Hints       int      `json:"hints"`
	Seconds     float64  `json:"seconds"`
	At          *string  `json:"at"`
	Status      string   `json:"status"`
	Rating      *int     `json:"rating"`
	ContentHash string   `json:"content_hash"`
	Order       string   `json:"order"`
}

func parseLine(raw []byte, name string, n int) (Attempt, *LineError) {
	bad := func(col int, format string, args ...any) (Attempt, *LineError) {
		return Attempt{}, &LineError{File: name, Line: n, Col: col, Msg: fmt.Sprintf(format, args...)}
	}
	var w wire
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&w); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return bad(int(se.Offset), "not JSON: %v", se)
		case errors.As(err, &te):
			// Offset is the end of the value; point at its start.
			col := int(te.Offset)
			if i := bytes.LastIndexByte(raw[:min(col, len(raw))], ':'); i >= 0 {
				col = i + 2
			}
			return bad(col, "field %s: want a %s, not a JSON %s", te.Field, te.Type, te.Value)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return bad(len(raw)+1, "not JSON: the line ends inside a value")
		}
		return bad(0, "not JSON: %v", err)
	}
	if dec.More() {
		return bad(int(dec.InputOffset())+1, "one JSON object per line, and this line has more")
	}
	for _, f := range []struct {
		name string
		ok   bool
	}{{"question", w.Question != nil}, {"session", w.Session != nil}, {"mode", w.Mode != nil}, {"given", w.Given != nil},
		{"correct", w.Correct != nil}, {"points", w.Points != nil}, {"max", w.Max != nil}, {"at", w.At != nil}} {
		if !f.ok {
			return bad(0, "missing field %q", f.name)
		}
	}
	a := Attempt{
		Question: *w.Question, PackVersion: w.PackVersion, Session: *w.Session, Mode: *w.Mode, Given: *w.Given,
		Correct: *w.Correct, Points: *w.Points, Max: *w.Max, Hints: w.Hints, Seconds: w.Seconds,
		Status: w.Status, ContentHash: w.ContentHash, Order: w.Order,
	}
	pack, id, ok := strings.Cut(a.Question, "/")
	switch {
	case !ok || pack == "" || id == "" || strings.Contains(id, "/") || !plainText(a.Question, 200):
		return bad(0, "question %q: want a full id such as pitfalls/late-binding", clip(a.Question))
	case a.Session == "" || !plainText(a.Session, 100):
		return bad(0, "session %q: want a session id such as 20260302-090000-3f9a", clip(a.Session))
	case a.Mode != "study" && a.Mode != "exam":
		return bad(0, "mode %q: want study or exam", clip(a.Mode))
	case !plainText(a.PackVersion, 100):
		return bad(0, "pack_version %q: want a version such as 1.0.0", clip(a.PackVersion))
	case len(a.Given) > 64<<10:
		return bad(0, "given: longer than 64 KiB")
	case !isOrder(a.Order):
		return bad(0, "order %q: want the pack's letters in the order shown, such as c,a,d,b", clip(a.Order))
	case len(a.ContentHash) > 64 || !plainText(a.ContentHash, 64):
		return bad(0, "content_hash %q: want a hex digest", clip(a.ContentHash))
	case !finite(a.Max) || a.Max < 0 || a.Max > 1e6:
		return bad(0, "max %v: want the question's points, 0 or more", a.Max)
	case !finite(a.Points) || a.Points > a.Max || a.Points < -a.Max:
		return bad(0, "points %v: want a score between -max and max (%v)", a.Points, a.Max)
	case a.Hints < 0 || a.Hints > 1000:
		return bad(0, "hints %d: want a count, 0 or more", a.Hints)
	case !finite(a.Seconds) || a.Seconds < 0 || a.Seconds > 1e7:
		return bad(0, "seconds %v: want the time taken, 0 or more", a.Seconds)
	}
	at, err := time.Parse(time.RFC3339Nano, *w.At)
	if err != nil || at.Year() < 1970 || at.Year() > 9999 {
		return bad(0, "at %q: want an RFC 3339 time such as 2026-03-02T09:00:00Z", clip(*w.At))
	}
	a.At = at.UTC().Truncate(time.Millisecond)
	switch a.Status {
	case "":
		a.Status = StatusAnswered
		if a.Given == "" {
			a.Status = StatusSkipped
		}
	case StatusAnswered, StatusSkipped, StatusTimeout, StatusNotReached:
	default:
		return bad(0, "status %q: want answered, skipped, timeout or not-reached", clip(a.Status))
	}
	if a.Correct && a.Status != StatusAnswered {
		return bad(0, "correct is true for a question %s", a.Status)
	}
	if w.Rating == nil {
		a.Rating = Rate(a, 0)
	} else {
		if *w.Rating < 0 || *w.Rating > int(fsrs.Easy) || (a.Status == StatusNotReached) != (*w.Rating == 0) {
			return bad(0, "rating %d: want 1 (again) to 4 (easy), or 0 for a question not reached", *w.Rating)
		}
		a.Rating = Rating(*w.Rating)
	}
	return a, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// plainText is at most max bytes of valid text with no control characters.
func plainText(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for _, r := range s {
		if r == unicode.ReplacementChar || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return s
}

// isOrder reports whether s is "" or distinct choice letters joined by
// commas ("c,a,d,b"), the form of Attempt.Order.
func isOrder(s string) bool {
	if s == "" {
		return true
	}
	var seen [26]bool
	for _, l := range strings.Split(s, ",") {
		if len(l) != 1 || l[0] < 'a' || l[0] > 'z' || seen[l[0]-'a'] {
			return false
		}
		seen[l[0]-'a'] = true
	}
	return true
}
