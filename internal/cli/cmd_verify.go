package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/internal/pyrun"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/sandbox"
	"github.com/pyquiz/pyquiz/internal/verify"
	"github.com/pyquiz/pyquiz/quiz"
)

// VerifyOptions are the flags of pyquiz verify.
type VerifyOptions struct {
	f *Factory

	Paths        []string
	Python       string
	Timeout      time.Duration
	MaxOutput    string
	Jobs         int
	JSON         bool
	RequireAll   bool
	ListPythons  bool
	Force        bool
	Memory       string
	Sandbox      string // "auto" or "strict"
	Share        bool   // shared workers for the snippets a scan clears
	Packs        []string
	Questions    []string
	pythonSource string // "--python" or "PYQUIZ_PYTHONS"
}

func newVerifyCmd(f *Factory, runF func(*VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{f: f}
	cmd := &cobra.Command{
		Use:   "verify [PATH...]",
		Short: "Run the snippets on real Python interpreters and check the answer keys",
		Long: `Run each question's code on every Python interpreter found that its
version constraint allows, and compare stdout (trailing whitespace on each
line and trailing blank lines ignored) and the final exception type with
the question's expect outcomes. Exit status 1 when anything is wrong.

Each snippet runs in a fresh folder with an empty stdin, an environment
holding only PATH and LANG, isolated mode (-I; -E -s on 2.7), a time limit
that is a hard deadline and an output cap. On Linux every interpreter runs
in a sandbox of new namespaces: a read-only filesystem but a fresh /tmp,
every folder but the system ones hidden (your home and working folder,
/home, /root, /run, /var/tmp ...; the interpreter's own folder stays
readable), no network, none of your processes visible, limits on memory
(--memory per process, and, where pyquiz can make a cgroup, for all of a
sandbox's processes together: otherwise a snippet that starts processes
can use up to --memory times 128 in all), file size, open files and
processes, and everything a run starts is killed when it ends. Where the kernel
refuses namespaces, verify warns that the sandbox is weaker (limits only:
a snippet can then read and write your files; on Windows not even
limits); --sandbox=strict refuses to run instead. --list-pythons says
which sandbox is in force.

Interpreters come from --python (or PYQUIZ_PYTHONS), else from PATH
(python, python3, python3.N, python2.7) and pyenv's versions folder.

Verdicts are cached like go test's results: a question is run again only
when its code, its expect outcomes, the interpreter's exact build or the
limits changed (ok and mismatch are kept; time-outs and nondeterminism
always run again). --force runs everything.

With PATH arguments only those pack files or folders are verified;
otherwise every installed pack.

Statuses: ok, mismatch (stdout or the final exception differs from the
key; a diff is shown), error (the run could not be judged: no outcome in
expect for a version the question allows), timeout, flood (more output than --max-output),
nondeterministic (two runs in two processes disagree; on Python 3 under
different hash seeds), skipped
(no interpreter for the question's constraint; a finding with --require-all).

The second run, in another process under another hash seed, is made only
where the outcome may depend on it: the snippet imports anything, builds a
set or dict, uses dict views, hash, id, str, repr, format, %, f-strings,
open or built-ins by name, or its first run printed an address (0x...).
Every snippet runs twice on 3.0-3.5; on 2.7 (no hash randomization) the
same rule decides, and comparing or sorting counts too.

Forking a process per run costs more than most snippets do, so in the
full sandbox the snippets that a scan of their source clears run one
after another in a warm process shared with the other such snippets of
their pack (the built-in packs are one group; never another group's),
each in a fresh __main__ module, folder and stdout, as a forked child
would. The scan clears those that import only standard modules whose
state the process sets back or an honest snippet leaves alone
(functools, collections, re, random, threading, asyncio, tempfile,
sqlite3 ...) or modules they write themselves, change none of their
attributes, use sys and os only to read (sys.exit, sys.path.insert,
os.path ...), open files only in with statements, and use none of input,
exit, id, __builtins__, gc, frames or code objects. Between runs the
process seeds random afresh, forgets asyncio's event loop, puts the
import path back and forgets the modules a run wrote; at a run's end it
joins its threads and runs its exit handlers. A run that times out,
floods, runs out of memory or stack, leaves a thread or a process
behind or replaces sys.stdout ends that process. --share=false gives
every run a process of its own (add --force to run cached verdicts
again).`,
		Example: `  pyquiz verify
  pyquiz verify --python 2.7,3.12 mypack.yaml
  pyquiz verify --pack pitfalls --json
  pyquiz verify --list-pythons
  pyquiz verify --force          # run everything, cached verdicts or not`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if opts.Timeout <= 0 {
				return FlagErrorf("--timeout must be positive, like 5s or 500ms")
			}
			if opts.Jobs < 1 {
				return FlagErrorf("--jobs must be at least 1")
			}
			if _, err := parseSize(opts.MaxOutput); err != nil {
				return FlagErrorf("invalid argument %q for \"--max-output\" flag: %v", opts.MaxOutput, err)
			}
			if _, err := parseMemory(opts.Memory); err != nil {
				return FlagErrorf("invalid argument %q for \"--memory\" flag: %v", opts.Memory, err)
			}
			if opts.Sandbox != "auto" && opts.Sandbox != "strict" {
				return FlagErrorf("invalid argument %q for \"--sandbox\" flag: want auto or strict", opts.Sandbox)
			}
			opts.pythonSource = "--python"
			if !cmd.Flags().Changed("python") {
				opts.Python = f.Getenv("PYQUIZ_PYTHONS")
				opts.pythonSource = "PYQUIZ_PYTHONS"
			}
			if runF != nil {
				return runF(opts)
			}
			return verifyRun(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Python, "python", "", "comma-separated versions (2.7,3.11) or interpreter paths to run on (default: all found; env PYQUIZ_PYTHONS)")
	fl.DurationVar(&opts.Timeout, "timeout", pyrun.DefaultTimeout, "time limit per snippet run (wall clock, not counting waits for a CPU; stopped anyway at 3x+10s)")
	fl.StringVar(&opts.MaxOutput, "max-output", "1MiB", "stdout limit per run (bytes, or with KiB/MiB/KB/MB)")
	fl.IntVarP(&opts.Jobs, "jobs", "j", runtime.NumCPU(), "snippets run in parallel")
	fl.BoolVar(&opts.JSON, "json", false, "print the results as JSON")
	fl.BoolVar(&opts.RequireAll, "require-all", false, "a question no interpreter can run is a finding")
	fl.BoolVar(&opts.ListPythons, "list-pythons", false, "list the interpreters found and exit")
	fl.BoolVar(&opts.Force, "force", false, "run every snippet, even those whose verdict is cached")
	fl.StringVar(&opts.Memory, "memory", "1GiB", "address space per interpreter process (bytes, or with KiB/MiB/GiB)")
	fl.StringVar(&opts.Sandbox, "sandbox", "auto", "auto: the strongest sandbox the kernel allows; strict: refuse to run without namespaces")
	fl.BoolVar(&opts.Share, "share", true, "run the snippets a scan clears in a process shared with their pack's, or the built-in packs' (false: a process per run)")
	fl.StringArrayVar(&opts.Packs, "pack", nil, "only this pack id (repeatable)")
	fl.StringArrayVar(&opts.Questions, "question", nil, "only this question, pack-id/question-id or question-id (repeatable)")
	return cmd
}

// parseSize reads "1048576", "64KiB", "1MiB", "1MB", at most 2 GiB.
func parseSize(s string) (int, error) {
	n, err := parseSizeUpTo(s, 1<<31)
	return int(n), err
}

// parseMemory reads a --memory size: 16 MiB to 1 TiB.
func parseMemory(s string) (uint64, error) {
	n, err := parseSizeUpTo(s, 1<<40)
	if err == nil && n < 16<<20 {
		err = errors.New("want at least 16MiB, for the interpreter itself")
	}
	return uint64(n), err
}

func parseSizeUpTo(s string, limit int64) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"K", 1 << 10}, {"M", 1 << 20}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > limit/mult {
		return 0, errors.New("want a positive size such as 65536, 64KiB or 1MiB")
	}
	return n * mult, nil
}

