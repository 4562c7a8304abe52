package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

// Every string that reaches the page goes through one of the helpers
// below: render.Escape first (control characters, C1 and invalid UTF-8
// become visible escapes such as \x1b), then HTML escaping. Fields given
// to the template as plain strings are escaped the same way by htmlSafe.

// htmlSafe is pack or student text for the page (the template escapes the HTML).
func htmlSafe(s string) string { return render.Escape(s) }

// htmlEsc is text escaped for a page fragment built here.
func htmlEsc(s string) string { return template.HTMLEscapeString(render.Escape(s)) }

// htmlText is pack prose as HTML: code spans become <code>, paragraphs
// are kept apart.
func htmlText(s string) template.HTML {
	paras := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paras {
		var b strings.Builder
		for _, pc := range pieces(p) {
			if pc.code {
				b.WriteString("<code>" + htmlEsc(pc.text) + "</code>")
			} else {
				b.WriteString(htmlEsc(pc.text))
			}
		}
		paras[i] = b.String()
	}
	return template.HTML(strings.Join(paras, "<br><br>"))
}

// htmlAnswer is an answer as the student saw it: choices with the letters
// shown, an output on its lines, or a status.
func htmlAnswer(it *quiz.Item, text string, picks []int, ok bool) template.HTML {
	q := it.Question
	switch {
	case !ok:
		return template.HTML(htmlEsc(text))
	case q.Type == quiz.Single || q.Type == quiz.Multi:
		var parts []string
		for _, i := range shownPicks(it, picks) {
			parts = append(parts, quiz.Letter(i)+") "+string(htmlText(q.Choices[it.Order[i]])))
		}
		return template.HTML(strings.Join(parts, ", "))
	case q.Type == quiz.TrueFalse:
		return template.HTML(htmlEsc(text))
	case strings.Contains(strings.TrimRight(text, "\n"), "\n"):
		return template.HTML(`<pre class="ans">` + htmlEsc(strings.TrimRight(text, "\n")) + "</pre>")
	}
	return template.HTML("<code>" + htmlEsc(text) + "</code>")
}

// signed shows a score with a true minus sign and marks a negative one, so
// "-0.25/2 -12%" under negative marking reads as the loss it is.
func signed(x float64) template.HTML {
	s := pts(x)
	if strings.HasPrefix(s, "-") {
		return template.HTML(`<span class="neg">−` + s[1:] + `</span>`)
	}
	return template.HTML(s)
}

func percent(x float64) template.HTML {
	s := fmt.Sprintf("%.0f%%", math.Round(x))
	if strings.HasPrefix(s, "-") && s != "-0%" {
		return template.HTML(`<span class="neg">−` + s[1:] + `</span>`)
	}
	return template.HTML(strings.TrimPrefix(s, "-"))
}

type htmlItem struct {
	N                int
	ID               string
	Prompt, Explain  template.HTML
	Code             template.HTML
	Choices          []template.HTML
	Given, Key       template.HTML
	Correct, Partial bool
	Points           template.HTML
	Max              string
	Feedback         []template.HTML
}

type htmlRow struct {
	Name               string
	Questions, Correct int
	Points             template.HTML
	Max                string
	Percent            template.HTML
}

type htmlGroup struct {
	Title string
	Rows  []htmlRow
}

var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pyquiz report: {{.Pack}}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}
table{border-collapse:collapse}td,th{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right}
.score{font-size:1.3rem;font-weight:bold}
.q{border-left:4px solid #c33;padding:.2rem 1rem;margin:1.2rem 0}
.q.ok{border-color:#2a2}.q.part{border-color:#d90}
pre{padding:.6rem;overflow:auto}pre.ans{background:#f6f8fa;margin:.3rem 0}
code{background:#f0f0f0;padding:0 .2rem;border-radius:3px}pre code{background:none;padding:0}
.exp{color:#555}.fb{color:#a50}.neg{color:#c33}
</style></head><body>
<h1>pyquiz report: {{.Pack}}</h1>
<p>{{if .Student}}Student: {{.Student}} · {{end}}Mode: {{.Mode}}{{if .Started}} · Started {{.Started}}{{end}} · Time {{.Time}}</p>
<p class="score">Score: {{.Score}}/{{.Max}} ({{.Percent}})</p>
{{range .Groups}}{{if .Rows}}<h2>{{.Title}}</h2>
<table><tr><th></th><th>questions</th><th>right</th><th>points</th><th>percent</th></tr>
{{range .Rows}}<tr><td>{{.Name}}</td><td class="n">{{.Questions}}</td><td class="n">{{.Correct}}</td><td class="n">{{.Points}} of {{.Max}}</td><td class="n">{{.Percent}}</td></tr>
{{end}}</table>{{end}}{{end}}
<h2>Questions</h2>
{{range .Items}}<div class="q{{if .Correct}} ok{{else if .Partial}} part{{end}}">
<h3>{{.N}}. {{.ID}} ({{.Points}} of {{.Max}})</h3>
<p>{{.Prompt}}</p>
{{.Code}}
{{if .Choices}}<ol type="a">{{range .Choices}}<li>{{.}}</li>{{end}}</ol>{{end}}
<p>Your answer: <b>{{.Given}}</b>{{if not .Correct}}<br>Right answer: <b>{{.Key}}</b>{{end}}</p>
{{range .Feedback}}<p class="fb">{{.}}</p>{{end}}
{{if .Explain}}<p class="exp">{{.Explain}}</p>{{end}}
</div>
{{end}}</body></html>
`))
})

func writeHTML(w io.Writer, s *quiz.Session, info Info) error {
	sh := Build(s, info)
	sum := s.Summary()
	data := struct {
		Pack, Student, Mode, Started string
		Score                        template.HTML
		Max                          string
		Percent                      template.HTML
		Time                         string
		Groups                       []htmlGroup
		Items                        []htmlItem
	}{
		Pack: htmlSafe(sh.Pack), Student: htmlSafe(sh.Student), Mode: sh.Mode, Started: sh.Started,
		Score: signed(sh.Score), Max: pts(sh.Max), Percent: percent(sh.Percent),
		Time: info.Duration.Round(time.Second).String(),
	}
	for _, g := range groups(sum) {
		hg := htmlGroup{Title: g.title}
		for _, x := range g.rows {
			hg.Rows = append(hg.Rows, htmlRow{htmlSafe(x.Name), x.Questions, x.Correct, signed(x.Points), pts(x.Max), percent(x.Percent())})
		}
		data.Groups = append(data.Groups, hg)
	}
	for i, r := range s.Records {
		it := r.Item
		q := it.Question
		given, gok := givenRaw(r)
		hi := htmlItem{
			N: i + 1, ID: htmlSafe(q.FullID()), Prompt: htmlText(prompt(it)),
			Given:   htmlAnswer(it, given, r.Response.Choices, gok),
			Key:     htmlAnswer(it, quiz.KeyText(q, it.Key), it.Key.Choices, true),
			Explain: htmlText(q.Explanation), Correct: r.Correct,
			Partial: !r.Correct && r.Points > 0, Points: signed(r.Points), Max: pts(r.Max),
		}
		if q.Code != "" {
			hi.Code = template.HTML(render.HTMLCode(q.Code))
		}
		for _, c := range it.Order {
			hi.Choices = append(hi.Choices, htmlText(q.Choices[c]))
		}
		if r.Answered && !r.Correct {
			for _, f := range quiz.FeedbackFor(q, it.Key, r.Response) {
				hi.Feedback = append(hi.Feedback, htmlText(f))
			}
		}
		data.Items = append(data.Items, hi)
	}
	return page().Execute(w, data)
}
