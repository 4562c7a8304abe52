// Package verify proves answer keys: it runs each question's code on every
// interpreter its Python constraint allows and compares stdout and the
// final exception with the question's expect outcomes (PRODUCT.md section 7).
package verify

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/pyquiz/pyquiz/internal/pyrun"
	"github.com/pyquiz/pyquiz/quiz"
)

// Status is the verdict for one question on one interpreter.
type Status string

// The statuses of `verify --json`.
const (
	OK               Status = "ok"
	Mismatch         Status = "mismatch"         // stdout or the final exception differs from the key
	Error            Status = "error"            // the run could not be judged: no outcome for the version
	Timeout          Status = "timeout"          // ran past --timeout
	Flood            Status = "flood"            // printed more than --max-output
	Nondeterministic Status = "nondeterministic" // two runs in two processes (on Python 3 under different hash seeds) disagree
	Skipped          Status = "skipped"          // no interpreter found for the question's constraint
)

// Statuses lists every status in report order.
var Statuses = []Status{OK, Mismatch, Error, Timeout, Flood, Nondeterministic, Skipped}

// Runner runs one snippet; slot 0 and 1 run in processes with different
// hash seeds. *pyrun.Runner is one.
type Runner interface {
	Run(ctx context.Context, py pyrun.Interpreter, code string, slot int) (pyrun.Result, error)
}

// sharingRunner is a Runner that may run snippets of one group in a shared
// warm process where a scan of the source allows it (pyrun.RunShared).
// verify's groups are sources (see Options.Group): snippets from
// different sources never share a process.
type sharingRunner interface {
	RunShared(ctx context.Context, py pyrun.Interpreter, code string, slot int, group string) (pyrun.Result, error)
}

// runIn runs j's snippet on its interpreter in slot, sharing a process
// with its group where runner can.
func runIn(ctx context.Context, runner Runner, j job, slot int) (pyrun.Result, error) {
	if sr, ok := runner.(sharingRunner); ok {
		return sr.RunShared(ctx, j.py, j.q.Code, slot, j.group)
	}
	return runner.Run(ctx, j.py, j.q.Code, slot)
}

// BuiltinGroup is the group of the built-in packs (see GroupBySource).
const BuiltinGroup = "builtin"

// GroupBySource is an Options.Group: the built-in packs (shipped in
// pyquiz, all of them its authors') make one group, and every other pack
// is a group of its own, so that a hostile snippet that gets past the
// scan can change only what its own pack's later snippets see.
func GroupBySource(builtin func(*quiz.Question) bool) func(*quiz.Question) string {
	return func(q *quiz.Question) string {
		if builtin(q) {
			return BuiltinGroup
		}
		return "pack " + q.PackID
	}
}

// Options configure Run.
type Options struct {
	Pythons []pyrun.Interpreter
	Runner  Runner
	Jobs    int // parallel runs; 1 when 0
	// Progress, when set, is called after each question x interpreter pair.
	Progress func(done, total int)
	// Cache, when set, gives the verdicts of unchanged pairs without
	// running them, and keeps the new ones; Force runs every pair anyway.
	Cache *ResultCache
	Force bool
	// Group names the group a question's snippet may share a worker
	// process with (see pyrun.Runner.RunShared): snippets of different
	// groups never share one. By default a group is a pack; see
	// GroupBySource.
	Group func(*quiz.Question) string
	// BeforeRun, when set, is called once before the first snippet runs
	// (not at all when every verdict comes from the cache); an error
	// stops verify before anything runs.
	BeforeRun func() error
}

