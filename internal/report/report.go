// Package report writes a finished quiz session as JSON (the stable shape
// `pyquiz grade` reads, PRODUCT.md section 12), Markdown or one
// self-contained HTML page.
package report

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pyquiz/pyquiz/quiz"
)

// Info is what the report says about the session beyond its records.
type Info struct {
	Student  string
	Started  time.Time
	Duration time.Duration
	Seed     uint64
}

// Sheet is the JSON report: one answer sheet. Field names are stable.
type Sheet struct {
	Student         string   `json:"student"`
	Pack            string   `json:"pack"`
	Score           float64  `json:"score"`
	Max             float64  `json:"max"`
	Percent         float64  `json:"percent"`
	Answers         []Answer `json:"answers"`
	Mode            string   `json:"mode"`
	Started         string   `json:"started"`
	DurationSeconds float64  `json:"duration_seconds"`
	Seed            uint64   `json:"seed"`
	Multi           string   `json:"multi"`
	Penalty         float64  `json:"penalty"`
}

// Answer is one question of a sheet. Given is canonical: choice letters as
// the pack writes them ("a,c"), whatever order they were shown in; "true" or
// "false"; the text typed; "" when unanswered.
type Answer struct {
	Question string  `json:"question"` // full id pack/question
	Given    string  `json:"given"`
	Correct  bool    `json:"correct"`
	Points   float64 `json:"points"`
	Max      float64 `json:"max"`
	Status   string  `json:"status"`           // answered, skipped, timeout, not-reached
	Python   string  `json:"python,omitempty"` // the version an output question was asked on
	Hints    int     `json:"hints,omitempty"`
}

func round(x float64) float64 {
	x = math.Round(x*10000) / 10000
	if x == 0 {
		return 0
	}
	return x
}

// Build turns a session into a sheet.
func Build(s *quiz.Session, info Info) Sheet {
	sum := s.Summary()
	sh := Sheet{
		Student:         info.Student,
		Pack:            packIDs(s),
		Score:           round(sum.Total.Points),
		Max:             round(sum.Total.Max),
		Percent:         round(sum.Total.Percent()),
		Answers:         []Answer{},
		Mode:            string(s.Config.Mode),
		DurationSeconds: math.Round(info.Duration.Seconds()*10) / 10,
		Seed:            info.Seed,
		Multi:           s.Config.Rules.Multi.String(),
		Penalty:         s.Config.Rules.Penalty,
	}
	if !info.Started.IsZero() {
		sh.Started = info.Started.UTC().Format(time.RFC3339)
	}
	for _, r := range s.Records {
		a := Answer{
			Question: r.Item.Question.FullID(),
			Given:    r.Given,
			Correct:  r.Correct,
			Points:   round(r.Points),
			Max:      round(r.Max),
			Status:   status(r),
			Hints:    r.Hints,
		}
		if r.Item.VersionShown {
			a.Python = r.Item.Version.String()
		}
		sh.Answers = append(sh.Answers, a)
	}
	return sh
}

func status(r quiz.Record) string {
	switch {
	case r.Answered:
		return "answered"
	case r.Skipped:
		return "skipped"
	case r.TimedOut:
		return "timeout"
	}
	return "not-reached"
}

func packIDs(s *quiz.Session) string {
	seen := map[string]bool{}
	var ids []string
	for _, it := range s.Items {
		if !seen[it.Question.PackID] {
			seen[it.Question.PackID] = true
			ids = append(ids, it.Question.PackID)
		}
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

// Format is a report format chosen by file extension.
type Format string

// The report formats.
const (
	JSON     Format = "json"
	Markdown Format = "md"
	HTML     Format = "html"
)

// FormatOf picks the format from a file name: .json, .md (.markdown), .html (.htm).
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return JSON, nil
	case ".md", ".markdown":
		return Markdown, nil
	case ".html", ".htm":
		return HTML, nil
	}
	return "", fmt.Errorf("%s: unknown report format (use a .json, .md or .html file name)", path)
}

// WriteFile writes the report in the format its extension names. The file
// is written whole to a temporary name and renamed, so a reader never sees
// half a report.
func WriteFile(path string, s *quiz.Session, info Info) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pyquiz-report-*")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := Write(tmp, format, s, info); err != nil {
		tmp.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// Write writes the report in format to w.
func Write(w io.Writer, format Format, s *quiz.Session, info Info) error {
	switch format {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(Build(s, info))
	case Markdown:
		return writeMarkdown(w, s, info)
	case HTML:
		return writeHTML(w, s, info)
	}
	return fmt.Errorf("unknown report format %q", format)
}

