package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pyquiz/pyquiz/internal/iostreams"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/report"
	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

const playTestPack = `format: 1
pack:
  id: demo
  title: Demo
  version: 1.0.0
questions:
  - id: new-first
    type: single
    prompt: Which method runs first?
    choices: [__create__, __new__, __init__]
    answer: b
    explanation: __new__ makes the object.
    tags: [objects]
    difficulty: easy
  - id: is-int
    type: truefalse
    prompt: True is an int.
    answer: true
    tags: [basics]
    difficulty: easy
`

func playFactory(t *testing.T, stdin io.Reader) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.In = stdin
	dir := t.TempDir()
	f := &Factory{
		IOStreams: ios,
		Getenv:    func(string) string { return "" },
		Now:       time.Now,
		Builtin:   fstest.MapFS{"demo.yaml": {Data: []byte(playTestPack)}},
		DataDir:   func() string { return dir },
		StateDir:  func() string { return dir },
	}
	return f, out, errOut
}

func TestPlayFlagsToOptions(t *testing.T) {
	f, _, _ := playFactory(t, strings.NewReader(""))
	var got *PlayOptions
	cmd := newPlayCmd(f, func(o *PlayOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--pack", "demo", "--tag", "a,b", "--tag", "c", "--difficulty", "easy,HARD", "--python", "2.7",
		"-n", "5", "--seed", "42", "--no-shuffle", "--mode", "exam", "--time-limit", "20m", "--question-time", "90s",
		"--penalty", "0.25", "--multi", "all-or-nothing", "--report", "x.json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Fatal("runF not called")
	}
	if strings.Join(got.Tags, "|") != "a|b|c" || len(got.diffs) != 2 || got.diffs[1] != quiz.Hard {
		t.Errorf("tags %v difficulties %v", got.Tags, got.diffs)
	}
	if got.python == nil || got.python.String() != "2.7" || got.N != 5 || got.seed != 42 || !got.seedSet || !got.NoShuffle {
		t.Errorf("python %v n %d seed %d/%v shuffle %v", got.python, got.N, got.seed, got.seedSet, got.NoShuffle)
	}
	if got.mode != quiz.Exam || got.TimeLimit != 20*time.Minute || got.QuestionTime != 90*time.Second || got.Penalty != 0.25 || got.multi != quiz.AllOrNothing {
		t.Errorf("mode %v limits %v %v penalty %v multi %v", got.mode, got.TimeLimit, got.QuestionTime, got.Penalty, got.multi)
	}
}

func TestPlayFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--mode", "banana"}, {"--seed", "x"}, {"-n", "-3"}, {"--mode", "exam", "--penalty", "2"},
		{"--penalty", "0.5"}, {"--multi", "most"}, {"--python", "four"}, {"--report", "x.txt"}, {"--difficulty", "brutal"},
	} {
		f, _, _ := playFactory(t, strings.NewReader(""))
		cmd := newPlayCmd(f, func(*PlayOptions) error { t.Errorf("%v: runF called", args); return nil })
		cmd.SetArgs(args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		var fe *FlagError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), strings.TrimLeft(args[len(args)-2], "-")) {
			t.Errorf("%v: error %v, want a FlagError naming the flag", args, err)
		}
	}
}

func runPlay(t *testing.T, ctx context.Context, stdin io.Reader, args ...string) (int, string, string) {
	t.Helper()
	f, out, errOut := playFactory(t, stdin)
	code := Run(ctx, f, args)
	return code, out.String(), errOut.String()
}