func verifyRun(cmd *cobra.Command, opts *VerifyOptions) error {
	f := opts.f
	ctx := cmd.Context()
	io := f.IOStreams
	pys, err := pyrun.Discover(ctx, pyrun.DiscoverOptions{
		Specs:      pyrun.SplitSpecs(opts.Python),
		SpecSource: opts.pythonSource,
		Getenv:     f.Getenv,
		ProbeCache: filepath.Join(f.StateDir(), "verify-cache", "pythons.json"),
	})
	var specErr *pyrun.SpecError
	if errors.As(err, &specErr) {
		return &FlagError{specErr}
	}
	if err != nil {
		return err
	}
	if opts.ListPythons {
		return listPythons(opts, pys)
	}
	if len(pys) == 0 {
		// Nothing could be proven: saying "0 findings" would be a lie.
		return errors.New("no Python interpreter found on PATH or in pyenv, so nothing can be verified; name one with --python PATH or PYQUIZ_PYTHONS")
	}

	// Packs.
	var res *packsResult
	if res, err = loadVerifyPacks(opts); err != nil {
		return err
	}
	qs, err := selectVerifyQuestions(res.questions, opts)
	if err != nil {
		return err
	}

	maxOut, _ := parseSize(opts.MaxOutput)
	mem, _ := parseMemory(opts.Memory)
	runner := newVerifyRunner(opts, maxOut, mem)
	defer runner.Close()
	vopts := verify.Options{Pythons: pys, Runner: runner, Jobs: opts.Jobs, Force: opts.Force,
		Group: verify.GroupBySource(func(q *quiz.Question) bool { return res.builtin[q] }),
		Cache: &verify.ResultCache{
			Dir:  filepath.Join(f.StateDir(), "verify-cache"),
			Salt: verify.RunnerSalt(opts.Timeout.String(), strconv.Itoa(maxOut), strconv.FormatUint(mem, 10)),
		},
		BeforeRun: func() error {
			// Said once, and only when something is about to run.
			level, why := runner.Sandbox()
			if level != sandbox.LevelNamespaces {
				if opts.Sandbox == "strict" {
					return &pyrun.SandboxError{Why: why}
				}
				fmt.Fprintf(io.ErrOut, "pyquiz: warning: the sandbox is weaker here (%s): snippets run with resource limits only and can read and write your files, use the network and leave processes behind; --sandbox=strict refuses to run instead\n", why)
			}
			// Not a reason for strict to refuse: cgroups take root or a
			// delegated cgroup, and each process is still bounded.
			if ok, why := runner.Cgroups(); !ok {
				fmt.Fprintf(io.ErrOut, "pyquiz: note: memory is bounded per process only (no cgroup: %s): a snippet that starts processes can use up to --memory times %d\n", why, pyrun.MaxProcesses)
			}
			return nil
		},
	}
	if io.IsStderrTTY() {
		vopts.Progress = func(done, total int) {
			fmt.Fprintf(io.ErrOut, "\rverify: %d/%d runs", done, total)
			if done == total {
				fmt.Fprint(io.ErrOut, "\r\033[K")
			}
		}
	}
	rep, err := verify.Run(ctx, qs, vopts)
	if err != nil {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		return err
	}
	rep.Finalize(opts.RequireAll)

	// Remember what was proven for `show --answer`.
	loadErr, err := verify.Record(f.StateDir(), rep)
	if loadErr != nil {
		fmt.Fprintf(io.ErrOut, "pyquiz: %v (starting it afresh)\n", loadErr)
	}
	if err != nil {
		fmt.Fprintf(io.ErrOut, "pyquiz: %v\n", err)
	}

	if opts.JSON {
		if rep.Results == nil {
			rep.Results = []verify.Result{}
		}
		if err := writeJSON(io.Out, jsonReport(rep, res)); err != nil {
			return err
		}
	} else {
		for _, b := range res.broken {
			fmt.Fprintf(io.Out, "%-9s %s\n", "ERROR", render.Escape(b))
		}
		verify.WriteText(io.Out, rep, opts.RequireAll, io.TerminalWidth())
	}
	if rep.Summary.Findings > 0 || len(res.broken) > 0 || (opts.RequireAll && len(pys) == 0) {
		return ErrFindings
	}
	return nil
}

