package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	require.NoError(t, cmd.Execute())
	require.NotNil(t, got, "runF not called")
	assert.Equal(t, []string{"a", "b", "c"}, got.Tags)
	assert.Equal(t, []quiz.Difficulty{quiz.Easy, quiz.Hard}, got.diffs)
	if assert.NotNil(t, got.python) {
		assert.Equal(t, "2.7", got.python.String())
	}
	assert.Equal(t, 5, got.N)
	assert.Equal(t, uint64(42), got.seed)
	assert.True(t, got.seedSet)
	assert.True(t, got.NoShuffle)
	assert.Equal(t, quiz.Exam, got.mode)
	assert.Equal(t, 20*time.Minute, got.TimeLimit)
	assert.Equal(t, 90*time.Second, got.QuestionTime)
	assert.Equal(t, 0.25, got.Penalty)
	assert.Equal(t, quiz.AllOrNothing, got.multi)
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
		assert.ErrorAs(t, err, &fe, args)
		assert.ErrorContains(t, err, strings.TrimLeft(args[len(args)-2], "-"), "%v: want the flag named", args)
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
	require.Equal(t, 0, code, errOut)
	for _, want := range []string{
		"Question 1/2 [demo/new-first] (easy)\n",
		"> c\nWrong. The answer is b) __new__.\n  __new__ makes the object.\n",
		"> t\nCorrect.\n",
		"Score: 1/2 (50%)",
		"   Your answer: c) __init__\n   Right answer: b) __new__\n",
	} {
		assert.Contains(t, out, want)
	}
}

func TestPlayInterrupted(t *testing.T) {
	// stdin that never delivers a line, as a person thinking; Ctrl-C has
	// cancelled the context already (no sleep: the first wait sees it).
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, out, errOut := runPlay(t, ctx, pr, "play", "--no-shuffle", "--mode", "exam")
	assert.Equal(t, ExitInterrupted, code)
	assert.Contains(t, out, "Summary", "no summary after Ctrl-C")
	assert.Contains(t, out, "Score: 0/2 (0%)")
	assert.Contains(t, errOut, "interrupted")
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
		assert.Equal(t, tt.want, command(tt.line, tt.it), "command(%s, %q)", tt.it.Question.Type, tt.line)
	}
}

func TestBarePyquiz(t *testing.T) {
	// On a pipe: help.
	code, out, _ := runPlay(t, context.Background(), strings.NewReader(""))
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "Usage:")
}

func TestBarePyquizOnTerminal(t *testing.T) {
	f, out, _ := playFactory(t, strings.NewReader("n\n"))
	f.IOStreams.SetStdinTTY(true)
	f.IOStreams.SetStdoutTTY(true)
	assert.Equal(t, 0, Run(context.Background(), f, nil), "answer n")
	assert.Contains(t, out.String(), "Start a 10-question quiz on the built-in packs? [Y/n]")
	assert.NotContains(t, out.String(), "Question 1/")
	f, out, _ = playFactory(t, strings.NewReader("\nq\n"))
	f.IOStreams.SetStdinTTY(true)
	f.IOStreams.SetStdoutTTY(true)
	assert.Equal(t, 0, Run(context.Background(), f, nil), "answer Enter")
	assert.Contains(t, out.String(), "Question 1/2 [demo/")
	assert.Contains(t, out.String(), "Summary")
}

// TestPlayReportRegrades plays an exam on the built-in packs with shuffled
// choices, then grades the JSON report again from the packs alone, as
// `pyquiz grade` will: the score must be the one the session showed.
func TestPlayReportRegrades(t *testing.T) {
	f, out, errOut := playFactory(t, strings.NewReader(strings.Repeat("a\nb,c\nt\nError\nNothing\nh\nc\n", 6)))
	f.Builtin = questions.FS
	path := filepath.Join(t.TempDir(), "r.json")
	code := Run(context.Background(), f, []string{"play", "--mode", "exam", "--seed", "9", "-n", "30", "--penalty", "0.25", "--report", path})
	require.Equal(t, 0, code, errOut)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var sheet report.Sheet
	require.NoError(t, json.Unmarshal(data, &sheet))
	res, err := f.LoadPacks(nil, false)
	require.NoError(t, err)
	lib := res.Library
	rules := quiz.Rules{Multi: quiz.Partial, Penalty: sheet.Penalty, HintPenalty: -1}
	total, maxTotal := 0.0, 0.0
	for _, a := range sheet.Answers {
		q, err := lib.Question(a.Question)
		require.NoError(t, err)
		maxTotal += q.Points
		if a.Status != "answered" {
			continue
		}
		v, _ := quiz.AskVersion(q, nil)
		if a.Python != "" {
			v, _ = quiz.ParseVersion(a.Python)
		}
		r, err := quiz.ParseResponse(q, a.Given, nil)
		require.NoError(t, err, "%s: given %q does not parse", a.Question, a.Given)
		pts, _, _ := quiz.Score(q, lib.Pack(q.PackID), quiz.KeyFor(q, v), r, a.Hints, rules)
		total += pts
	}
	assert.InDelta(t, sheet.Score, total, 0.001, "regraded score")
	assert.Equal(t, sheet.Max, maxTotal, "regraded max")
	t.Logf("report %v/%v over %d answers", sheet.Score, sheet.Max, len(sheet.Answers))
	want := fmt.Sprintf("Score: %s/%s", render.Points(sheet.Score), render.Points(sheet.Max))
	assert.Contains(t, out.String(), want)
}
