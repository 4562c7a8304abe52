package grade

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

var update = flag.Bool("update", false, "rewrite golden files")

// classReport grades testdata/class: a CSV class, a YAML sheet with
// terminal escapes and Markdown in the name, play's JSON report, a sheet
// for another pack and a broken JSON file.
func classReport(t *testing.T) *Report {
	t.Helper()
	src, err := os.ReadFile("testdata/class/pack.yaml")
	require.NoError(t, err)
	p, probs := quiz.Parse("pack.yaml", src)
	require.Empty(t, probs.Errors())
	files, err := filepath.Glob("testdata/class/*")
	require.NoError(t, err)
	var sheets []string
	for _, f := range files {
		if filepath.Base(f) != "pack.yaml" {
			sheets = append(sheets, f)
		}
	}
	ins, rp := ReadPaths(sheets)
	return Grade(p, ins, rp, Options{Rules: quiz.DefaultRules, Pass: DefaultPass})
}

func TestGolden(t *testing.T) {
	r := classReport(t)
	for _, f := range []Format{Markdown, HTML} {
		var b bytes.Buffer
		require.NoError(t, r.Write(&b, f, WriteOptions{}))
		golden := filepath.Join("testdata", "class."+string(f)+".golden")
		if *update {
			require.NoError(t, os.WriteFile(golden, b.Bytes(), 0o644))
		}
		want, err := os.ReadFile(golden)
		require.NoError(t, err, "run go test ./internal/grade -update to create it")
		assert.Equal(t, string(want), b.String(), "%s differs from %s (go test ./internal/grade -update rewrites it)", f, golden)
	}
}

// TestEscaping: names and answers come from outside; none of them may
// turn into markup or terminal control in any format.
func TestEscaping(t *testing.T) {
	r := classReport(t)
	for _, f := range Formats {
		var b bytes.Buffer
		require.NoError(t, r.Write(&b, f, WriteOptions{}))
		out := b.String()
		assert.NotContains(t, out, "\x1b", "%s: raw escape character", f)
		if f == Markdown || f == HTML {
			assert.NotContains(t, out, "<script>", "%s: raw markup", f)
		}
	}
	var b bytes.Buffer
	require.NoError(t, r.Write(&b, HTML, WriteOptions{}))
	assert.Contains(t, b.String(), `&lt;script&gt;alert(1)&lt;/script&gt;`)
	assert.Contains(t, b.String(), `fay \x1b[31mred\x1b[0m`)
	assert.NotContains(t, b.String(), "<script", "the page is self-contained and runs nothing")
	b.Reset()
	require.NoError(t, r.Write(&b, Markdown, WriteOptions{}))
	assert.Contains(t, b.String(), `fay \\x1b\[31mred\\x1b\[0m \| \*bold\*`)
}

