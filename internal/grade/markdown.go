package grade

import (
	"fmt"
	"io"
	"strings"

	"github.com/pyquiz/pyquiz/internal/render"
)

// md escapes outside text for a Markdown table cell or paragraph: the
// characters that start markup are backslash-escaped, control characters
// shown as \xNN, newlines as a visible \n so a cell stays one row.
func md(s string) string {
	s = render.Escape(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\\n`)
		case r == '\t':
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_[]<>|#&", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (r *Report) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	s := r.Summary
	title := r.Pack
	if r.Title != "" {
		title = r.Title + " (" + r.Pack + ")"
	}
	fmt.Fprintf(&b, "# Grades: %s\n\n", md(title))
	fmt.Fprintf(&b, "- Sheets: %d (%d passed, %d failed at %s)\n", s.Sheets, s.Passed, s.Failed, pct(r.Pass))
	fmt.Fprintf(&b, "- Mean: %s/%s (%s), median %s, SD %s\n", num(s.Mean), num(s.Max), pct(s.MeanPercent), num(s.Median), num(s.SD))
	fmt.Fprintf(&b, "- Cronbach's alpha: %s, SEM: %s", stat(s.Alpha), stat(s.SEM))
	if s.AlphaNote != "" {
		fmt.Fprintf(&b, " (%s)", s.AlphaNote)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "- Scoring: multi %s, penalty %s\n", r.Multi, r.penaltyText())
	if flagged := r.Flagged(); len(flagged) > 0 {
		b.WriteString("\n## Worth a second look\n")
		for _, it := range flagged {
			r.mdItem(&b, it)
		}
	}
	b.WriteString("\n## Scores\n\n| percent | sheets |\n| --- | ---: |\n")
	for i, bin := range r.Histogram {
		to := bin.To - 1
		if i == len(r.Histogram)-1 {
			to = bin.To
		}
		fmt.Fprintf(&b, "| %d-%d%% | %d |\n", bin.From, to, bin.Count)
	}
	b.WriteString("\n## Sheets\n\n| student | score | percent | result | sheet |\n| --- | ---: | ---: | --- | --- |\n")
	for _, sh := range r.Sheets {
		fmt.Fprintf(&b, "| %s | %s/%s | %s | %s | %s |\n", md(sh.Student), num(sh.Score), num(sh.Max), pct(sh.Percent), strings.ToLower(result(sh)), md(sh.Source))
	}
	b.WriteString("\n## Questions\n\n| question | facility | discrimination | item-rest | most chosen wrong answer | flags |\n| --- | ---: | ---: | ---: | --- | --- |\n")
	for j, it := range r.Items {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", md(r.shortID(it.Question)), stat(it.Facility), stat(it.Discrimination), stat(it.ItemRest), r.topWrong(j, 40, md), flagWords(it))
	}
	b.WriteString("\n## Distractors\n")
	for _, it := range r.Items {
		if !it.Flagged() {
			r.mdItem(&b, it)
		}
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(&b, "\n## Problems\n\n")
		for _, p := range r.Problems {
			fmt.Fprintf(&b, "- %s\n", md(p.String()))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdItem is one question with its statistics and distractor table.
func (r *Report) mdItem(b *strings.Builder, it Item) {
	fmt.Fprintf(b, "\n### %s\n\n%s\n\n", md(r.shortID(it.Question)), md(it.Prompt))
	for _, f := range it.Flags {
		fmt.Fprintf(b, "- **%s**\n", md(FlagText(f)))
	}
	fmt.Fprintf(b, "- Facility %s, discrimination %s, item-rest %s; %d answered, %d right, %d unanswered\n",
		stat(it.Facility), stat(it.Discrimination), stat(it.ItemRest), it.Answered, it.Right, it.Unanswered)
	fmt.Fprintf(b, "- Key: %s\n", md(it.Key))
	if len(it.Distractors) == 0 {
		return
	}
	b.WriteString("\n| answer | | upper | lower | all |\n| --- | --- | ---: | ---: | ---: |\n")
	for _, d := range it.Distractors {
		label := md(d.Text)
		if d.Answer != "" && d.Answer != d.Text {
			label = d.Answer + ") " + label
		}
		mark := ""
		if d.Correct {
			mark = "✓"
		}
		fmt.Fprintf(b, "| %s | %s | %d | %d | %d |\n", label, mark, d.Upper, d.Lower, d.Total)
	}
}
