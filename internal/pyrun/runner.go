package pyrun

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/pyquiz/pyquiz/internal/sandbox"
)

// Runner runs snippets through fork servers, one pool per interpreter and
// hash-seed slot, each server in a sandbox of its own (see Sandbox). It
// runs a snippet as a plain run of a fresh interpreter, in the same kind
// of sandbox, where a forked child cannot be made to behave exactly like
// a fresh interpreter (see NeedsPlain).
type Runner struct {
	Env    []string // the sandbox environment, from Env
	Limits Limits
	// Strict refuses to run anything when the kernel refuses namespaces,
	// instead of running with resource limits only.
	Strict bool
	// NoNamespaces runs with resource limits only, as where the kernel
	// refuses namespaces (to try that sandbox where it does not).
	NoNamespaces bool
	// NoCgroups runs without a cgroup per sandbox even where one could be
	// made (to try that where it can).
	NoCgroups bool
	// NoShare gives every run a process of its own: RunShared is Run.
	NoShare bool

	once    sync.Once
	initErr error
	level   sandbox.Level
	why     string // why the level is not LevelNamespaces
	cgroups bool   // a cgroup per sandbox bounds its memory and processes
	cgWhy   string // why not
	dir     string // holds driver.py, without namespaces
	runRoot string // holds the runs' working folders, without namespaces

	rootOnce sync.Once
	root     string
	kinds    sync.Map // code -> kind, see classify

	mu      sync.Mutex
	idle    map[poolKey][]*server
	all     []*server
	closed  bool
	closing sync.WaitGroup // servers being closed in the background
}

type poolKey struct {
	path   string
	slot   int
	shared bool // its servers run shared runs only (their worker lives on between them)
}

// NewRunner returns a Runner; Close stops its servers.
func NewRunner(env []string, lim Limits) *Runner {
	return &Runner{Env: env, Limits: lim.withDefaults(), idle: map[poolKey][]*server{}}
}

// SandboxError is returned by Run under Strict when namespaces are refused.
type SandboxError struct{ Why string }

func (e *SandboxError) Error() string {
	return "the full sandbox is not available here (" + e.Why + ") and --sandbox=strict refuses to run without it"
}

// Sandbox says which sandbox runs are in (probing once), and why it is
// not the full one when it is not.
func (r *Runner) Sandbox() (sandbox.Level, string) {
	r.init()
	return r.level, r.why
}

// Cgroups says whether the memory of all the processes of a sandbox
// together (a fork server and its runs) is bounded by a cgroup, to
// --memory plus the server's own, and their number too; and why not when
// it is not (then only each process is bounded).
func (r *Runner) Cgroups() (bool, string) {
	r.init()
	return r.cgroups, r.cgWhy
}

func (r *Runner) init() error {
	r.once.Do(func() {
		if r.NoCgroups {
			r.cgWhy = "cgroups turned off"
		} else {
			r.cgroups, r.cgWhy = sandbox.Cgroups()
		}
		if r.NoNamespaces {
			r.level, r.why = sandbox.LevelLimits, "namespaces turned off"
		} else {
			r.level, r.why = sandbox.Probe(sandbox.Spec{Limits: r.sandboxLimits()})
		}
		if r.level == sandbox.LevelNamespaces {
			return
		}
		if r.Strict {
			r.initErr = &SandboxError{r.why}
			return
		}
		dir, err := os.MkdirTemp("", "pyquiz-driver-")
		if err != nil {
			r.initErr = err
			return
		}
		r.dir = dir
		if r.initErr = os.WriteFile(filepath.Join(dir, driverName), driverSource, 0o600); r.initErr != nil {
			return
		}
		r.runRoot, r.initErr = os.MkdirTemp(r.tempRoot(), "pyquiz-runs-")
	})
	return r.initErr
}

// sandboxLimits are the resource limits of every interpreter process.
func (r *Runner) sandboxLimits() sandbox.Limits {
	l := sandbox.Limits{
		AddressSpace: r.Limits.Memory,
		FileSize:     MaxFileSize,
		OpenFiles:    MaxOpenFiles,
	}
	// Counted per user: only a sandbox's own user namespace makes the
	// count the run's processes rather than all the caller's.
	if r.level == sandbox.LevelNamespaces {
		l.Processes = MaxProcesses
	}
	return l
}

