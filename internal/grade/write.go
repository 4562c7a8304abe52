package grade

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/pyquiz/pyquiz/internal/jsonout"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

// Format is an output format of the report.
type Format string

// The formats of `grade --format`.
const (
	Table    Format = "table"
	CSV      Format = "csv"
	JSON     Format = "json"
	Markdown Format = "md"
	HTML     Format = "html"
)

// Formats lists the formats in the order the help gives them.
var Formats = []Format{Table, CSV, JSON, Markdown, HTML}

// ParseFormat reads a --format value.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == strings.ToLower(strings.TrimSpace(s)) {
			return f, nil
		}
	}
	if strings.EqualFold(s, "markdown") {
		return Markdown, nil
	}
	return "", fmt.Errorf("unknown format %q (want table, csv, json, md or html)", s)
}

// WriteOptions are what a writer needs to know about where it writes.
type WriteOptions struct {
	Width int // terminal width for the table; 0: 80
}

// Write writes the report in format f.
func (r *Report) Write(w io.Writer, f Format, o WriteOptions) error {
	switch f {
	case Table:
		return r.writeTable(w, o)
	case CSV:
		return r.writeCSV(w)
	case JSON:
		return jsonout.Write(w, r)
	case Markdown:
		return r.writeMarkdown(w)
	case HTML:
		return r.writeHTML(w)
	}
	return fmt.Errorf("unknown format %q", f)
}

// num formats a score: at most two decimals, no trailing zeros.
func num(x float64) string {
	x = math.Round(x*100) / 100
	if x == 0 {
		x = 0
	}
	return fmt.Sprintf("%g", x)
}

// stat formats a statistic with two decimals, "-" where the class cannot give it.
func stat(x *float64) string {
	if x == nil {
		return "-"
	}
	v := math.Round(*x*100) / 100
	if v == 0 {
		v = 0
	}
	return fmt.Sprintf("%.2f", v)
}

func pct(x float64) string { return fmt.Sprintf("%.0f%%", math.Round(x)) }

// plain makes outside text (student names, answers, pack text) fit one
// cell of a terminal table: control characters escaped, tabs and
// newlines shown, never obeyed.
func plain(s string) string {
	s = render.Escape(s)
	s = strings.ReplaceAll(s, "\t", " ")
	return strings.ReplaceAll(s, "\n", `\n`)
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:max(n-1, 1)]) + "…"
}

func result(s Sheet) string {
	if s.Passed {
		return "pass"
	}
	return "FAIL"
}

// topWrongLabel is the most chosen wrong answer as people read it: the
// letters with their choices' texts ("a) __create__"), or the text given.
func (r *Report) topWrongLabel(j int) string {
	it := r.Items[j]
	if r.pack == nil || j >= len(r.pack.Questions) {
		return it.TopWrong
	}
	q := r.pack.Questions[j]
	if q.Type != quiz.Single && q.Type != quiz.Multi {
		return it.TopWrong
	}
	parts := strings.Split(it.TopWrong, ",")
	for i, l := range parts {
		if c := quiz.LetterIndex(l); c >= 0 && c < len(q.Choices) {
			parts[i] = l + ") " + q.Choices[c]
		}
	}
	return strings.Join(parts, ", ")
}

// topWrong is "c) None (12)" or "-", clipped to n characters of answer.
func (r *Report) topWrong(j, n int, esc func(string) string) string {
	it := r.Items[j]
	if it.TopWrong == "" {
		return "-"
	}
	return fmt.Sprintf("%s (%d)", esc(clipText(r.topWrongLabel(j), n)), it.TopWrongCount)
}

func flagWords(it Item) string {
	words := make([]string, len(it.Flags))
	for i, f := range it.Flags {
		words[i] = strings.ReplaceAll(f, "-", " ")
	}
	return strings.Join(words, ", ")
}