// Result is one question on one interpreter (or one skipped question).
type Result struct {
	Question       string `json:"question"`
	Python         string `json:"python"`
	Status         Status `json:"status"`
	Expected       string `json:"expected"`
	Got            string `json:"got"`
	ExpectedRaises string `json:"expected_raises,omitempty"`
	Raised         string `json:"raised,omitempty"`
	Message        string `json:"message,omitempty"`
	Diff           string `json:"diff,omitempty"`
	Stderr         string `json:"stderr,omitempty"`
	PlainRun       bool   `json:"plain_run,omitempty"`  // run as a plain `python snippet.py` (see pyrun.NeedsPlain)
	SharedRun      bool   `json:"shared_run,omitempty"` // run in a process shared with its pack's (see pyrun.Runner.RunShared)

	q *quiz.Question
}

// Summary counts the results.
type Summary struct {
	Questions int            `json:"questions"` // questions with code that were checked or skipped
	Unchecked int            `json:"unchecked"` // questions with code but nothing to compare with
	Pythons   []string       `json:"pythons"`
	Counts    map[Status]int `json:"counts"`
	Findings  int            `json:"findings"`
	Cached    int            `json:"cached"` // verdicts reused from an earlier run
}

// Report is the outcome of a verify run.
type Report struct {
	Results []Result `json:"results"`
	Summary Summary  `json:"summary"`
}

// IsFinding reports whether a status fails verify. Skipped is one only
// under --require-all.
func IsFinding(s Status, requireAll bool) bool {
	return s != OK && (s != Skipped || requireAll)
}

// expectation is what a snippet must do on one version.
type expectation struct {
	stdout  string
	raises  string
	loose   bool // from an output answer: compared like quiz answers
	forever bool // the answer says Forever
	anyErr  bool // the answer says Error
}

// expectFor returns what q's code must do on v; ok is false when q has
// expect outcomes but none for v; checkable is false when q has nothing
// to compare with at all.
func expectFor(q *quiz.Question, v quiz.Version) (e expectation, ok, checkable bool) {
	if len(q.Expect) > 0 {
		o, found := q.OutcomeFor(v)
		return expectation{stdout: o.Stdout, raises: o.Raises}, found, true
	}
	if q.Type == quiz.Output && q.Answer.Set && len(q.Answer.Texts) > 0 {
		a := q.Answer.Texts[0]
		switch strings.TrimSpace(a) {
		case quiz.AnswerForever:
			return expectation{forever: true}, true, true
		case quiz.AnswerNothing:
			return expectation{loose: true}, true, true
		case quiz.AnswerError:
			return expectation{anyErr: true, loose: true}, true, true
		}
		// "1\n2\nError": output, then it raises.
		if lines := strings.Split(strings.TrimRight(a, "\n "), "\n"); len(lines) > 1 && strings.TrimSpace(lines[len(lines)-1]) == quiz.AnswerError {
			return expectation{stdout: strings.Join(lines[:len(lines)-1], "\n"), anyErr: true, loose: true}, true, true
		}
		return expectation{stdout: a, loose: true}, true, true
	}
	return expectation{}, false, false
}

type job struct {
	q     *quiz.Question
	py    pyrun.Interpreter
	exp   expectation
	idx   int
	group string
}