// tempRoot is where run folders go without namespaces: $TMPDIR when set,
// else /dev/shm when it is a writable folder (a memory file system), else
// the system's temporary folder.
func (r *Runner) tempRoot() string {
	r.rootOnce.Do(func() {
		r.root = os.TempDir()
		if os.Getenv("TMPDIR") != "" {
			return
		}
		if d, err := os.MkdirTemp("/dev/shm", "pyquiz-probe-"); err == nil {
			os.Remove(d)
			r.root = "/dev/shm"
		}
	})
	return r.root
}

// Close stops every fork server (and so everything in their sandboxes)
// and removes the driver script.
func (r *Runner) Close() error {
	r.mu.Lock()
	all := r.all
	r.all, r.idle, r.closed = nil, map[poolKey][]*server{}, true
	r.mu.Unlock()
	for _, s := range all {
		s.close()
	}
	// A sandbox's PID 1 is reaped only after the kernel has ended every
	// other process in it: once this returns, nothing of any run is left.
	r.closing.Wait()
	if r.runRoot != "" {
		os.RemoveAll(r.runRoot)
	}
	if r.dir != "" {
		return os.RemoveAll(r.dir)
	}
	return nil
}

// Run runs code on py, in a process of its own. Runs in different slots
// (0, 1) happen in different processes and so, on Python 3, under
// different str hash seeds: running a snippet in both slots is how verify
// finds hash-order nondeterminism.
func (r *Runner) Run(ctx context.Context, py Interpreter, code string, slot int) (Result, error) {
	return r.RunShared(ctx, py, code, slot, "")
}

// RunShared is Run, except that when group is not empty, the sandbox has
// namespaces and NeedsOwnProcess(code) is false, the snippet may run in a
// process shared with other snippets of the same group, one after another:
// a worker forked from the fork server, which runs each such snippet in a
// fresh __main__ module, folder and stdout as it would a forked child, and
// lives on after it. Forking a child per snippet costs more than the
// snippet does on a machine where copy-on-write faults are slow; a shared
// run costs little more than the snippet. The scan keeps to the worker
// only snippets that cannot change what the next one sees (imports of pure
// modules only, none of their attributes changed, no builtins module, no
// reflection on the interpreter, files only in with statements; see
// NeedsOwnProcess); a run that ends in a way that may have changed the
// process (time up, flood, out of memory or stack, an exception while
// flushing, threading or atexit brought in) ends the worker, and so does a
// run that left a process behind. verify's groups are packs: a pack's snippets
// never share a process with another pack's.
func (r *Runner) RunShared(ctx context.Context, py Interpreter, code string, slot int, group string) (Result, error) {
	if err := r.init(); err != nil {
		return Result{}, err
	}
	if !forkServers {
		return RunPlain(ctx, py, r.Env, code, r.Limits)
	}
	plain, teardown, own := r.classify(code)
	if !plain {
		g := ""
		if group != "" && !own && !teardown && !r.NoShare && r.level == sandbox.LevelNamespaces {
			sum := sha256.Sum256([]byte(group))
			g = hex.EncodeToString(sum[:8])
		}
		res, err := r.runOn(ctx, py, slot, code, teardown, g, nil)
		if err == nil && !plainAfter(res) {
			return res, nil
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		// The driver's frame changed the outcome, or the server died: a
		// plain run decides.
	}
	argv := append(append([]string{py.Path}, Flags(py.Version)...), ScriptName)
	return r.runOn(ctx, py, slot, code, false, "", argv)
}

// runOn runs code on a server of py, starting a fresh one once if the
// server it got turns out to be dead.
func (r *Runner) runOn(ctx context.Context, py Interpreter, slot int, code string, teardown bool, group string, plainArgv []string) (Result, error) {
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		var s *server
		if s, err = r.get(poolKey{py.Path, slot, group != ""}, py); err != nil {
			return Result{}, err
		}
		res, broken, rerr := s.run(ctx, code, teardown, plainArgv, group, r.Limits)
		r.put(s, broken)
		if rerr == nil {
			return res, nil
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		err = fmt.Errorf("%w on %s: %s", rerr, py.Path, s.debug.Bytes())
	}
	return Result{}, err
}

// classify memoizes NeedsPlain, NeedsTeardown and NeedsOwnProcess: each
// snippet runs on many interpreters, twice.
func (r *Runner) classify(code string) (plain, teardown, own bool) {
	type kind struct{ plain, teardown, own bool }
	if k, ok := r.kinds.Load(code); ok {
		return k.(kind).plain, k.(kind).teardown, k.(kind).own
	}
	k := kind{NeedsPlain(code), NeedsTeardown(code), NeedsOwnProcess(code)}
	r.kinds.Store(code, k)
	return k.plain, k.teardown, k.own
}

func (r *Runner) get(k poolKey, py Interpreter) (*server, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, errors.New("runner closed")
	}
	if n := len(r.idle[k]); n > 0 {
		s := r.idle[k][n-1]
		r.idle[k] = r.idle[k][:n-1]
		r.mu.Unlock()
		return s, nil
	}
	r.mu.Unlock()
	s, err := r.startServer(py)
	if err != nil {
		return nil, err
	}
	s.key = k
	r.mu.Lock()
	r.all = append(r.all, s)
	r.mu.Unlock()
	return s, nil
}

