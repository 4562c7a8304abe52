// Package report writes a finished quiz session as JSON (the stable shape
// `pyquiz grade` reads, PRODUCT.md section 12), Markdown or one
// self-contained HTML page.
package report

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pyquiz/pyquiz/internal/jsonout"
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
	// Order is the order the choices were shown in, as the pack's letters:
	// "c,a,d,b" means the student saw the pack's c as a), its a as b) and
	// so on. Given stays in the pack's letters; Order says what was typed.
	Order string `json:"order,omitempty"`
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
			Status:   r.Status(),
			Hints:    r.Hints,
		}
		if r.Item.VersionShown {
			a.Python = r.Item.Version.String()
		}
		if q := r.Item.Question; q.ChoicesOf != nil {
			// Offered as choices (--choices): record the output chosen, as
			// grade reads an output question's answer.
			if r.Answered && len(r.Response.Choices) == 1 {
				a.Given = q.Choices[r.Response.Choices[0]]
			}
			if !q.ChoicesOf.Answer.Set {
				a.Python = r.Item.Version.String()
			}
		} else if len(r.Item.Order) > 0 {
			a.Order = quiz.Letters(r.Item.Order)
		}
		sh.Answers = append(sh.Answers, a)
	}
	return sh
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

// Write writes the report in format to w.
func Write(w io.Writer, format Format, s *quiz.Session, info Info) error {
	switch format {
	case JSON:
		return jsonout.Write(w, Build(s, info))
	case Markdown:
		return writeMarkdown(w, s, info)
	case HTML:
		return writeHTML(w, s, info)
	}
	return fmt.Errorf("unknown report format %q", format)
}