// Run verifies the questions. Questions without code are left out.
func Run(ctx context.Context, qs []*quiz.Question, opts Options) (*Report, error) {
	rep := &Report{Summary: Summary{Counts: map[Status]int{}}}
	for _, py := range opts.Pythons {
		rep.Summary.Pythons = append(rep.Summary.Pythons, py.Version.String())
	}
	var jobs []job
	for _, q := range qs {
		if strings.TrimSpace(q.Code) == "" {
			continue
		}
		var allowed []pyrun.Interpreter
		for _, py := range opts.Pythons {
			if q.Allows(py.Version) {
				allowed = append(allowed, py)
			}
		}
		_, _, checkable := expectFor(q, quiz.Version{Major: 3, Minor: 0, Patch: -1})
		if !checkable {
			rep.Summary.Unchecked++
			continue
		}
		rep.Summary.Questions++
		if len(allowed) == 0 {
			c := q.Python.String()
			if c == "" {
				c = "any version"
			}
			rep.Results = append(rep.Results, Result{Question: q.FullID(), Status: Skipped, q: q,
				Message: fmt.Sprintf("no interpreter found for python %s", c)})
			continue
		}
		for _, py := range allowed {
			exp, ok, _ := expectFor(q, py.Version)
			r := Result{Question: q.FullID(), Python: py.Version.String(), q: q}
			if !ok {
				r.Status = Error
				r.Message = fmt.Sprintf("expect has no outcome for Python %s, which the question's constraint allows", py.Version)
				rep.Results = append(rep.Results, r)
				continue
			}
			j := job{q: q, py: py, exp: exp, idx: len(rep.Results), group: "pack " + q.PackID}
			if opts.Group != nil {
				j.group = opts.Group(q)
			}
			if !opts.Force {
				if cached, ok := opts.Cache.get(j); ok {
					rep.Results = append(rep.Results, cached)
					rep.Summary.Cached++
					continue
				}
			}
			rep.Results = append(rep.Results, r)
			jobs = append(jobs, j)
		}
	}

	if len(jobs) > 0 && opts.BeforeRun != nil {
		if err := opts.BeforeRun(); err != nil {
			return rep, err
		}
	}

	// Hand out work in batches of one interpreter, so that each fork server
	// stays warm with one worker and no worker has to start a second one
	// for the same interpreter; split an interpreter's batch only when
	// there are fewer interpreters than workers.
	n := opts.Jobs
	if n < 1 {
		n = 1
	}
	batches := batchJobs(jobs, n)
	ch := make(chan []job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	done := 0
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range ch {
				for _, j := range batch {
					if ctx.Err() != nil {
						break
					}
					r, err := runOne(ctx, opts.Runner, j)
					if err == nil && ctx.Err() == nil {
						opts.Cache.put(j, r)
					}
					mu.Lock()
					if err != nil && firstErr == nil {
						firstErr = err
					}
					rep.Results[j.idx] = r
					done++
					if opts.Progress != nil {
						opts.Progress(done, len(jobs))
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, b := range batches {
		if ctx.Err() != nil {
			break
		}
		ch <- b
	}
	close(ch)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if firstErr != nil {
		return rep, firstErr
	}
	for _, r := range rep.Results {
		rep.Summary.Counts[r.Status]++
	}
	return rep, nil
}

// Finalize counts findings; requireAll makes skipped questions findings.
func (rep *Report) Finalize(requireAll bool) {
	rep.Summary.Findings = 0
	for _, r := range rep.Results {
		if IsFinding(r.Status, requireAll) {
			rep.Summary.Findings++
		}
	}
}

// batchJobs groups jobs by interpreter, largest batch first, splitting
// batches so that there are at least workers of them when possible.
func batchJobs(jobs []job, workers int) [][]job {
	byPy := map[string][]job{}
	var order []string
	for _, j := range jobs {
		if _, ok := byPy[j.py.Path]; !ok {
			order = append(order, j.py.Path)
		}
		byPy[j.py.Path] = append(byPy[j.py.Path], j)
	}
	parts := 1
	if len(order) > 0 && len(order) < workers {
		parts = (workers + len(order) - 1) / len(order)
	}
	var batches [][]job
	for _, p := range order {
		js := byPy[p]
		size := (len(js) + parts - 1) / parts
		for len(js) > 0 {
			k := min(size, len(js))
			batches = append(batches, js[:k])
			js = js[k:]
		}
	}
	sort.SliceStable(batches, func(i, k int) bool { return len(batches[i]) > len(batches[k]) })
	return batches
}

func runOne(ctx context.Context, runner Runner, j job) (Result, error) {
	r := Result{Question: j.q.FullID(), Python: j.py.Version.String(), q: j.q}
	r.Expected = j.exp.stdout
	r.ExpectedRaises = j.exp.raises
	if j.exp.anyErr {
		r.ExpectedRaises = quiz.AnswerError
	}
	// The second run, under another hash seed in another process, is made
	// where the output may depend on it (see mayVary); then both runs
	// happen at once, and while one waits on its child the other can use
	// the CPU.
	twice := mayVary(j.q.Code, j.py.Version)
	var second pyrun.Result
	var secondErr error
	secondDone := make(chan struct{})
	if twice {
		go func() {
			defer close(secondDone)
			second, secondErr = runIn(ctx, runner, j, 1)
		}()
	} else {
		close(secondDone)
	}
	first, err := runIn(ctx, runner, j, 0)
	<-secondDone
	if err != nil {
		return r, fmt.Errorf("run %s on %s: %w", r.Question, j.py.Path, err)
	}
	r.Got = string(first.Stdout)
	r.Raised = first.Raised()
	if first.Raised() != "" || first.TimedOut || first.Flooded || first.ExitCode != 0 {
		r.Stderr = tail(string(first.Stderr), 2000)
	}
	r.PlainRun = first.Plain
	r.SharedRun = first.Shared
	switch {
	case first.TimedOut && j.exp.forever:
		r.Status = OK
		return r, nil
	case first.TimedOut:
		r.Status = Timeout
		r.Message = "still running after the time limit; its process group was killed"
		return r, nil
	case first.Flooded:
		r.Status = Flood
		r.Message = fmt.Sprintf("printed more than %d bytes; stopped", len(first.Stdout))
		return r, nil
	}
	if !twice && printsAddress(first) {
		// It printed a memory address: another process may print another.
		twice = true
		second, secondErr = runIn(ctx, runner, j, 1)
	}
	if secondErr != nil {
		return r, fmt.Errorf("run %s on %s: %w", r.Question, j.py.Path, secondErr)
	}
	if twice && !sameRun(first, second) {
		r.Status = Nondeterministic
		r.Message = "two runs in two processes disagree"
		if j.py.Version.Major >= 3 {
			r.Message = "two runs under different hash seeds disagree"
		}
		r.Diff = Diff("first run", "second run", describe(first), describe(second))
		return r, nil
	}
	err = judge(&r, j.exp, first)
	if first.OutOfMemory && r.Status != OK {
		r.Message += "; out of memory: the kernel killed a process of the run, whose processes together used more than --memory"
	}
	return r, err
}

// mayVary reports whether a snippet's outcome may differ between two runs
// in two processes, so that verify runs it a second time, under another
// hash seed, to report nondeterminism. A snippet that does none of the
// following is run once: it imports nothing (random, time, os ...); it
// builds no set, frozenset or dict and reaches no dictionary view (the
// only ways str and bytes hashes, which the seed changes, and memory
// addresses order what a snippet can see: dicts are ordered by insertion
// from 3.6 on, but not on 2.7, where objects' hashes are their
// addresses); it calls no hash() or id() and turns no object into text
// itself (str, repr, format, %, f-strings: a default repr holds an
// address); it opens no file and reaches no built-in by name (eval, exec,
// getattr, __builtins__, __class__ ...). The rule reads the source text
// and errs on the side of a second run: these words in a string or a
// comment count too. On Python 2 comparing or sorting counts too (it
// orders objects that define no order by address); 3.0-3.5 (dicts
// ordered by hash) always get the second run.
func mayVary(code string, v quiz.Version) bool {
	if v.Major == 3 && v.Minor < 6 {
		return true
	}
	if v.Major == 2 && py2Compare().MatchString(code) {
		return true
	}
	return varyCode().MatchString(code)
}

// py2Compare: Python 2 orders objects of one type that define no ordering
// (instances, functions, built-ins) by their addresses.
var py2Compare = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[<>]|\b(sort|sorted|min|max|cmp|heapq|bisect)\b`)
})

var varyCode = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[{%]|\b(import|__import__|set|frozenset|dict|hash|id|object|repr|ascii|str|format|open|keys|items|values|iterkeys|iteritems|itervalues|viewkeys|viewitems|viewvalues|eval|exec|execfile|compile|getattr|globals|locals|vars|dir|input|raw_input|builtins|__builtins__|__class__|__subclasses__|__bases__|__base__|__mro__|__dict__|__hash__|__repr__|__str__|__format__|__globals__|__code__|__closure__|__getattribute__|__reduce__|__reduce_ex__|__sizeof__|unicode|basestring|bytes|bytearray|memoryview)\b`)
})

// addressText is a memory address as Python prints it (0x7f3a5c2e1d90).
var addressText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`0x[0-9a-fA-F]{6,}`) })