func (r *Runner) put(s *server, broken bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if broken || r.closed {
		for i, x := range r.all {
			if x == s {
				r.all = append(r.all[:i], r.all[i+1:]...)
				break
			}
		}
		r.closing.Add(1)
		go func() {
			defer r.closing.Done()
			s.close()
		}()
		return
	}
	r.idle[s.key] = append(r.idle[s.key], s)
}

// NeedsPlain reports whether code looks at what a forked child cannot make
// identical to a fresh interpreter: the Python call stack (the driver's
// frame sits below the snippet's), recursion depth, reference counts and
// the garbage collector's view of the objects the fork server holds.
func NeedsPlain(code string) bool { return plainCode().MatchString(code) }

var plainCode = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(inspect|traceback|_getframe|f_back|getrefcount|gc|tracemalloc|settrace|setprofile|getrecursionlimit|setrecursionlimit|RecursionError|recursion|KeyboardInterrupt|faulthandler|_current_frames)\b`)
})

// plainAfter reports a fast result that depends on the stack depth or the
// way the process ended, so it is redone as a plain run.
func plainAfter(res Result) bool {
	switch res.Exception {
	case "RecursionError", "MemoryError", "KeyboardInterrupt":
		return true
	}
	if res.ExitCode < 0 && !res.TimedOut && !res.Flooded {
		return true // killed by a signal it sent or got
	}
	return strings.Contains(string(res.Stderr), "maximum recursion depth")
}

// NeedsTeardown reports whether code may do something observable while the
// interpreter tears its modules down at exit: __del__ methods, weak
// reference callbacks, suspended generators' (and async generators')
// finally blocks, file objects flushed when collected, sockets and
// subprocesses warning when collected. Such snippets get Python's full
// finalization; the others skip it, which is most of the cost of a forked
// run (on a machine with slow copy-on-write faults, tearing down a forked
// interpreter copies most of its memory). atexit handlers (tempfile's and
// logging's clean-up among them), thread joins and stream flushes run
// either way. What is left out: a coroutine object still referenced at
// exit and never awaited, whose "never awaited" RuntimeWarning (on stderr)
// a plain run prints at teardown.
//
// A file opened by a with statement (`with open(...) as f:`) is closed, and
// so flushed, when the statement ends: those opens do not count.
func NeedsTeardown(code string) bool {
	return teardownCode().MatchString(withOpen().ReplaceAllString(code, "with "))
}

var withOpen = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\bwith[ \t]+open\(`) })

var teardownCode = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`__del__|weakref|\byield\b|\bopen\(|fdopen|TextIOWrapper|Buffered|finalize|getwriter|\bsocket|subprocess|multiprocessing|logging`)
})

