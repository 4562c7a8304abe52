//go:build unix

package verify

import (
	"context"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/internal/pyrun"
	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

func builtinQuestions(tb testing.TB) []*quiz.Question {
	res, err := packs.Load(packs.Options{Builtin: questions.FS})
	if err != nil {
		tb.Fatal(err)
	}
	var qs []*quiz.Question
	for _, q := range res.Library.Questions() {
		if q.Code != "" {
			qs = append(qs, q)
		}
	}
	if len(qs) == 0 {
		tb.Skip("no built-in snippets")
	}
	return qs
}

// BenchmarkSpeedup compares the naive runner (one `python -I snippet.py`
// per snippet and interpreter, in sequence) with verify on the built-in
// packs (a second run for the nondeterminism check where the outcome may
// vary, see mayVary; --jobs NumCPU),
// checks that both saw byte-identical stdout, and reports the ratio as
// the "x-faster" metric. Interpreter discovery is left out of both.
func BenchmarkSpeedup(b *testing.B) {
	pys := testPythons(b)
	qs := builtinQuestions(b)
	env := pyrun.Env(os.Getenv)
	lim := pyrun.Limits{}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		start, cpu0 := time.Now(), cpuTime()
		naive := map[string]string{}
		runs := 0
		for _, q := range qs {
			for _, py := range pys {
				if !q.Allows(py.Version) {
					continue
				}
				r, err := pyrun.RunPlain(ctx, py, env, q.Code, lim)
				if err != nil {
					b.Fatal(err)
				}
				naive[q.FullID()+"@"+py.Version.String()] = string(r.Stdout)
				runs++
			}
		}
		naiveTime, naiveCPU := time.Since(start), cpuTime()-cpu0

		start, cpu0 = time.Now(), cpuTime()
		runner := pyrun.NewRunner(env, lim)
		counted := &runCounter{Runner: runner}
		// As the command line does: the built-in packs are one group.
		rep, err := Run(ctx, qs, Options{Pythons: pys, Runner: counted, Jobs: runtime.NumCPU(),
			Group: GroupBySource(func(*quiz.Question) bool { return true })})
		runner.Close()
		fastTime, fastCPU := time.Since(start), cpuTime()-cpu0
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rep.Results {
			if r.Python == "" || r.Status == Error && r.Got == "" && r.Message != "" && r.Raised == "" {
				continue
			}
			if want, ok := naive[r.Question+"@"+r.Python]; ok && want != r.Got && r.Status != Nondeterministic {
				b.Errorf("%s on %s: naive stdout %q, verify stdout %q", r.Question, r.Python, want, r.Got)
			}
		}
		b.ReportMetric(float64(naiveTime)/float64(fastTime), "x-faster")
		b.ReportMetric(naiveTime.Seconds(), "naive-s")
		b.ReportMetric(fastTime.Seconds(), "verify-s")
		b.ReportMetric(float64(runs), "pairs")
		b.ReportMetric(float64(counted.runs.Load()), "verify-runs")
		b.ReportMetric(float64(counted.shared.Load()), "shared-runs")
		b.ReportMetric(naiveCPU.Seconds(), "naive-cpu-s")
		b.ReportMetric(fastCPU.Seconds(), "verify-cpu-s")
	}
}

// runCounter counts the runs verify makes (one or two per pair).
type runCounter struct {
	Runner
	runs   atomic.Int64
	shared atomic.Int64 // in a shared worker
}

func (c *runCounter) Run(ctx context.Context, py pyrun.Interpreter, code string, slot int) (pyrun.Result, error) {
	c.runs.Add(1)
	return c.Runner.Run(ctx, py, code, slot)
}

func (c *runCounter) RunShared(ctx context.Context, py pyrun.Interpreter, code string, slot int, group string) (pyrun.Result, error) {
	c.runs.Add(1)
	res, err := c.Runner.(sharingRunner).RunShared(ctx, py, code, slot, group)
	if res.Shared {
		c.shared.Add(1)
	}
	return res, err
}

// cpuTime is the CPU time (user and system) this process and its reaped
// children (the interpreters; fork servers once the runner is closed) have
// used: a figure a loaded machine does not inflate as it does wall time.
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	return time.Duration(self.Utime.Nano() + self.Stime.Nano() + kids.Utime.Nano() + kids.Stime.Nano())
}