func (r *Report) writeTable(w io.Writer, o WriteOptions) error {
	width := o.Width
	if width <= 0 {
		width = 80
	}
	var b strings.Builder
	s := r.Summary
	fmt.Fprintf(&b, "Grades for %s: %d sheet(s), pass mark %s\n\n", plain(r.Pack), s.Sheets, pct(r.Pass))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STUDENT\tSCORE\tPERCENT\tRESULT\tSHEET")
	for _, sh := range r.Sheets {
		fmt.Fprintf(tw, "%s\t%s/%s\t%s\t%s\t%s\n", clipText(plain(sh.Student), 30), num(sh.Score), num(sh.Max), pct(sh.Percent), result(sh), plain(sh.Source))
	}
	tw.Flush()
	if s.Sheets > 0 {
		b.WriteString("\nScores\n")
		r.writeBars(&b, width)
		fmt.Fprintf(&b, "\nMean %s/%s (%s), median %s, SD %s, alpha %s, SEM %s; %d passed, %d failed\n",
			num(s.Mean), num(s.Max), pct(s.MeanPercent), num(s.Median), num(s.SD), stat(s.Alpha), stat(s.SEM), s.Passed, s.Failed)
		if s.GroupSize > 0 {
			fmt.Fprintf(&b, "\nQuestions (upper and lower groups: %d sheet(s) each)\n", s.GroupSize)
		} else {
			b.WriteString("\nQuestions (discrimination needs 3 sheets or more)\n")
		}
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "QUESTION\tFACILITY\tDISCRIM\tITEM-REST\tTOP WRONG\tFLAGS")
		for j, it := range r.Items {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", plain(it.Question), stat(it.Facility), stat(it.Discrimination), stat(it.ItemRest), r.topWrong(j, 24, plain), flagWords(it))
		}
		tw.Flush()
		if flagged := r.Flagged(); len(flagged) > 0 {
			fmt.Fprintf(&b, "\nWorth a second look (%d)\n", len(flagged))
			for _, it := range flagged {
				fmt.Fprintf(&b, "\n%s: %s\n", plain(it.Question), clipText(plain(it.Prompt), width-len(it.Question)-2))
				for _, f := range it.Flags {
					fmt.Fprintf(&b, "  %s\n", FlagText(f))
				}
				r.writeDistractors(&b, it)
			}
		}
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(&b, "\nProblems (%d)\n", len(r.Problems))
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "  %s\n", plain(p.String()))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeBars draws the score histogram as bars of block characters.
func (r *Report) writeBars(b *strings.Builder, width int) {
	most := 0
	for _, bin := range r.Histogram {
		most = max(most, bin.Count)
	}
	room := max(10, min(width-20, 50))
	for i, bin := range r.Histogram {
		label := fmt.Sprintf("%d-%d%%", bin.From, bin.To-1)
		if i == len(r.Histogram)-1 {
			label = fmt.Sprintf("%d-%d%%", bin.From, bin.To)
		}
		n := 0
		if most > 0 {
			n = int(math.Round(float64(bin.Count) / float64(most) * float64(room)))
		}
		if bin.Count > 0 && n == 0 {
			n = 1
		}
		fmt.Fprintf(b, "%8s %s %d\n", label, strings.Repeat("█", n), bin.Count)
	}
}

func (r *Report) writeDistractors(b *strings.Builder, it Item) {
	if len(it.Distractors) == 0 {
		return
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  \tANSWER\tUPPER\tLOWER\tALL")
	for _, d := range it.Distractors {
		mark := " "
		if d.Correct {
			mark = "✓"
		}
		label := plain(d.Text)
		if d.Answer != "" && d.Answer != d.Text {
			label = d.Answer + ") " + label
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\n", mark, clipText(label, 40), d.Upper, d.Lower, d.Total)
	}
	tw.Flush()
}

// csvCell keeps a cell from being read as a formula by a spreadsheet, and
// its control characters from reaching a terminal that shows the file.
func csvCell(s string) string {
	s = render.Escape(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// writeCSV writes the gradebook: one row per sheet with its score and the
// points of every question, for a spreadsheet.
func (r *Report) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"student", "sheet", "score", "max", "percent", "result"}
	for _, it := range r.Items {
		head = append(head, it.Question)
	}
	cw.Write(head)
	for _, sh := range r.Sheets {
		row := []string{csvCell(sh.Student), csvCell(sh.Source), num(sh.Score), num(sh.Max), num(sh.Percent), strings.ToLower(result(sh))}
		for _, a := range sh.Answers {
			row = append(row, num(a.Points))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}
