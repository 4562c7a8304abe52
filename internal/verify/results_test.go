package verify

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/pyrun"
	"github.com/pyquiz/pyquiz/quiz"
)

// countingRunner answers like fakeRunner and counts the runs.
type countingRunner struct {
	fakeRunner
	runs atomic.Int32
}

func (c *countingRunner) Run(ctx context.Context, py pyrun.Interpreter, code string, slot int) (pyrun.Result, error) {
	c.runs.Add(1)
	return c.fakeRunner.Run(ctx, py, code, slot)
}

func TestResultCacheReusesUnchangedVerdicts(t *testing.T) {
	// The snippets import a module, so each is run twice (see mayVary).
	runner := &countingRunner{fakeRunner: fakeRunner{
		"import ok":    same(pyrun.Result{Stdout: []byte("1\n")}),
		"import wrong": same(pyrun.Result{Stdout: []byte("2\n")}),
		"import loop":  same(pyrun.Result{TimedOut: true, ExitCode: -9}),
	}}
	cache := &ResultCache{Dir: t.TempDir(), Salt: "5s"}
	p := py("3.12.1")
	p.Build = "3.12.1 (main) [GCC]|100|1"
	qs := []*quiz.Question{
		question("ok", "import ok", "", quiz.Outcome{Stdout: "1\n"}),
		question("wrong", "import wrong", "", quiz.Outcome{Stdout: "3\n"}),
		question("loop", "import loop", "", quiz.Outcome{Stdout: ""}),
	}
	run := func(opts Options) *Report {
		t.Helper()
		runner.runs.Store(0)
		opts.Runner, opts.Cache = runner, cache
		if opts.Pythons == nil {
			opts.Pythons = []pyrun.Interpreter{p}
		}
		rep, err := Run(context.Background(), qs, opts)
		require.NoError(t, err)
		return rep
	}
	statuses := func(rep *Report) []Status {
		var out []Status
		for _, r := range rep.Results {
			out = append(out, r.Status)
		}
		return out
	}

	cold := run(Options{})
	assert.Equal(t, int32(6), runner.runs.Load(), "cold: two runs per question")
	assert.Equal(t, 0, cold.Summary.Cached)

	warm := run(Options{})
	assert.Equal(t, statuses(cold), statuses(warm))
	assert.Equal(t, 2, warm.Summary.Cached, "ok and mismatch come from the cache")
	assert.Equal(t, int32(2), runner.runs.Load(), "only the time-out runs again")
	assert.Equal(t, "p/wrong", warm.Results[1].Question)
	assert.Contains(t, warm.Results[1].Diff, "+ 2")

	forced := run(Options{Force: true})
	assert.Equal(t, int32(6), runner.runs.Load(), "--force runs everything")
	assert.Equal(t, 0, forced.Summary.Cached)

	qs[0].Expect[0].Stdout = "1 \n" // the key changed
	run(Options{})
	assert.Equal(t, int32(4), runner.runs.Load(), "a changed expect runs again")

	rebuilt := p
	rebuilt.Build = "3.12.1 (main) [GCC]|100|2"
	run(Options{Pythons: []pyrun.Interpreter{rebuilt}})
	assert.Equal(t, int32(6), runner.runs.Load(), "another build of the interpreter runs everything")

	cache.Salt = "10s"
	run(Options{})
	assert.Equal(t, int32(6), runner.runs.Load(), "other limits run everything")
}
