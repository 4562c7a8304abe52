package verify

import (
	"fmt"
	"io"
	"strings"
)

// Matrix symbols.
const (
	symOK     = "✓"
	symFail   = "✗"
	symNotRun = "·"
)

var statusSym = map[Status]string{
	OK: symOK, Mismatch: symFail, Error: "E", Timeout: "T", Flood: "F", Nondeterministic: "?", Skipped: "-",
}

// WriteText prints the report grouped by question: a status word, the
// version matrix (which versions proved the key), and for every finding
// what was wrong, with a diff. width wraps the matrix.
func WriteText(w io.Writer, rep *Report, requireAll bool, width int) {
	if width < 40 {
		width = 80
	}
	type group struct {
		id      string
		results []Result
	}
	var groups []*group
	byID := map[string]*group{}
	for _, r := range rep.Results {
		g := byID[r.Question]
		if g == nil {
			g = &group{id: r.Question}
			byID[r.Question] = g
			groups = append(groups, g)
		}
		g.results = append(g.results, r)
	}
	for _, g := range groups {
		worst := OK
		for _, r := range g.results {
			if rank(r.Status) > rank(worst) {
				worst = r.Status
			}
		}
		word := string(worst)
		if IsFinding(worst, requireAll) {
			word = strings.ToUpper(word)
		}
		fmt.Fprintf(w, "%-9s %s\n", word, g.id)
		if len(g.results) == 1 && g.results[0].Status == Skipped {
			fmt.Fprintf(w, "          %s\n", g.results[0].Message)
			continue
		}
		got := map[string]Result{}
		for _, r := range g.results {
			got[r.Python] = r
		}
		var cells []string
		for _, v := range rep.Summary.Pythons {
			sym := symNotRun
			if r, ok := got[v]; ok {
				sym = statusSym[r.Status]
			}
			cells = append(cells, v+" "+sym)
		}
		line := "         "
		for _, c := range cells {
			if len(line)+2+len([]rune(c)) > width && strings.TrimSpace(line) != "" {
				fmt.Fprintln(w, line)
				line = "         "
			}
			line += " " + c + " "
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
		writeFindings(w, g.results)
	}
	s := rep.Summary
	var parts []string
	for _, st := range Statuses {
		if n := s.Counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing to run")
	}
	fmt.Fprintf(w, "\n%s on %s (%s); per question and version: %s", count(s.Questions, "question"), count(len(s.Pythons), "interpreter"), strings.Join(s.Pythons, ", "), strings.Join(parts, ", "))
	if s.Unchecked > 0 {
		fmt.Fprintf(w, "; %d with code but no expect left out", s.Unchecked)
	}
	if s.Cached > 0 {
		fmt.Fprintf(w, "; %d unchanged, verdict from cache (--force runs them)", s.Cached)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "legend: %s proven  %s mismatch  E error  T timeout  F flood  ? nondeterministic  %s not allowed by the question\n", symOK, symFail, symNotRun)
}

func rank(s Status) int {
	for i, x := range []Status{OK, Skipped, Nondeterministic, Flood, Timeout, Mismatch, Error} {
		if x == s {
			return i
		}
	}
	return 0
}

// writeFindings prints each distinct finding once, naming every version
// that had it.
func writeFindings(w io.Writer, rs []Result) {
	type finding struct {
		key      string
		versions []string
		r        Result
	}
	var fs []*finding
	byKey := map[string]*finding{}
	for _, r := range rs {
		if r.Status == OK {
			continue
		}
		key := string(r.Status) + "\x00" + r.Message + "\x00" + r.Diff + "\x00" + r.Got
		f := byKey[key]
		if f == nil {
			f = &finding{key: key, r: r}
			byKey[key] = f
			fs = append(fs, f)
		}
		f.versions = append(f.versions, r.Python)
	}
	for _, f := range fs {
		r := f.r
		fmt.Fprintf(w, "          %s on %s: %s\n", r.Status, strings.Join(f.versions, ", "), Visible(r.Message))
		switch {
		case r.Diff != "":
			writeIndented(w, r.Diff, "            ")
		case r.Status == Timeout || r.Status == Flood:
			out := r.Got
			if len(out) > 400 {
				out = out[:400] + "\n..."
			}
			if out != "" {
				fmt.Fprintln(w, "            output so far:")
				for _, l := range splitLines(out) {
					if r := []rune(l); len(r) > 100 {
						l = string(r[:100]) + "..."
					}
					fmt.Fprintln(w, "            | "+l)
				}
			}
		}
		if r.Stderr != "" && r.Raised != "" && r.Raised != r.ExpectedRaises {
			lines := splitLines(r.Stderr)
			if len(lines) > 6 {
				lines = lines[len(lines)-6:]
			}
			fmt.Fprintln(w, "            stderr:")
			for _, l := range lines {
				fmt.Fprintln(w, "            | "+l)
			}
		}
	}
}

func writeIndented(w io.Writer, s, indent string) {
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		fmt.Fprintln(w, indent+l)
	}
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