// NeedsOwnProcess reports whether code may change what a later snippet in
// the same process would see, or see what an earlier one left, so that it
// must not run in a shared worker (see RunShared): it imports (module
// state, sys.modules) other than the pure modules of sharedImport, reaches
// the builtins module or the interpreter's own objects (sys, os, gc,
// frames, code objects, subclasses of object, a builtin's __self__),
// opens a file other than in a with statement, reads standard input,
// calls exit/quit/help (which close or read stdin), asks for identities
// (a long-lived process hands out other addresses than a freshly forked
// one) or registers a class with an ABC. Snippets that act at teardown or
// look at the stack (NeedsTeardown, NeedsPlain) never share either. eval,
// exec, globals() and vars() are no reason: the scan reads the source
// text, strings and comments included, so an import or __builtins__ in a
// string counts as one in the code. It errs on the side of a process of
// its own and is for honest snippets: a hostile one can get past any such
// scan, which is why snippets share a worker only with their own pack's.
func NeedsOwnProcess(code string) bool {
	code = withOpen().ReplaceAllString(code, "with ")
	if patchesImports(code) {
		return true
	}
	return ownCode().MatchString(sharedImport().ReplaceAllString(code, ""))
}

// patchesImports reports whether code may change a module a shared worker
// keeps for the next snippet: it imports one of sharedImport's modules and
// assigns to, deletes or mutates (append, update, ...) an attribute of a
// name that import bound (functools.reduce = ..., del json.loads,
// setattr(math, ...), Enum.x = 1), or star-imports one (names it cannot
// follow then).
func patchesImports(code string) bool {
	var names []string
	for _, m := range sharedImport().FindAllString(code, -1) {
		line := strings.TrimSpace(m)
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		var list string
		if strings.HasPrefix(line, "from") {
			_, list, _ = strings.Cut(line, " import ")
			if strings.TrimSpace(list) == "*" {
				return true
			}
		} else {
			list = strings.TrimPrefix(line, "import")
		}
		for _, item := range strings.Split(list, ",") {
			f := strings.Fields(item)
			switch {
			case len(f) == 3 && f[1] == "as":
				names = append(names, f[2])
			case len(f) == 1:
				names = append(names, strings.SplitN(f[0], ".", 2)[0])
			}
		}
	}
	if len(names) == 0 {
		return false
	}
	for i, n := range names {
		names[i] = regexp.QuoteMeta(n)
	}
	alt := `\b(?:` + strings.Join(names, "|") + `)`
	attr := alt + `(?:\.\w+)+`
	re := regexp.MustCompile(attr + `\s*(?:\[[^\]\n]*\]\s*)?(?:[-+*/%&|^@]|//|\*\*|<<|>>)?=(?:[^=]|$)|` +
		`\bdel\s+` + attr + `|\b(?:setattr|delattr)\(\s*` + alt + `\b|` +
		attr + `\.(?:append|extend|insert|remove|pop|popitem|clear|update|setdefault|add|discard|sort|reverse)\(`)
	return re.MatchString(code)
}

// sharedImport matches a line that only imports modules a shared worker
// may keep for the next snippet: their import does nothing a snippet can
// see but define them, and they hold no state an honest snippet changes
// for the next one (as decimal's context, random's generator, warnings'
// filters, copyreg's table or an ABC's register would; "register" sends a
// snippet to a process of its own, see ownCode). A snippet that imports
// anything else, or imports in any other form (several statements on a
// line, a parenthesised list over lines), runs in its own process.
var sharedImport = sync.OnceValue(func() *regexp.Regexp {
	mod := `(?:__future__|abc|array|bisect|cmath|collections(?:\.abc)?|copy|dataclasses|datetime|enum|fractions|functools|heapq|itertools|json|keyword|math|numbers|operator|pprint|re|reprlib|string|struct|textwrap|time|types|typing|unicodedata)`
	name := `\w+(?:[ \t]+as[ \t]+\w+)?`
	return regexp.MustCompile(`(?m)^[ \t]*(?:import[ \t]+` + mod + `(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*` + mod + `(?:[ \t]+as[ \t]+\w+)?)*|from[ \t]+` + mod + `[ \t]+import[ \t]+(?:\*|` + name + `(?:[ \t]*,[ \t]*` + name + `)*))[ \t]*(?:#.*)?$`)
})

var ownCode = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\bimport\b|__import__|\b__builtins?__\b|\bbuiltins\b|` +
		`\b(execfile|open|file|input|raw_input|exit|quit|help|license|credits|copyright|breakpoint|id|intern|reload)\b|` +
		`__(subclasses|self|globals|code|closure|getattribute|setattr|delattr)__|\.register\b|` +
		`\b(sys|os|gc|f_\w+|gi_\w+|cr_\w+|ag_\w+|tb_\w+|co_\w+|func_\w+|im_\w+)\b`)
})