// printsAddress reports whether a run printed what looks like a memory
// address (a default repr: <object object at 0x7f...>), which another
// process may print differently.
func printsAddress(r pyrun.Result) bool {
	return addressText().Match(r.Stdout) || addressText().Match(r.Stderr)
}

func sameRun(a, b pyrun.Result) bool {
	return string(a.Stdout) == string(b.Stdout) && a.Raised() == b.Raised() && a.TimedOut == b.TimedOut && a.Flooded == b.Flooded
}

func describe(r pyrun.Result) string {
	s := string(r.Stdout)
	switch {
	case r.TimedOut:
		s += "\n[timed out]"
	case r.Flooded:
		s += "\n[output flood]"
	case r.Raised() != "":
		s += "\n[raised " + r.Raised() + "]"
	}
	return s
}

func judge(r *Result, exp expectation, got pyrun.Result) error {
	if exp.forever {
		r.Status = Mismatch
		r.Message = "the key says Forever but it finished"
		r.Diff = Diff("expected", "got", "[runs forever]", outcomeText(string(got.Stdout), got.Raised()))
		return nil
	}
	raised := got.Raised()
	stdoutOK := SameStdout(exp.stdout, string(got.Stdout))
	if exp.loose {
		stdoutOK = quiz.SameOutput(exp.stdout, string(got.Stdout))
	}
	excOK := raised == exp.raises || (exp.anyErr && raised != "")
	if exp.anyErr && raised == "" {
		excOK = false
	}
	switch {
	case excOK && stdoutOK:
		r.Status = OK
	case !excOK:
		// The run was judged and the key is wrong about how it ends: a
		// mismatch like a wrong stdout, with the exception in the diff.
		r.Status = Mismatch
		want := exp.raises
		switch {
		case exp.anyErr:
			want = quiz.AnswerError
			r.Message = "expected it to raise, but it ended normally"
		case exp.raises == "":
			r.Message = "raised " + raised + ", which expect does not say"
		case raised == "":
			r.Message = "expected " + exp.raises + ", but it ended normally"
		default:
			r.Message = "expected " + exp.raises + ", but it raised " + raised
		}
		r.Diff = Diff("expected", "got", outcomeText(exp.stdout, want), outcomeText(string(got.Stdout), raised))
	default:
		r.Status = Mismatch
		r.Message = "stdout differs"
		r.Diff = Diff("expected", "got", exp.stdout, string(got.Stdout))
	}
	return nil
}

// outcomeText is stdout followed by the exception line the diff of a
// wrong exception shows: "[raises KeyError]", or "[ends normally]".
func outcomeText(stdout, raised string) string {
	s := strings.TrimRight(stdout, "\n")
	if s != "" {
		s += "\n"
	}
	if raised == "" {
		return s + "[ends normally]\n"
	}
	return s + "[raises " + raised + "]\n"
}

// SameStdout is verify's comparison: exact, except that trailing
// whitespace on each line and trailing blank lines are ignored. It is
// stricter than the quiz's (quiz.SameOutput folds all whitespace), because
// a key must state the real output.
func SameStdout(want, got string) bool { return trimOutput(want) == trimOutput(got) }

func trimOutput(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r\f\v")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