func pts(x float64) string {
	x = math.Round(x*100) / 100
	if x == 0 {
		x = 0
	}
	return fmt.Sprintf("%g", x)
}

func givenText(r quiz.Record) string {
	return givenTextEsc(r, func(s string) string { return s })
}

// choiceList is "a) x, c) y" in the pack's letters, with the texts escaped.
func choiceList(q *quiz.Question, idx []int, esc func(string) string) string {
	parts := make([]string, len(idx))
	for i, c := range idx {
		parts[i] = quiz.Letter(c) + ") " + esc(q.Choices[c])
	}
	return strings.Join(parts, ", ")
}

func keyTextEsc(it *quiz.Item, esc func(string) string) string {
	if q := it.Question; q.Type == quiz.Single || q.Type == quiz.Multi {
		return choiceList(q, it.Key.Choices, esc)
	}
	return esc(oneLine(quiz.KeyText(it.Question, it.Key)))
}

func givenTextEsc(r quiz.Record, esc func(string) string) string {
	q := r.Item.Question
	switch {
	case r.Skipped:
		return "(skipped)"
	case r.TimedOut:
		return "(time ran out)"
	case r.NotReached:
		return "(not reached)"
	case !r.Answered:
		return "(no answer)"
	}
	if q.Type == quiz.Single || q.Type == quiz.Multi {
		return choiceList(q, r.Response.Choices, esc)
	}
	return esc(oneLine(r.Given))
}

func prompt(it *quiz.Item) string {
	p := strings.TrimSpace(it.Question.Prompt)
	if it.VersionShown {
		p = fmt.Sprintf("On Python %s: %s", it.Version, p)
	}
	return p
}

// mdEscape keeps pack text from turning into Markdown structure or HTML
// in a renderer: the characters that start markup are backslash-escaped.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|", r) {
			b.WriteByte('\\')
		}
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func fence(code string) string {
	f := "```"
	for strings.Contains(code, f) {
		f += "`"
	}
	return f + "python\n" + strings.TrimRight(code, "\n") + "\n" + f
}

