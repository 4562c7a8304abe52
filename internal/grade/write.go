package grade

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
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
		return r.writeJSON(w)
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
	// What %g writes, for the numbers a report holds (a gradebook of
	// 10,000 sheets is half a million of them): hundredths below 1e6,
	// where %g would switch to an exponent.
	if math.Abs(x) < 1e6 {
		var buf [24]byte
		return string(appendTenThousandths(buf[:0], int64(math.Round(x*100))*100))
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
		if s.AlphaNote != "" {
			fmt.Fprintf(&b, "(alpha and SEM: %s)\n", s.AlphaNote)
		}
		if s.GroupSize > 0 {
			fmt.Fprintf(&b, "\nQuestions (upper and lower groups: %d sheet(s) each)\n", s.GroupSize)
		} else {
			b.WriteString("\nQuestions (discrimination needs 3 sheets or more)\n")
		}
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "QUESTION\tFACILITY\tDISCRIM\tITEM-REST\tTOP WRONG\tFLAGS")
		for j, it := range r.Items {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", plain(r.shortID(it.Question)), stat(it.Facility), stat(it.Discrimination), stat(it.ItemRest), r.topWrong(j, 24, plain), flagWords(it))
		}
		tw.Flush()
		if flagged := r.Flagged(); len(flagged) > 0 {
			fmt.Fprintf(&b, "\nWorth a second look (%d)\n", len(flagged))
			for _, it := range flagged {
				id := r.shortID(it.Question)
				fmt.Fprintf(&b, "\n%s: %s\n", plain(id), clipText(plain(it.Prompt), width-len(id)-2))
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
	// One row, written over for every sheet; a question's points take few
	// values across a class, each formatted once.
	row := make([]string, 0, len(head))
	points := map[float64]string{}
	for _, sh := range r.Sheets {
		row = append(row[:0], csvCell(sh.Student), csvCell(sh.Source), num(sh.Score), num(sh.Max), num(sh.Percent), strings.ToLower(result(sh)))
		for _, c := range sh.cells {
			if c.notAsked {
				row = append(row, "") // not in this sheet's session
				continue
			}
			cell, ok := points[c.points]
			if !ok {
				cell = num(c.points)
				points[c.points] = cell
			}
			row = append(row, cell)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// marshal encodes v as jsonout.Write does (no HTML escaping; C1 controls
// and DEL escaped too), indented by indent after prefix, without the
// encoder's trailing newline.
func marshal(v any, prefix, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent(prefix, indent)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return jsonout.EscapeC1(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// writeJSON writes the report as jsonout.Write would, indented, except
// that each sheet and each problem is one line: a class of 10,000 sheets
// stays a file a person can scroll and a program reads in one pass, and
// indenting half a million answers is most of the time grading takes.
func (r *Report) writeJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	field := func(name string, v any, last bool) error {
		data, err := marshal(v, "  ", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "  %q: %s", name, data)
		if !last {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		return nil
	}
	lines := func(name string, n int, item func(i int) any, last bool) error {
		fmt.Fprintf(bw, "  %q: [", name)
		for i := 0; i < n; i++ {
			data, err := marshal(item(i), "", "")
			if err != nil {
				return err
			}
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n    ")
			bw.Write(data)
		}
		if n > 0 {
			bw.WriteString("\n  ")
		}
		bw.WriteByte(']')
		if !last {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		return nil
	}
	bw.WriteString("{\n")
	for _, f := range []struct {
		name string
		v    any
	}{{"pack", r.Pack}, {"title", r.Title}, {"pass", r.Pass}, {"multi", r.Multi}, {"penalty", r.Penalty}} {
		if err := field(f.name, f.v, false); err != nil {
			return err
		}
	}
	fmt.Fprintf(bw, "  %q: [", "sheets")
	var buf []byte
	for i := range r.Sheets {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		buf = appendSheet(buf[:0], &r.Sheets[i])
		bw.Write(buf)
	}
	if len(r.Sheets) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n")
	if err := field("items", r.Items, false); err != nil {
		return err
	}
	if err := field("summary", r.Summary, false); err != nil {
		return err
	}
	if err := field("histogram", r.Histogram, false); err != nil {
		return err
	}
	if err := lines("problems", len(r.Problems), func(i int) any { return r.Problems[i] }, true); err != nil {
		return err
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// appendSheet appends the sheet as marshal writes it (TestJSONShape
// holds the two together); by hand, because a class of 10,000 sheets is
// half a million answers and reflection was a third of the run.
func appendSheet(b []byte, s *Sheet) []byte {
	b = append(b, `{"student":`...)
	b = appendString(b, s.Student)
	b = append(b, `,"pack":`...)
	b = appendString(b, s.Pack)
	if s.Source != "" {
		b = append(b, `,"source":`...)
		b = appendString(b, s.Source)
	}
	b = append(b, `,"score":`...)
	b = appendFloat(b, s.Score)
	b = append(b, `,"max":`...)
	b = appendFloat(b, s.Max)
	b = append(b, `,"percent":`...)
	b = appendFloat(b, s.Percent)
	b = append(b, `,"pass":`...)
	b = strconv.AppendBool(b, s.Passed)
	b = append(b, `,"multi":`...)
	b = appendString(b, s.Multi)
	b = append(b, `,"penalty":`...)
	b = appendFloat(b, s.Penalty)
	b = append(b, `,"answers":[`...)
	first := true
	for j := range s.cells {
		c := &s.cells[j]
		if c.notAsked {
			continue // a play report's sheet lists its session's questions
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"question":`...)
		b = appendString(b, s.tab.ids[j])
		b = append(b, `,"given":`...)
		b = appendString(b, s.tab.texts[c.given])
		b = append(b, `,"correct":`...)
		b = strconv.AppendBool(b, c.correct)
		b = append(b, `,"points":`...)
		b = appendFloat(b, c.points)
		b = append(b, `,"max":`...)
		b = appendFloat(b, c.max)
		if c.hints > 0 {
			b = append(b, `,"hints":`...)
			b = strconv.AppendInt(b, int64(c.hints), 10)
		}
		if c.python > 0 {
			b = append(b, `,"python":`...)
			b = appendString(b, s.tab.versions[c.python-1])
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendString quotes s as encoding/json does: plain printable ASCII is
// copied, anything else goes through marshal.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			q, _ := marshal(s, "", "")
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendFloat writes x as encoding/json does for the rounded values a
// report holds; anything unusual goes through json.Marshal.
func appendFloat(b []byte, x float64) []byte {
	// The report's numbers are rounded to four decimals (round): written
	// from the integer x*10000, which is what strconv's shortest form
	// gives for them, without its general algorithm.
	if a := math.Abs(x); a < 1e11 {
		n := int64(math.Round(x * 10000))
		if float64(n)/10000 == x {
			return appendTenThousandths(b, n)
		}
	}
	if a := math.Abs(x); a != 0 && (a < 1e-6 || a >= 1e21) || math.IsNaN(x) || math.IsInf(x, 0) {
		q, err := json.Marshal(x)
		if err != nil {
			return append(b, "null"...)
		}
		return append(b, q...)
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}

// appendTenThousandths writes n/10000 in the shortest decimal form: 12500
// is 1.25, -3 is -0.0003, 0 is 0.
func appendTenThousandths(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/10000, 10)
	frac := n % 10000
	if frac == 0 {
		return b
	}
	digits := [5]byte{'.', byte('0' + frac/1000), byte('0' + frac/100%10), byte('0' + frac/10%10), byte('0' + frac%10)}
	end := len(digits)
	for digits[end-1] == '0' {
		end--
	}
	return append(b, digits[:end]...)
}

// penaltyText is the report's penalty for people: "per sheet" when the
// sheets were graded on different rules.
func (r *Report) penaltyText() string {
	if r.Penalty == nil {
		return PerSheet
	}
	return num(*r.Penalty)
}

// shortID is a question's id without the pack's prefix, for the human
// formats: every question of a report is from the one pack its title names.
func (r *Report) shortID(full string) string {
	return strings.TrimPrefix(full, r.Pack+"/")
}
