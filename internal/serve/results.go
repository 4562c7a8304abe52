package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/pyquiz/pyquiz/internal/grade"
	"github.com/pyquiz/pyquiz/quiz"
)

// resultFormats are the downloads the host page offers.
var resultFormats = map[string]string{
	"json": "application/json; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
	"html": "text/html; charset=utf-8",
}

// GradeInput is what `pyquiz grade` would be given for this session: the
// session's questions as one pack and every participant's answers as an
// answer sheet (canonical letters, whatever order each participant saw).
func (s *Server) GradeInput(ctx context.Context, id string) (*quiz.Pack, []grade.Input, grade.Options, error) {
	c, err := s.session(ctx, id)
	if err != nil {
		return nil, nil, grade.Options{}, err
	}
	return s.gradeInput(ctx, c)
}

func (s *Server) gradeInput(ctx context.Context, c *session) (*quiz.Pack, []grade.Input, grade.Options, error) {
	sh, err := s.sheets(ctx, c)
	if err != nil {
		return nil, nil, grade.Options{}, err
	}
	pk := c.pack(s.opts.Packs)
	var ins []grade.Input
	for _, x := range sh {
		in := grade.Input{Sheet: quiz.Sheet{Student: x.p.Name, Pack: pk.ID}, File: x.p.Name}
		for _, r := range x.sess.Records {
			a := quiz.SheetAnswer{Question: r.Item.Question.ID, Given: r.Given, Hints: r.Hints}
			if r.Item.Question.PackID != pk.ID {
				a.Question = r.Item.Question.FullID() // two packs may share an id
			}
			if !r.Answered {
				a.Given = ""
			}
			if r.Item.VersionShown {
				a.Python = r.Item.Version.String()
			}
			in.Sheet.Answers = append(in.Sheet.Answers, a)
		}
		ins = append(ins, in)
	}
	rules := c.rules
	if c.set.Mode != quiz.Exam {
		rules.Penalty = 0
	}
	return pk, ins, grade.Options{Rules: rules, Pass: grade.DefaultPass, Python: c.py}, nil
}

// pack is the session's questions as one pack, for grade: the pack's own
// id when they come from one pack, else the ids joined by commas, each
// question keeping its own pack's hint penalty (quiz.Combine, as grade
// --pack a,b does).
func (c *session) pack(packs map[string]*quiz.Pack) *quiz.Pack {
	return quiz.Combine(c.set.Title, c.qs, packs)
}

// report grades the session with grade: the host's report is exactly what
// `pyquiz grade` gives on the same answers.
func (s *Server) report(ctx context.Context, c *session) (*grade.Report, error) {
	pk, ins, opts, err := s.gradeInput(ctx, c)
	if err != nil {
		return nil, err
	}
	return grade.Grade(pk, ins, nil, opts), nil
}

func (s *Server) writeResults(ctx context.Context, w io.Writer, c *session, format string) error {
	r, err := s.report(ctx, c)
	if err != nil {
		return err
	}
	f, err := grade.ParseFormat(format)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	return r.Write(w, f, grade.WriteOptions{})
}

// resultsView is the report as the host page shows it, read back from the
// JSON report so the page and the download never disagree.
type resultsView struct {
	Sheets []struct {
		Student string  `json:"student"`
		Score   float64 `json:"score"`
		Max     float64 `json:"max"`
		Percent float64 `json:"percent"`
		Pass    bool    `json:"pass"`
	} `json:"sheets"`
	Items []struct {
		Question       string   `json:"question"`
		Facility       *float64 `json:"facility"`
		Discrimination *float64 `json:"discrimination"`
		TopWrong       string   `json:"top_wrong"`
		Flags          []string `json:"flags"`
	} `json:"items"`
	Summary struct {
		Sheets      int      `json:"sheets"`
		Max         float64  `json:"max"`
		Mean        float64  `json:"mean"`
		Median      float64  `json:"median"`
		SD          float64  `json:"sd"`
		Alpha       *float64 `json:"alpha"`
		MeanPercent float64  `json:"mean_percent"`
		Passed      int      `json:"passed"`
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