type packsResult struct {
	questions []*quiz.Question
	broken    []string // "file: error; error"
	builtin   map[*quiz.Question]bool
}

func loadVerifyPacks(opts *VerifyOptions) (*packsResult, error) {
	f := opts.f
	r, err := f.ParsePacks(opts.Paths, len(opts.Paths) > 0)
	if err != nil {
		return nil, err
	}
	out := &packsResult{questions: r.Library.Questions(), builtin: map[*quiz.Question]bool{}}
	for _, p := range r.Library.Packs {
		if strings.HasPrefix(p.File, packs.BuiltinPrefix) {
			for _, q := range p.Questions {
				out.builtin[q] = true
			}
		}
	}
	for _, b := range r.Broken {
		var msgs []string
		for _, p := range r.Problems.Errors() {
			if p.Pos.File == b.Name {
				msgs = append(msgs, p.Error())
			}
		}
		if len(msgs) == 0 {
			msgs = append(msgs, b.Name+": has errors")
		}
		out.broken = append(out.broken, strings.Join(msgs, "\n          "))
	}
	return out, nil
}

func selectVerifyQuestions(all []*quiz.Question, opts *VerifyOptions) ([]*quiz.Question, error) {
	if len(opts.Packs) == 0 && len(opts.Questions) == 0 {
		return all, nil
	}
	packs := map[string]bool{}
	for _, p := range opts.Packs {
		packs[p] = true
	}
	wantQ := map[string]bool{}
	for _, q := range opts.Questions {
		wantQ[q] = true
	}
	var out []*quiz.Question
	seenPack := map[string]bool{}
	seenQ := map[string]bool{}
	for _, q := range all {
		if len(packs) > 0 && !packs[q.PackID] {
			continue
		}
		seenPack[q.PackID] = true
		if len(wantQ) > 0 && !wantQ[q.FullID()] && !wantQ[q.ID] {
			continue
		}
		seenQ[q.FullID()], seenQ[q.ID] = true, true
		out = append(out, q)
	}
	for p := range packs {
		if !seenPack[p] {
			return nil, FlagErrorf("--pack %s: no such pack", p)
		}
	}
	for q := range wantQ {
		if !seenQ[q] {
			return nil, FlagErrorf("--question %s: no such question", q)
		}
	}
	return out, nil
}

