package verify

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	require.NoError(t, err)
	rep.Finalize(false)
	want := map[string]Status{
		"p/ok": OK, "p/wrong": Mismatch, "p/raises": OK, "p/unexpected": Mismatch, "p/missing": Mismatch,
		"p/exit0": OK, "p/loop": Timeout, "p/flood": Flood, "p/hash": Nondeterministic, "p/future": Skipped, "p/gap": Error,
	}
	require.Len(t, rep.Results, len(want), "%+v", rep.Results)
	for _, r := range rep.Results {
		assert.Equal(t, want[r.Question], r.Status, "%s (%s)", r.Question, r.Message)
	}
	assert.Equal(t, 7, rep.Summary.Findings)
	rep.Finalize(true)
	assert.Equal(t, 8, rep.Summary.Findings, "--require-all")
	var sb strings.Builder
	WriteText(&sb, rep, false, 80)
	out := sb.String()
	for _, s := range []string{"ok        p/ok", "MISMATCH  p/unexpected", "raised ZeroDivisionError, which expect does not say",
		"- [ends normally]", "+ [raises ZeroDivisionError]", "MISMATCH  p/missing", "- [raises KeyError]", "MISMATCH  p/wrong", "- 3", "+ 2", "TIMEOUT   p/loop", "| tick", "skipped   p/future", "no interpreter found for python >=3.14"} {
		assert.Contains(t, out, s, "text report")
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
		assert.Equal(t, tc.want, SameStdout(tc.a, tc.b), "SameStdout(%q, %q)", tc.a, tc.b)
	}
}

func TestAnswerDerivedExpectation(t *testing.T) {
	q := &quiz.Question{PackID: "p", ID: "a", Type: quiz.Output, Code: "x", Answer: quiz.Answer{Set: true, Texts: []string{"1 2"}}}
	runner := fakeRunner{"x": same(pyrun.Result{Stdout: []byte("1\n2\n")})}
	rep, err := Run(context.Background(), []*quiz.Question{q}, Options{Pythons: []pyrun.Interpreter{py("3.11.7")}, Runner: runner})
	require.NoError(t, err)
	assert.Equal(t, OK, rep.Results[0].Status, "answers compare like the quiz does")
}

func TestVisibleEscapesControl(t *testing.T) {
	assert.Equal(t, `a\x1b[31mb\tc`, Visible("a\x1b[31mb\tc"))
}

// groupRunner answers every snippet with "1\n" and records the group each
// ran in.
type groupRunner struct {
	mu     sync.Mutex
	groups map[string]string
}

func (g *groupRunner) Run(ctx context.Context, py pyrun.Interpreter, code string, slot int) (pyrun.Result, error) {
	return g.RunShared(ctx, py, code, slot, "")
}

func (g *groupRunner) RunShared(ctx context.Context, py pyrun.Interpreter, code string, slot int, group string) (pyrun.Result, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.groups[code] = group
	return pyrun.Result{Stdout: []byte("1\n")}, nil
}

// TestGroupBySource: the built-in packs share one group; every other pack
// is a group of its own, and so is every pack when verify is not told
// which are built in.
func TestGroupBySource(t *testing.T) {
	q := func(pack, code string) *quiz.Question {
		x := question(code, code, "", quiz.Outcome{Stdout: "1\n"})
		x.PackID = pack
		return x
	}
	builtin := []*quiz.Question{q("classes", "print(1) # a"), q("traps", "print(1) # b")}
	qs := append([]*quiz.Question{q("mine", "print(1) # c"), q("theirs", "print(1) # d")}, builtin...)
	isBuiltin := func(x *quiz.Question) bool { return x == builtin[0] || x == builtin[1] }

	runner := &groupRunner{groups: map[string]string{}}
	_, err := Run(context.Background(), qs, Options{Pythons: []pyrun.Interpreter{py("3.12.1")}, Runner: runner, Group: GroupBySource(isBuiltin)})
	require.NoError(t, err)
	g := runner.groups
	assert.Equal(t, g["print(1) # a"], g["print(1) # b"], "the built-in packs are one group")
	assert.NotEqual(t, g["print(1) # c"], g["print(1) # d"], "two packs of the user's share a group")
	assert.NotEqual(t, g["print(1) # a"], g["print(1) # c"], "a pack of the user's shares the built-in packs' group")

	runner = &groupRunner{groups: map[string]string{}}
	_, err = Run(context.Background(), qs, Options{Pythons: []pyrun.Interpreter{py("3.12.1")}, Runner: runner})
	require.NoError(t, err)
	assert.NotEqual(t, runner.groups["print(1) # a"], runner.groups["print(1) # b"], "without Group, packs are groups")
}
