package verify

import (
	"context"
	"strings"
	"testing"

	"github.com/pyquiz/pyquiz/internal/pyrun"
	"github.com/pyquiz/pyquiz/quiz"
)

// fakeRunner answers from a table: code -> result per slot.
type fakeRunner map[string][2]pyrun.Result

func (f fakeRunner) Run(ctx context.Context, py pyrun.Interpreter, code string, slot int) (pyrun.Result, error) {
	return f[code][slot], nil
}

func ver(s string) quiz.Version {
	v, err := quiz.ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

func py(s string) pyrun.Interpreter {
	return pyrun.Interpreter{Path: "/py/" + s, Version: ver(s)}
}

func question(id, code string, c string, outs ...quiz.Outcome) *quiz.Question {
	q := &quiz.Question{PackID: "p", ID: id, Type: quiz.Output, Code: code, Expect: outs}
	if c != "" {
		q.Python = quiz.MustConstraint(c)
	}
	return q
}

func same(r pyrun.Result) [2]pyrun.Result { return [2]pyrun.Result{r, r} }

func TestRunStatuses(t *testing.T) {
	runner := fakeRunner{
		"ok":      same(pyrun.Result{Stdout: []byte("1  \n\n\n")}),
		"wrong":   same(pyrun.Result{Stdout: []byte("2\n")}),
		"raises":  same(pyrun.Result{Stdout: []byte("a\n"), Exception: "ZeroDivisionError", ExitCode: 1}),
		"noraise": same(pyrun.Result{Stdout: []byte("a\n")}),
		"exit0":   same(pyrun.Result{Stdout: []byte("a\n"), Exception: "SystemExit"}),
		"loop":    same(pyrun.Result{Stdout: []byte("tick\n"), TimedOut: true, ExitCode: -9}),
		"flood":   same(pyrun.Result{Stdout: []byte("yyyy"), Flooded: true, ExitCode: -9}),
		"hash":    {pyrun.Result{Stdout: []byte("{'a', 'b'}\n")}, pyrun.Result{Stdout: []byte("{'b', 'a'}\n")}},
	}
	qs := []*quiz.Question{
		question("ok", "ok", "", quiz.Outcome{Stdout: "1\n"}),
		question("wrong", "wrong", "", quiz.Outcome{Stdout: "3\n"}),
		question("raises", "raises", "", quiz.Outcome{Stdout: "a\n", Raises: "ZeroDivisionError"}),
		question("unexpected", "raises", "", quiz.Outcome{Stdout: "a\n"}),
		question("missing", "noraise", "", quiz.Outcome{Stdout: "a\n", Raises: "KeyError"}),
		question("exit0", "exit0", "", quiz.Outcome{Stdout: "a\n"}),
		question("loop", "loop", "", quiz.Outcome{Stdout: ""}),
		question("flood", "flood", "", quiz.Outcome{Stdout: ""}),
		question("hash", "hash", "", quiz.Outcome{Stdout: "{'a', 'b'}\n"}),
		question("future", "ok", ">=3.14", quiz.Outcome{Stdout: "1\n"}),
		question("gap", "ok", "", quiz.Outcome{Python: quiz.MustConstraint("2.7"), Stdout: "1\n"}),
	}
	rep, err := Run(context.Background(), qs, Options{Pythons: []pyrun.Interpreter{py("3.12.1")}, Runner: runner, Jobs: 3})
	if err != nil {
		t.Fatal(err)
	}
	rep.Finalize(false)
	want := map[string]Status{
		"p/ok": OK, "p/wrong": Mismatch, "p/raises": OK, "p/unexpected": Mismatch, "p/missing": Mismatch,
		"p/exit0": OK, "p/loop": Timeout, "p/flood": Flood, "p/hash": Nondeterministic, "p/future": Skipped, "p/gap": Error,
	}
	if len(rep.Results) != len(want) {
		t.Fatalf("got %d results, want %d: %+v", len(rep.Results), len(want), rep.Results)
	}
	for _, r := range rep.Results {
		if r.Status != want[r.Question] {
			t.Errorf("%s: got %s (%s), want %s", r.Question, r.Status, r.Message, want[r.Question])
		}
	}
	if rep.Summary.Findings != 7 {
		t.Errorf("got %d findings, want 7", rep.Summary.Findings)
	}
	rep.Finalize(true)
	if rep.Summary.Findings != 8 {
		t.Errorf("--require-all: got %d findings, want 8", rep.Summary.Findings)
	}
	var sb strings.Builder
	WriteText(&sb, rep, false, 80)
	out := sb.String()
	for _, s := range []string{"ok        p/ok", "MISMATCH  p/unexpected", "raised ZeroDivisionError, which expect does not say",
		"- [ends normally]", "+ [raises ZeroDivisionError]", "MISMATCH  p/missing", "- [raises KeyError]", "MISMATCH  p/wrong", "- 3", "+ 2", "TIMEOUT   p/loop", "| tick", "skipped   p/future", "no interpreter found for python >=3.14"} {
		if !strings.Contains(out, s) {
			t.Errorf("text report lacks %q:\n%s", s, out)
		}
	}
}

func TestSameStdout(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"a\nb\n", "a\nb", true},
		{"a  \nb\n\n\n", "a\nb\n", true},
		{"a b\n", "a  b\n", false},
		{"a\nb\n", "a b\n", false},
		{"", "\n\n", true},
		{" a\n", "a\n", false},
	} {
		if got := SameStdout(tc.a, tc.b); got != tc.want {
			t.Errorf("SameStdout(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestAnswerDerivedExpectation(t *testing.T) {
	q := &quiz.Question{PackID: "p", ID: "a", Type: quiz.Output, Code: "x", Answer: quiz.Answer{Set: true, Texts: []string{"1 2"}}}
	runner := fakeRunner{"x": same(pyrun.Result{Stdout: []byte("1\n2\n")})}
	rep, err := Run(context.Background(), []*quiz.Question{q}, Options{Pythons: []pyrun.Interpreter{py("3.11.7")}, Runner: runner})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Results[0].Status; got != OK {
		t.Errorf("got %s, want ok (answers compare like the quiz does)", got)
	}
}

func TestVisibleEscapesControl(t *testing.T) {
	if got := Visible("a\x1b[31mb\tc"); got != `a\x1b[31mb\tc` {
		t.Errorf("got %q", got)
	}
}
