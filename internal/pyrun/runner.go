package pyrun

import (
	"context"
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
	path string
	slot int
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

// Run runs code on py. Runs in different slots (0, 1) happen in different
// processes and so, on Python 3, under different str hash seeds: running a
// snippet in both slots is how verify finds hash-order nondeterminism.
func (r *Runner) Run(ctx context.Context, py Interpreter, code string, slot int) (Result, error) {
	if err := r.init(); err != nil {
		return Result{}, err
	}
	if !forkServers {
		return RunPlain(ctx, py, r.Env, code, r.Limits)
	}
	plain, teardown := r.classify(code)
	if !plain {
		res, err := r.runOn(ctx, py, slot, code, teardown, nil)
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
	return r.runOn(ctx, py, slot, code, false, argv)
}

// runOn runs code on a server of py, starting a fresh one once if the
// server it got turns out to be dead.
func (r *Runner) runOn(ctx context.Context, py Interpreter, slot int, code string, teardown bool, plainArgv []string) (Result, error) {
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		var s *server
		if s, err = r.get(py, slot); err != nil {
			return Result{}, err
		}
		res, broken, rerr := s.run(ctx, code, teardown, plainArgv, r.Limits)
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

// classify memoizes NeedsPlain and NeedsTeardown: each snippet runs on
// many interpreters, twice.
func (r *Runner) classify(code string) (plain, teardown bool) {
	type kind struct{ plain, teardown bool }
	if k, ok := r.kinds.Load(code); ok {
		return k.(kind).plain, k.(kind).teardown
	}
	k := kind{NeedsPlain(code), NeedsTeardown(code)}
	r.kinds.Store(code, k)
	return k.plain, k.teardown
}

func (r *Runner) get(py Interpreter, slot int) (*server, error) {
	k := poolKey{py.Path, slot}
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
	s.slot = slot
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
	k := poolKey{s.py.Path, s.slot}
	r.idle[k] = append(r.idle[k], s)
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
// reference callbacks, suspended generators' finally blocks, file objects
// flushed when collected. Such snippets get Python's full finalization;
// the others skip it, which is most of the cost of a forked run.
func NeedsTeardown(code string) bool { return teardownCode().MatchString(code) }

var teardownCode = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`__del__|weakref|\byield\b|\bopen\(|fdopen|TextIOWrapper|Buffered|finalize|getwriter|\basync\b|__exit__|contextmanager|\bsocket|subprocess|multiprocessing|tempfile|logging`)
})
