package verify

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/pyrun"
	"github.com/pyquiz/pyquiz/quiz"
)

// slotRunner answers like fakeRunner and records the slots each snippet
// ran in.
type slotRunner struct {
	fakeRunner
	mu    sync.Mutex
	slots map[string][]int
}

func (s *slotRunner) Run(ctx context.Context, py pyrun.Interpreter, code string, slot int) (pyrun.Result, error) {
	s.mu.Lock()
	s.slots[py.Version.String()+" "+code] = append(s.slots[py.Version.String()+" "+code], slot)
	s.mu.Unlock()
	return s.fakeRunner.Run(ctx, py, code, slot)
}

func TestSecondRunOnlyWhereTheOutcomeMayVary(t *testing.T) {
	addr := [2]pyrun.Result{{Stdout: []byte("<function f at 0x7f3a5c2e1d90>\n")}, {Stdout: []byte("<function f at 0x7f11d04b2a60>\n")}}
	runner := &slotRunner{slots: map[string][]int{}, fakeRunner: fakeRunner{
		"print(1 + 1)":                              same(pyrun.Result{Stdout: []byte("2\n")}),
		"print(sorted({'b', 'a'}))":                 same(pyrun.Result{Stdout: []byte("['a', 'b']\n")}),
		"print(list(set('ab')))":                    {{Stdout: []byte("['a', 'b']\n")}, {Stdout: []byte("['b', 'a']\n")}},
		"import random\nprint(random.random() < 2)": same(pyrun.Result{Stdout: []byte("True\n")}),
		"def f(): pass\nprint(f)":                   addr,
	}}
	qs := []*quiz.Question{
		question("plain", "print(1 + 1)", "", quiz.Outcome{Stdout: "2\n"}),
		question("sorted", "print(sorted({'b', 'a'}))", ">=3", quiz.Outcome{Stdout: "['a', 'b']\n"}),
		question("set", "print(list(set('ab')))", ">=3", quiz.Outcome{Stdout: "['a', 'b']\n"}),
		question("random", "import random\nprint(random.random() < 2)", ">=3", quiz.Outcome{Stdout: "True\n"}),
		question("address", "def f(): pass\nprint(f)", ">=3", quiz.Outcome{Stdout: "<function f at 0x7f3a5c2e1d90>\n"}),
	}
	pys := []pyrun.Interpreter{py("2.7.18"), py("3.5.10"), py("3.12.1")}
	rep, err := Run(context.Background(), qs, Options{Pythons: pys, Runner: runner, Jobs: 2})
	require.NoError(t, err)
	status := map[string]Status{}
	for _, r := range rep.Results {
		status[r.Question+"@"+r.Python] = r.Status
	}
	assert.Equal(t, map[string]Status{
		"p/plain@2.7.18": OK, "p/plain@3.5.10": OK, "p/plain@3.12.1": OK,
		"p/sorted@3.5.10": OK, "p/sorted@3.12.1": OK,
		"p/set@3.5.10": Nondeterministic, "p/set@3.12.1": Nondeterministic,
		"p/random@3.5.10": OK, "p/random@3.12.1": OK,
		"p/address@3.5.10": Nondeterministic, "p/address@3.12.1": Nondeterministic,
	}, status)
	assert.Equal(t, map[string][]int{
		// Nothing in it can vary between processes: one run.
		"2.7.18 print(1 + 1)": {0}, "3.12.1 print(1 + 1)": {0},
		// Before 3.6 dicts are ordered by hash: always two.
		"3.5.10 print(1 + 1)": {0, 1}, "3.5.10 print(sorted({'b', 'a'}))": {0, 1},
		"3.5.10 print(list(set('ab')))": {0, 1}, "3.5.10 import random\nprint(random.random() < 2)": {0, 1},
		"3.5.10 def f(): pass\nprint(f)": {0, 1},
		// A set, an import: two, at once.
		"3.12.1 print(sorted({'b', 'a'}))": {0, 1}, "3.12.1 print(list(set('ab')))": {0, 1},
		"3.12.1 import random\nprint(random.random() < 2)": {0, 1},
		// It printed an address: the second run follows the first.
		"3.12.1 def f(): pass\nprint(f)": {0, 1},
	}, sortedSlots(runner.slots))
	for _, r := range rep.Results {
		if r.Status == Nondeterministic {
			assert.Equal(t, "two runs under different hash seeds disagree", r.Message, "Python 3 has hash randomization")
		}
	}
}