// jsonReport is verify --json (PRODUCT.md section 12).
func jsonReport(rep *verify.Report, res *packsResult) any {
	summary := map[string]any{
		"questions": rep.Summary.Questions,
		"unchecked": rep.Summary.Unchecked,
		"pythons":   rep.Summary.Pythons,
		"findings":  rep.Summary.Findings + len(res.broken),
		"cached":    rep.Summary.Cached,
	}
	if summary["pythons"] == nil {
		summary["pythons"] = []string{}
	}
	for _, s := range verify.Statuses {
		summary[string(s)] = rep.Summary.Counts[s]
	}
	out := map[string]any{"results": rep.Results, "summary": summary}
	if len(res.broken) > 0 {
		out["pack_errors"] = res.broken
	}
	return out
}

func newVerifyRunner(opts *VerifyOptions, maxOut int, mem uint64) *pyrun.Runner {
	r := pyrun.NewRunner(pyrun.Env(opts.f.Getenv), pyrun.Limits{Timeout: opts.Timeout, MaxOutput: maxOut, Memory: mem})
	r.Strict = opts.Sandbox == "strict"
	r.NoShare = !opts.Share
	// How a test (or a user) sees what happens where namespaces are refused.
	r.NoNamespaces = opts.f.Getenv("PYQUIZ_NO_NAMESPACES") == "1"
	r.NoCgroups = opts.f.Getenv("PYQUIZ_NO_CGROUPS") == "1"
	return r
}

// sandboxLine says which sandbox verify runs snippets in, and whether a
// cgroup bounds the memory of a sandbox's processes together.
func sandboxLine(level sandbox.Level, why, memory string, cgroups bool, cgWhy string) string {
	together := fmt.Sprintf("; together (cgroup): memory %s plus the fork server's own, %d processes", memory, pyrun.MaxProcesses)
	if !cgroups {
		together = fmt.Sprintf("; memory bounded per process only (no cgroup: %s)", cgWhy)
	}
	if level == sandbox.LevelNamespaces {
		return fmt.Sprintf("sandbox: namespaces (user, pid, network, mount, ipc, uts): read-only files but a fresh /tmp, your home and working folder hidden, no network, no other processes; limits: memory %s per process, files %d MiB, %d open files, %d processes",
			memory, pyrun.MaxFileSize>>20, pyrun.MaxOpenFiles, pyrun.MaxProcesses) + together
	}
	return fmt.Sprintf("sandbox: weaker, limits only (%s): memory %s, files %d MiB, %d open files",
		why, memory, pyrun.MaxFileSize>>20, pyrun.MaxOpenFiles) + together + "; --sandbox=strict refuses to run"
}

func listPythons(opts *VerifyOptions, pys []pyrun.Interpreter) error {
	io := opts.f.IOStreams
	mem, _ := parseMemory(opts.Memory)
	runner := newVerifyRunner(opts, 0, mem)
	level, why := runner.Sandbox()
	cgroups, cgWhy := runner.Cgroups()
	runner.Close()
	if opts.JSON {
		type item struct {
			Version string `json:"version"`
			Path    string `json:"path"`
			Found   string `json:"found"`
			Via     string `json:"via"`
		}
		items := []item{}
		for _, p := range pys {
			items = append(items, item{p.Version.String(), p.Path, p.Found, p.Via})
		}
		sb := map[string]any{"level": level.String(), "strong": level == sandbox.LevelNamespaces}
		if why != "" {
			sb["reason"] = why
		}
		sb["cgroup"] = cgroups
		if !cgroups {
			sb["cgroup_reason"] = cgWhy
		}
		return writeJSON(io.Out, map[string]any{"pythons": items, "sandbox": sb})
	}
	if len(pys) == 0 {
		fmt.Fprintln(io.ErrOut, "no Python interpreter found on PATH or in pyenv; use --python PATH or PYQUIZ_PYTHONS")
		return ErrFindings
	}
	tw := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tPATH\tFOUND")
	for _, p := range pys {
		found := p.Found
		if p.Via != "" && p.Via != p.Path {
			found += " as " + p.Via
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Version, p.Path, found)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Status, not data: a script reading the table still can.
	fmt.Fprintln(io.ErrOut, sandboxLine(level, why, opts.Memory, cgroups, cgWhy))
	return nil
}
