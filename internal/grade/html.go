package grade

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/pyquiz/pyquiz/internal/render"
)

// htmlText is outside text made safe for the page: html/template escapes
// markup, and control characters are shown as \xNN first, never sent.
func htmlText(s string) string { return render.Escape(s) }

type htmlBar struct {
	X, Y, W, H    int
	LabelX, Count int
	Label         string
	CountY        int
}

type htmlDistractor struct {
	Label                string
	Correct              bool
	Upper, Lower, Total  int
	UpperPct, LowerPct   int // bar widths in percent of the group
	UpperText, LowerText string
}

type htmlItem struct {
	ID, Prompt, Key                    string
	Facility, Discrimination, ItemRest string
	TopWrong                           string
	Answered, Right, Unanswered        int
	Flags                              []string
	FlagCodes                          string
	Distractors                        []htmlDistractor
	Flagged                            bool
}

type htmlSheet struct {
	Student, Score, Percent, Source string
	Passed                          bool
}

var htmlPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("grade").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Grades: {{.Title}}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd}
h3{font-size:1.05rem;margin:.2rem 0}
.sub{color:#666;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.4rem .9rem;min-width:6.5rem}
.card b{display:block;font-size:1.3rem}.card span{color:#666;font-size:.85rem}
table{border-collapse:collapse;width:100%}td,th{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{font-weight:600;background:#fafafa}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.q{border-left:5px solid #ccc;padding:.3rem 1rem;margin:1rem 0;background:#fcfcfc}
.q.flag{border-color:#c62}
.flags{margin:.3rem 0}.flagtag{display:inline-block;background:#fde8dc;color:#8a3200;border-radius:4px;padding:0 .45rem;margin-right:.4rem;font-size:.85rem}
.stats{color:#444;font-size:.9rem}
.ok{color:#1a7f37;font-weight:600}.fail{color:#b42318;font-weight:600}
.bar{display:inline-block;height:.7rem;background:#6b8fc7;vertical-align:middle}.bar.lo{background:#c9a24a}
.key{color:#1a7f37}
.problems li{margin:.2rem 0}
details{margin:.4rem 0}summary{cursor:pointer}
svg text{font:12px system-ui,sans-serif;fill:#333}
</style></head><body>
<h1>Grades: {{.Title}}</h1>
<p class="sub">{{.Sheets}} sheet(s) · pass mark {{.Pass}} · multi {{.Multi}} · penalty {{.Penalty}}</p>
<div class="cards">
<div class="card"><b>{{.Mean}}</b><span>mean of {{.Max}} ({{.MeanPct}})</span></div>
<div class="card"><b>{{.Median}}</b><span>median</span></div>
<div class="card"><b>{{.SD}}</b><span>standard deviation</span></div>
<div class="card"><b>{{.Alpha}}</b><span>Cronbach's alpha</span></div>
<div class="card"><b>{{.SEM}}</b><span>standard error</span></div>
<div class="card"><b>{{.Passed}} / {{.Failed}}</b><span>passed / failed</span></div>
</div>{{if .AlphaNote}}
<p class="stats">Cronbach's alpha and the standard error: {{.AlphaNote}}</p>{{end}}
{{if .Problems}}<h2>Problems ({{len .Problems}})</h2>
<ul class="problems">{{range .Problems}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Flagged}}<h2>Worth a second look ({{len .Flagged}})</h2>
{{range .Flagged}}{{template "item" .}}{{end}}{{end}}
<h2>Scores</h2>
<svg role="img" aria-label="Histogram of scores in percent" width="{{.SVGW}}" height="{{.SVGH}}" viewBox="0 0 {{.SVGW}} {{.SVGH}}">
<line x1="30" y1="{{.Base}}" x2="{{.SVGW}}" y2="{{.Base}}" stroke="#999"/>
{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="#6b8fc7"><title>{{.Label}}: {{.Count}}</title></rect>
<text x="{{.LabelX}}" y="{{.CountY}}" text-anchor="middle">{{if .Count}}{{.Count}}{{end}}</text>
<text x="{{.LabelX}}" y="{{$.LabelY}}" text-anchor="middle">{{.Label}}</text>
{{end}}<text x="30" y="{{.CaptionY}}">score in percent of the maximum; each bar covers 10 percentage points, the last includes 100%</text>
</svg>
<h2>Sheets</h2>
<table><tr><th>student</th><th class="n">score</th><th class="n">percent</th><th>result</th><th>sheet</th></tr>
{{range .SheetRows}}<tr><td>{{.Student}}</td><td class="n">{{.Score}}</td><td class="n">{{.Percent}}</td><td>{{if .Passed}}<span class="ok">pass</span>{{else}}<span class="fail">fail</span>{{end}}</td><td>{{.Source}}</td></tr>
{{end}}</table>
<h2>Questions</h2>
<table><tr><th>question</th><th class="n">facility</th><th class="n">discrimination</th><th class="n">item-rest</th><th>most chosen wrong answer</th><th>flags</th></tr>
{{range .Items}}<tr><td>{{.ID}}</td><td class="n">{{.Facility}}</td><td class="n">{{.Discrimination}}</td><td class="n">{{.ItemRest}}</td><td>{{.TopWrong}}</td><td>{{.FlagCodes}}</td></tr>
{{end}}</table>
<h2>Distractors</h2>
{{range .Items}}{{if not .Flagged}}<details><summary>{{.ID}}</summary>{{template "item" .}}</details>{{end}}{{end}}
</body></html>
{{define "item"}}<div class="q{{if .Flagged}} flag{{end}}">
<h3>{{.ID}}</h3>
<p>{{.Prompt}}</p>
{{if .Flags}}<p class="flags">{{range .Flags}}<span class="flagtag">{{.}}</span>{{end}}</p>{{end}}
<p class="stats">facility {{.Facility}} · discrimination {{.Discrimination}} · item-rest {{.ItemRest}} · {{.Answered}} answered, {{.Right}} right, {{.Unanswered}} unanswered · key <span class="key">{{.Key}}</span></p>
{{if .Distractors}}<table><tr><th>answer</th><th class="n">upper</th><th></th><th class="n">lower</th><th></th><th class="n">all</th></tr>
{{range .Distractors}}<tr><td>{{if .Correct}}<span class="key">✓ {{.Label}}</span>{{else}}{{.Label}}{{end}}</td><td class="n">{{.Upper}}</td><td><span class="bar" style="width:{{.UpperPct}}px"></span></td><td class="n">{{.Lower}}</td><td><span class="bar lo" style="width:{{.LowerPct}}px"></span></td><td class="n">{{.Total}}</td></tr>
{{end}}</table>{{end}}
</div>{{end}}
`))
})

func (r *Report) writeHTML(w io.Writer) error {
	s := r.Summary
	title := r.Pack
	if r.Title != "" {
		title = r.Title + " (" + r.Pack + ")"
	}
	data := struct {
		Title, Pass, Multi, Penalty                string
		Sheets, Passed, Failed                     int
		Mean, Max, MeanPct, Median, SD, Alpha, SEM string
		AlphaNote                                  string
		Problems                                   []string
		Flagged, Items                             []htmlItem
		SheetRows                                  []htmlSheet
		Bars                                       []htmlBar
		SVGW, SVGH, Base, LabelY, CaptionY         int
	}{
		Title: htmlText(title), Pass: pct(r.Pass), Multi: r.Multi, Penalty: r.penaltyText(),
		Sheets: s.Sheets, Passed: s.Passed, Failed: s.Failed,
		Mean: num(s.Mean), Max: num(s.Max), MeanPct: pct(s.MeanPercent), Median: num(s.Median), SD: num(s.SD),
		Alpha: stat(s.Alpha), SEM: stat(s.SEM), AlphaNote: s.AlphaNote,
	}
	for _, p := range r.Problems {
		data.Problems = append(data.Problems, htmlText(p.String()))
	}
	for _, sh := range r.Sheets {
		data.SheetRows = append(data.SheetRows, htmlSheet{Student: htmlText(sh.Student), Score: num(sh.Score) + "/" + num(sh.Max),
			Percent: pct(sh.Percent), Source: htmlText(sh.Source), Passed: sh.Passed})
	}
	for j, it := range r.Items {
		hi := r.htmlItem(it)
		hi.TopWrong = r.topWrong(j, 60, htmlText)
		if hi.Flagged {
			data.Flagged = append(data.Flagged, hi)
		}
		data.Items = append(data.Items, hi)
	}
	// The histogram: ten bars of 10% each, scaled to the tallest.
	const barW, gap, chartH = 52, 8, 160
	data.SVGW, data.SVGH = 30+len(r.Histogram)*(barW+gap), chartH+70
	data.Base, data.LabelY, data.CaptionY = chartH+20, chartH+38, chartH+62
	most := 1
	for _, b := range r.Histogram {
		most = max(most, b.Count)
	}
	for i, b := range r.Histogram {
		h := b.Count * chartH / most
		x := 30 + i*(barW+gap)
		data.Bars = append(data.Bars, htmlBar{X: x, Y: data.Base - h, W: barW, H: h, LabelX: x + barW/2, Count: b.Count,
			CountY: data.Base - h - 4, Label: fmt.Sprintf("%d%%", b.From)})
	}
	return htmlPage().Execute(w, data)
}

func (r *Report) htmlItem(it Item) htmlItem {
	hi := htmlItem{ID: htmlText(r.shortID(it.Question)), Prompt: htmlText(it.Prompt), Key: htmlText(it.Key),
		Facility: stat(it.Facility), Discrimination: stat(it.Discrimination), ItemRest: stat(it.ItemRest),
		TopWrong: "-", Answered: it.Answered, Right: it.Right, Unanswered: it.Unanswered, Flagged: it.Flagged()}
	for _, f := range it.Flags {
		hi.Flags = append(hi.Flags, FlagText(f))
	}
	hi.FlagCodes = strings.Join(it.Flags, ", ")
	g := max(r.Summary.GroupSize, 1)
	for _, d := range it.Distractors {
		label := d.Text
		if d.Answer != "" && d.Answer != d.Text {
			label = d.Answer + ") " + d.Text
		}
		hi.Distractors = append(hi.Distractors, htmlDistractor{Label: htmlText(clipText(label, 80)), Correct: d.Correct,
			Upper: d.Upper, Lower: d.Lower, Total: d.Total, UpperPct: min(100, d.Upper*100/g), LowerPct: min(100, d.Lower*100/g)})
	}
	return hi
}