func TestNondeterministicOn27SaysProcesses(t *testing.T) {
	runner := fakeRunner{"def f(): pass\nprint(f)": {{Stdout: []byte("<function f at 0x7f3a5c2e1d90>\n")}, {Stdout: []byte("<function f at 0x7f11d04b2a60>\n")}}}
	q := question("address", "def f(): pass\nprint(f)", "", quiz.Outcome{Stdout: "x\n"})
	rep, err := Run(context.Background(), []*quiz.Question{q}, Options{Pythons: []pyrun.Interpreter{py("2.7.18")}, Runner: runner})
	require.NoError(t, err)
	require.Len(t, rep.Results, 1)
	assert.Equal(t, Nondeterministic, rep.Results[0].Status)
	assert.Equal(t, "two runs in two processes disagree", rep.Results[0].Message, "2.7 has no hash randomization")
}

func sortedSlots(m map[string][]int) map[string][]int {
	for _, s := range m {
		if len(s) == 2 && s[0] > s[1] {
			s[0], s[1] = s[1], s[0]
		}
	}
	return m
}

func TestMayVary(t *testing.T) {
	v := quiz.Version{Major: 3, Minor: 12}
	for _, code := range []string{
		"print({'a', 'b'})", "s = set()\ns.add('x')\nprint(s.pop())", "print({x for x in 'ab'})",
		"d = dict(a=1)\nprint(d.keys() & ['a'])", "print(hash('a') % 2)", "print(id(1) > 0)",
		"import time", "print(__import__('os').getpid())", "print(str(object())[-3:])",
		"print('%s' % f)", "print(f'{f}')", "print(getattr(__builtins__, 'se' + 't')('ab'))",
		"print(().__class__.__base__.__subclasses__()[0])", "print(repr(lambda: 0)[:3])",
		"print(frozenset('ab'))", "print(open('/dev/urandom').read(1))",
	} {
		assert.True(t, mayVary(code, v), "%q is run twice", code)
	}
	for _, code := range []string{
		"print(1 + 1)", "x = [3, 1, 2]\nx.sort()\nprint(x)", "def f(n):\n    return n * 2\nprint(f(2))",
		"class A:\n    pass\nprint(type(A()).__name__)", "print(max(['aa', 'b'], key=len))",
	} {
		assert.False(t, mayVary(code, v), "%q is run once", code)
		assert.True(t, mayVary(code, quiz.Version{Major: 3, Minor: 5}), "%q on 3.5 is run twice", code)
	}
	py2 := quiz.Version{Major: 2, Minor: 7}
	assert.False(t, mayVary("print 1 + 1", py2))
	assert.True(t, mayVary("def f(): pass\ndef g(): pass\nprint f < g", py2), "2.7 compares functions by address")
	assert.True(t, mayVary("class A: pass\nprint sorted([A(), A()])[0].__class__.__name__", py2))
}

// TestSecondRunFindsHashOrderOnRealInterpreters: a set of strings printed
// on Python 3 differs between hash seeds, and verify says so.
func TestSecondRunFindsHashOrderOnRealInterpreters(t *testing.T) {
	var py3 []pyrun.Interpreter
	for _, p := range testPythons(t) {
		if p.Version.Major == 3 && p.Version.Minor >= 6 {
			py3 = append(py3, p)
			break
		}
	}
	if len(py3) == 0 {
		t.Skip("no Python 3.6+ found")
	}
	words := []string{}
	for _, w := range strings.Fields("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon") {
		words = append(words, "'"+w+"'")
	}
	code := "print(list({" + strings.Join(words, ", ") + "}))\n"
	runner := pyrun.NewRunner(pyrun.Env(os.Getenv), pyrun.Limits{})
	defer runner.Close()
	q := question("seeds", code, "", quiz.Outcome{Stdout: "[]\n"})
	rep, err := Run(context.Background(), []*quiz.Question{q}, Options{Pythons: py3, Runner: runner})
	require.NoError(t, err)
	require.Len(t, rep.Results, 1)
	assert.Equal(t, Nondeterministic, rep.Results[0].Status, "%+v", rep.Results[0])
}