func TestPlayRun(t *testing.T) {
	code, out, errOut := runPlay(t, context.Background(), strings.NewReader("c\nt\n"), "play", "--no-shuffle")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Question 1/2 [demo/new-first] (easy)\n",
		"> c\nWrong. The answer is b) __new__.\n  __new__ makes the object.\n",
		"> t\nCorrect.\n",
		"Score: 1/2 (50%)",
		"   Your answer: c) __init__\n   Right answer: b) __new__\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestPlayInterrupted(t *testing.T) {
	// stdin that never delivers a line, as a person thinking; Ctrl-C cancels.
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	code, out, errOut := runPlay(t, ctx, pr, "play", "--no-shuffle", "--mode", "exam")
	if code != ExitInterrupted {
		t.Errorf("exit %d, want %d", code, ExitInterrupted)
	}
	if !strings.Contains(out, "Summary") || !strings.Contains(out, "Score: 0/2 (0%)") {
		t.Errorf("no summary after Ctrl-C:\n%s", out)
	}
	if !strings.Contains(errOut, "interrupted") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestPlayCommandKeys(t *testing.T) {
	single := &quiz.Item{Question: &quiz.Question{Type: quiz.Single, Choices: make([]string, 8)}}
	short := &quiz.Item{Question: &quiz.Question{Type: quiz.Short}}
	tf := &quiz.Item{Question: &quiz.Question{Type: quiz.TrueFalse}}
	tests := []struct {
		it   *quiz.Item
		line string
		want string
	}{
		{single, "h", ""}, // the eighth choice
		{single, "hint", "hint"},
		{single, "s", "skip"},
		{single, "Q\n", "quit"},
		{single, "?", "help"},
		{single, "b", ""},
		{short, "h", "hint"},
		{short, "quit", ""}, // may be an answer
		{short, "?", "help"},
		{tf, "skip", "skip"},
		{tf, "t", ""},
	}
	for _, tt := range tests {
		if got := command(tt.line, tt.it); got != tt.want {
			t.Errorf("command(%s, %q) = %q, want %q", tt.it.Question.Type, tt.line, got, tt.want)
		}
	}
}

func TestBarePyquiz(t *testing.T) {
	// On a pipe: help.
	code, out, _ := runPlay(t, context.Background(), strings.NewReader(""))
	if code != 0 || !strings.Contains(out, "Usage:") {
		t.Errorf("pipe: exit %d, output %q", code, out)
	}
}

func TestBarePyquizOnTerminal(t *testing.T) {
	f, out, _ := playFactory(t, strings.NewReader("n\n"))
	f.IOStreams.SetStdinTTY(true)
	f.IOStreams.SetStdoutTTY(true)
	if code := Run(context.Background(), f, nil); code != 0 || !strings.Contains(out.String(), "Start a 10-question quiz on the built-in packs? [Y/n]") || strings.Contains(out.String(), "Question 1/") {
		t.Errorf("answer n: exit %d, output %q", code, out.String())
	}
	f, out, _ = playFactory(t, strings.NewReader("\nq\n"))
	f.IOStreams.SetStdinTTY(true)
	f.IOStreams.SetStdoutTTY(true)
	if code := Run(context.Background(), f, nil); code != 0 || !strings.Contains(out.String(), "Question 1/2 [demo/") || !strings.Contains(out.String(), "Summary") {
		t.Errorf("answer Enter: exit %d, output %q", code, out.String())
	}
}

// TestPlayReportRegrades plays an exam on the built-in packs with shuffled
// choices, then grades the JSON report again from the packs alone, as
// `pyquiz grade` will: the score must be the one the session showed.
func TestPlayReportRegrades(t *testing.T) {
	f, out, errOut := playFactory(t, strings.NewReader(strings.Repeat("a\nb,c\nt\nError\nNothing\nh\nc\n", 6)))
	f.Builtin = questions.FS
	path := filepath.Join(t.TempDir(), "r.json")
	if code := Run(context.Background(), f, []string{"play", "--mode", "exam", "--seed", "9", "-n", "30", "--penalty", "0.25", "--report", path}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var sheet report.Sheet
	if err := json.Unmarshal(data, &sheet); err != nil {
		t.Fatal(err)
	}
	res, err := f.LoadPacks(nil, false)
	if err != nil {
		t.Fatal(err)
	}
	lib := res.Library
	rules := quiz.Rules{Multi: quiz.Partial, Penalty: sheet.Penalty, HintPenalty: -1}
	total, maxTotal := 0.0, 0.0
	for _, a := range sheet.Answers {
		q, err := lib.Question(a.Question)
		if err != nil {
			t.Fatal(err)
		}
		maxTotal += q.Points
		if a.Status != "answered" {
			continue
		}
		v, _ := quiz.AskVersion(q, nil)
		if a.Python != "" {
			v, _ = quiz.ParseVersion(a.Python)
		}
		r, err := quiz.ParseResponse(q, a.Given, nil)
		if err != nil {
			t.Fatalf("%s: given %q does not parse: %v", a.Question, a.Given, err)
		}
		pts, _, _ := quiz.Score(q, lib.Pack(q.PackID), quiz.KeyFor(q, v), r, a.Hints, rules)
		total += pts
	}
	if math.Abs(total-sheet.Score) > 0.001 || maxTotal != sheet.Max {
		t.Errorf("regraded %v/%v, report says %v/%v", total, maxTotal, sheet.Score, sheet.Max)
	}
	t.Logf("report %v/%v over %d answers", sheet.Score, sheet.Max, len(sheet.Answers))
	want := fmt.Sprintf("Score: %s/%s", render.Points(sheet.Score), render.Points(sheet.Max))
	if !strings.Contains(out.String(), want) {
		t.Errorf("session did not show %q", want)
	}
}
