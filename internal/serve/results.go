package serve

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"

	"github.com/pyquiz/pyquiz/internal/report"
)

// ResultsFunc writes the report of a session's sheets as json, csv or html,
// in the shapes `pyquiz grade` writes.
type ResultsFunc func(w io.Writer, format, title string, sheets []report.Sheet) error

// resultFormats are the downloads the host page offers.
var resultFormats = map[string]string{
	"json": "application/json; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
	"html": "text/html; charset=utf-8",
}

func (s *Server) writeResults(ctx context.Context, w io.Writer, c *session, format string) error {
	sh, err := s.sheets(ctx, c)
	if err != nil {
		return err
	}
	fn := s.opts.Results
	if fn == nil {
		fn = basicResults
	}
	return fn(w, format, c.set.Title, reportSheets(sh))
}

// basicResults is the report without item analysis: the sheets and the
// score statistics.
func basicResults(w io.Writer, format, title string, sheets []report.Sheet) error {
	pcts := make([]float64, len(sheets))
	for i, sh := range sheets {
		pcts[i] = sh.Percent
	}
	mean, median, sd := describe(pcts)
	summary := map[string]any{"sheets": len(sheets), "mean": mean, "median": median, "sd": sd}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"sheets": sheets, "items": []any{}, "summary": summary, "problems": []any{}})
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"student", "score", "max", "percent"})
		for _, sh := range sheets {
			cw.Write([]string{csvSafe(sh.Student), fmt.Sprint(sh.Score), fmt.Sprint(sh.Max), fmt.Sprint(sh.Percent)})
		}
		cw.Flush()
		return cw.Error()
	case "html":
		return basicHTML.Execute(w, map[string]any{"Title": title, "Sheets": sheets, "Summary": summary})
	}
	return fmt.Errorf("unknown results format %q", format)
}

// csvSafe keeps a spreadsheet from reading a name as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

func describe(xs []float64) (mean, median, sd float64) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	for _, x := range s {
		mean += x
	}
	mean /= float64(len(s))
	if len(s)%2 == 1 {
		median = s[len(s)/2]
	} else {
		median = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	for _, x := range s {
		sd += (x - mean) * (x - mean)
	}
	if len(s) > 1 {
		sd = math.Sqrt(sd / float64(len(s)-1))
	} else {
		sd = 0
	}
	r := func(x float64) float64 { return math.Round(x*100) / 100 }
	return r(mean), r(median), r(sd)
}

var basicHTML = template.Must(template.New("r").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} results</title></head>
<body><h1>{{.Title}}: results</h1>
<p>{{.Summary.sheets}} participant(s), mean {{.Summary.mean}}%, median {{.Summary.median}}%</p>
<table><tr><th>student</th><th>score</th><th>max</th><th>percent</th></tr>
{{range .Sheets}}<tr><td>{{.Student}}</td><td>{{.Score}}</td><td>{{.Max}}</td><td>{{.Percent}}</td></tr>
{{end}}</table></body></html>
`))

// resultsView is the report as the host page shows it, read back from the
// JSON report so the page and the download never disagree.
type resultsView struct {
	Sheets []struct {
		Student string  `json:"student"`
		Score   float64 `json:"score"`
		Max     float64 `json:"max"`
		Percent float64 `json:"percent"`
	} `json:"sheets"`
	Items []struct {
		Question       string   `json:"question"`
		Facility       *float64 `json:"facility"`
		Discrimination *float64 `json:"discrimination"`
		TopWrong       string   `json:"top_wrong"`
		Flagged        any      `json:"flagged"`
	} `json:"items"`
	Summary struct {
		Sheets int      `json:"sheets"`
		Mean   float64  `json:"mean"`
		Median float64  `json:"median"`
		SD     float64  `json:"sd"`
		Alpha  *float64 `json:"alpha"`
	} `json:"summary"`
}

func (s *Server) resultsView(ctx context.Context, c *session) (*resultsView, error) {
	var b bytes.Buffer
	if err := s.writeResults(ctx, &b, c, "json"); err != nil {
		return nil, err
	}
	v := &resultsView{}
	if err := json.Unmarshal(b.Bytes(), v); err != nil {
		return nil, fmt.Errorf("read back the results: %w", err)
	}
	return v, nil
}