// TestJSONShape: the streamed JSON decodes to the Report it was written
// from, with the fields of PRODUCT.md section 12.
func TestJSONShape(t *testing.T) {
	r := classReport(t)
	var b bytes.Buffer
	require.NoError(t, r.Write(&b, JSON, WriteOptions{}))
	var back Report
	require.NoError(t, json.Unmarshal(b.Bytes(), &back), b.String())
	back.pack = r.pack
	require.Len(t, back.Sheets, len(r.Sheets))
	for i := range r.Sheets {
		assert.Equal(t, r.Sheets[i].Answers(), back.Sheets[i].Answers(), "sheet %d's answers", i)
		back.Sheets[i].cells, back.Sheets[i].tab = r.Sheets[i].cells, r.Sheets[i].tab
	}
	assert.Equal(t, *r, back)
	var generic map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &generic))
	for _, k := range []string{"sheets", "items", "summary", "problems"} {
		assert.Contains(t, generic, k)
	}
	sheet := generic["sheets"].([]any)[0].(map[string]any)
	for _, k := range []string{"student", "pack", "score", "max", "percent", "answers"} {
		assert.Contains(t, sheet, k)
	}
	answer := sheet["answers"].([]any)[0].(map[string]any)
	for _, k := range []string{"question", "given", "correct", "points"} {
		assert.Contains(t, answer, k)
	}
	item := generic["items"].([]any)[0].(map[string]any)
	for _, k := range []string{"question", "facility", "discrimination", "top_wrong", "item_rest", "distractors", "flags"} {
		assert.Contains(t, item, k)
	}
	summary := generic["summary"].(map[string]any)
	for _, k := range []string{"sheets", "mean", "median", "sd", "alpha", "sem"} {
		assert.Contains(t, summary, k)
	}
	assert.Contains(t, b.String(), "\n    {\"student\":\"ada\",", "one sheet a line")
	// appendSheet writes what encoding/json writes for the same values.
	type jsonAnswer struct {
		Question string  `json:"question"`
		Given    string  `json:"given"`
		Correct  bool    `json:"correct"`
		Points   float64 `json:"points"`
		Max      float64 `json:"max"`
		Hints    int     `json:"hints,omitempty"`
		Python   string  `json:"python,omitempty"`
	}
	type jsonSheet struct {
		Student string       `json:"student"`
		Pack    string       `json:"pack"`
		Source  string       `json:"source,omitempty"`
		Score   float64      `json:"score"`
		Max     float64      `json:"max"`
		Percent float64      `json:"percent"`
		Passed  bool         `json:"pass"`
		Multi   string       `json:"multi"`
		Penalty float64      `json:"penalty"`
		Answers []jsonAnswer `json:"answers"`
	}
	odd := sheetWith(Sheet{Student: "<\u2028\"\\\x1b\xff\u009b\x7f>", Score: -0.3333, Max: 1e22, Percent: 1e-7},
		[]Answer{{Question: "q", Given: "a & b", Points: 2.5, Hints: 2, Python: "2.7"}, {Question: "r", NotAsked: true}})
	for _, s := range append(r.Sheets, odd) {
		plain := jsonSheet{Student: s.Student, Pack: s.Pack, Source: s.Source, Score: s.Score, Max: s.Max, Percent: s.Percent, Passed: s.Passed, Multi: s.Multi, Penalty: s.Penalty, Answers: []jsonAnswer{}}
		for _, a := range s.Answers() {
			if !a.NotAsked {
				plain.Answers = append(plain.Answers, jsonAnswer{a.Question, a.Given, a.Correct, a.Points, a.Max, a.Hints, a.Python})
			}
		}
		want, err := marshal(plain, "", "")
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendSheet(nil, &s)))
	}
}

// TestAppendFloat holds the JSON writer's fast path for the report's
// rounded numbers to what encoding/json writes.
func TestAppendFloat(t *testing.T) {
	xs := []float64{0, 1, -1, 0.5, 0.6667, -0.3333, 33.3333, 100, 1e-4, -1e-4, 12345.6789, 1e10 + 0.25, 0.1 + 0.2, 1e-7, 2e21, 123456789012}
	for n := int64(-20000); n <= 20000; n += 7 {
		xs = append(xs, round(float64(n)/10000))
	}
	for _, x := range xs {
		want, err := json.Marshal(x)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendFloat(nil, x)), "%v", x)
	}
}

// TestNum holds num's fast path to what %g writes after rounding to
// hundredths.
func TestNum(t *testing.T) {
	xs := []float64{0, -0.0, 1, -1, 0.5, 2.0 / 3, -1.0 / 3, 33.333, 99.995, 100, 0.004, -0.004, 0.005, 12345.678, 999999.99, 1e6, 1234567.5, 1e22}
	for n := int64(-30000); n <= 30000; n += 7 {
		xs = append(xs, float64(n)/1000)
	}
	for _, x := range xs {
		r := math.Round(x*100) / 100
		if r == 0 {
			r = 0
		}
		assert.Equal(t, fmt.Sprintf("%g", r), num(x), "%v", x)
	}
}