func writeMarkdown(w io.Writer, s *quiz.Session, info Info) error {
	sh := Build(s, info)
	sum := s.Summary()
	var b strings.Builder
	fmt.Fprintf(&b, "# pyquiz report: %s\n\n", mdEscape(sh.Pack))
	if sh.Student != "" {
		fmt.Fprintf(&b, "- Student: %s\n", mdEscape(sh.Student))
	}
	fmt.Fprintf(&b, "- Mode: %s\n", sh.Mode)
	if sh.Started != "" {
		fmt.Fprintf(&b, "- Started: %s\n", sh.Started)
	}
	fmt.Fprintf(&b, "- Time: %s\n", info.Duration.Round(time.Second))
	fmt.Fprintf(&b, "- Score: **%s/%s (%.0f%%)**\n\n", pts(sh.Score), pts(sh.Max), sh.Percent)
	group := func(title string, gs []quiz.Group) {
		if len(gs) == 0 {
			return
		}
		fmt.Fprintf(&b, "## %s\n\n| %s | questions | right | points | percent |\n| --- | ---: | ---: | ---: | ---: |\n", title, strings.ToLower(strings.TrimPrefix(title, "By ")))
		for _, g := range gs {
			fmt.Fprintf(&b, "| %s | %d | %d | %s/%s | %.0f%% |\n", mdEscape(g.Name), g.Questions, g.Correct, pts(g.Points), pts(g.Max), g.Percent())
		}
		b.WriteString("\n")
	}
	group("By difficulty", sum.ByDifficulty)
	group("By tag", sum.ByTag)
	b.WriteString("## Questions\n")
	for i, r := range s.Records {
		it := r.Item
		q := it.Question
		mark := "✗"
		if r.Correct {
			mark = "✓"
		}
		fmt.Fprintf(&b, "\n### %d. %s %s (%s/%s)\n\n%s\n", i+1, mdEscape(q.FullID()), mark, pts(r.Points), pts(r.Max), mdEscape(prompt(it)))
		if q.Code != "" {
			fmt.Fprintf(&b, "\n%s\n", fence(q.Code))
		}
		if len(q.Choices) > 0 {
			b.WriteString("\n")
			for c, text := range q.Choices {
				fmt.Fprintf(&b, "- %s) %s\n", quiz.Letter(c), mdEscape(text))
			}
		}
		fmt.Fprintf(&b, "\n- Your answer: %s\n", givenTextEsc(r, mdEscape))
		fmt.Fprintf(&b, "- Right answer: %s\n", keyTextEsc(it, mdEscape))
		if e := strings.TrimSpace(q.Explanation); e != "" {
			fmt.Fprintf(&b, "\n%s\n", mdEscape(e))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string {
	return strings.Join(strings.Split(strings.TrimRight(s, "\n"), "\n"), " / ")
}

type htmlItem struct {
	N                   int
	ID, Prompt, Code    string
	Choices             []string
	Given, Key, Explain string
	Correct, Partial    bool
	Points, Max         string
	Feedback            []string
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pyquiz report: {{.Sheet.Pack}}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}
table{border-collapse:collapse}td,th{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:left}
.score{font-size:1.3rem;font-weight:bold}
.q{border-left:4px solid #c33;padding:.2rem 1rem;margin:1.2rem 0}
.q.ok{border-color:#2a2}.q.part{border-color:#d90}
pre{background:#f6f6f6;padding:.6rem;overflow:auto}
.exp{color:#555}.fb{color:#a50}
</style></head><body>
<h1>pyquiz report: {{.Sheet.Pack}}</h1>
<p>{{if .Sheet.Student}}Student: {{.Sheet.Student}} · {{end}}Mode: {{.Sheet.Mode}}{{if .Sheet.Started}} · Started {{.Sheet.Started}}{{end}} · Time {{.Time}}</p>
<p class="score">Score: {{.Score}}/{{.Max}} ({{.Percent}})</p>
{{range .Groups}}{{if .Rows}}<h2>{{.Title}}</h2>
<table><tr><th></th><th>questions</th><th>right</th><th>points</th><th>percent</th></tr>
{{range .Rows}}<tr><td>{{.Name}}</td><td>{{.Questions}}</td><td>{{.Correct}}</td><td>{{.Points}}</td><td>{{.Percent}}</td></tr>
{{end}}</table>{{end}}{{end}}
<h2>Questions</h2>
{{range .Items}}<div class="q{{if .Correct}} ok{{else if .Partial}} part{{end}}">
<h3>{{.N}}. {{.ID}} ({{.Points}}/{{.Max}})</h3>
<p>{{.Prompt}}</p>
{{if .Code}}<pre><code>{{.Code}}</code></pre>{{end}}
{{if .Choices}}<ol type="a">{{range .Choices}}<li>{{.}}</li>{{end}}</ol>{{end}}
<p>Your answer: <b>{{.Given}}</b>{{if not .Correct}}<br>Right answer: <b>{{.Key}}</b>{{end}}</p>
{{range .Feedback}}<p class="fb">{{.}}</p>{{end}}
{{if .Explain}}<p class="exp">{{.Explain}}</p>{{end}}
</div>
{{end}}</body></html>
`))

type htmlRow struct {
	Name               string
	Questions, Correct int
	Points, Percent    string
}

type htmlGroup struct {
	Title string
	Rows  []htmlRow
}

func writeHTML(w io.Writer, s *quiz.Session, info Info) error {
	sh := Build(s, info)
	sum := s.Summary()
	data := struct {
		Sheet                     Sheet
		Score, Max, Percent, Time string
		Groups                    []htmlGroup
		Items                     []htmlItem
	}{Sheet: sh, Score: pts(sh.Score), Max: pts(sh.Max), Percent: fmt.Sprintf("%.0f%%", sh.Percent), Time: info.Duration.Round(time.Second).String()}
	for _, g := range []struct {
		title string
		gs    []quiz.Group
	}{{"By difficulty", sum.ByDifficulty}, {"By tag", sum.ByTag}} {
		hg := htmlGroup{Title: g.title}
		for _, x := range g.gs {
			hg.Rows = append(hg.Rows, htmlRow{x.Name, x.Questions, x.Correct, pts(x.Points) + "/" + pts(x.Max), fmt.Sprintf("%.0f%%", x.Percent())})
		}
		data.Groups = append(data.Groups, hg)
	}
	for i, r := range s.Records {
		it := r.Item
		q := it.Question
		hi := htmlItem{
			N: i + 1, ID: q.FullID(), Prompt: prompt(it), Code: strings.TrimRight(q.Code, "\n"),
			Choices: q.Choices, Given: givenText(r), Key: quiz.KeyText(q, it.Key),
			Explain: strings.TrimSpace(q.Explanation), Correct: r.Correct,
			Partial: !r.Correct && r.Points > 0, Points: pts(r.Points), Max: pts(r.Max),
		}
		if r.Answered && !r.Correct {
			hi.Feedback = quiz.FeedbackFor(q, it.Key, r.Response)
		}
		data.Items = append(data.Items, hi)
	}
	return page.Execute(w, data)
}
