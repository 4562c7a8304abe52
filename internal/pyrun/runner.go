package pyrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Runner runs snippets through fork servers, one pool per interpreter and
// hash-seed slot. It falls back to RunPlain where a forked child cannot be
// made to behave exactly like a fresh interpreter (see NeedsPlain).
type Runner struct {
	Env    []string // the sandbox environment, from Env
	Limits Limits

	once    sync.Once
	initErr error
	dir     string // holds driver.py
	runRoot string // holds the runs' working folders

	rootOnce sync.Once
	root     string
	kinds    sync.Map // code -> kind, see classify

	mu     sync.Mutex
	idle   map[poolKey][]*server
	all    []*server
	closed bool
}

type poolKey struct {
	path string
	slot int
}

// NewRunner returns a Runner; Close stops its servers.
func NewRunner(env []string, lim Limits) *Runner {
	return &Runner{Env: env, Limits: lim.withDefaults(), idle: map[poolKey][]*server{}}
}

func (r *Runner) init() error {
	r.once.Do(func() {
		dir, err := os.MkdirTemp("", "pyquiz-driver-")
		if err != nil {
			r.initErr = err
			return
		}
		r.dir = dir
		if r.initErr = os.WriteFile(filepath.Join(dir, "pyquiz_driver.py"), driverSource, 0o600); r.initErr != nil {
			return
		}
		r.runRoot, r.initErr = os.MkdirTemp(r.tempRoot(), "pyquiz-runs-")
	})
	return r.initErr
}

// tempRoot is where run folders go: $TMPDIR when set, else /dev/shm when
// it is a writable folder (a memory file system: creating and deleting two
// files and two folders per run on a disk file system costs more than
// the fork), else the system's temporary folder.
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

// Close stops every fork server and removes the driver script.
func (r *Runner) Close() error {
	r.mu.Lock()
	all := r.all
	r.all, r.idle, r.closed = nil, map[poolKey][]*server{}, true
	r.mu.Unlock()
	for _, s := range all {
		s.close()
	}
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
	plain, teardown := r.classify(code)
	if plain {
		return RunPlain(ctx, py, r.Env, code, r.Limits)
	}
	res, err := r.runFast(ctx, py, code, slot, teardown)
	if err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		// A broken fork server is our problem, not the snippet's.
		return RunPlain(ctx, py, r.Env, code, r.Limits)
	}
	if plainAfter(res) {
		return RunPlain(ctx, py, r.Env, code, r.Limits)
	}
	return res, nil
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

func (r *Runner) runFast(ctx context.Context, py Interpreter, code string, slot int, teardown bool) (Result, error) {
	if err := r.init(); err != nil {
		return Result{}, err
	}
	s, err := r.get(py, slot)
	if err != nil {
		return Result{}, err
	}
	// A fresh working folder per run, inside the runner's own folder; the
	// status file the child writes sits outside it, unseen by the snippet.
	work, err := os.MkdirTemp(r.runRoot, "run-")
	if err != nil {
		r.put(s, true)
		return Result{}, err
	}
	status := work + ".status"
	defer os.Remove(status)
	defer os.RemoveAll(work)
	if err := os.WriteFile(filepath.Join(work, ScriptName), []byte(code), 0o600); err != nil {
		r.put(s, true)
		return Result{}, err
	}
	res, err := s.run(ctx, work, status, teardown, r.Limits)
	res.Stderr = bytes.ReplaceAll(res.Stderr, []byte(work+string(filepath.Separator)), nil)
	r.put(s, err != nil)
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return res, fmt.Errorf("%w on %s: %s", err, py.Path, s.debug.Bytes())
	}
	return res, err
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
	s, err := startServer(py, filepath.Join(r.dir, "pyquiz_driver.py"), r.Env)
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
		go s.close()
		return
	}
	k := poolKey{s.py.Path, s.slot}
	r.idle[k] = append(r.idle[k], s)
}

// NeedsPlain reports whether code looks at what a forked child cannot make
// identical to a fresh interpreter: the Python call stack (the driver's
// frame sits below the snippet's), recursion depth, reference counts and
// the garbage collector's view of the objects the fork server holds.
func NeedsPlain(code string) bool { return plainCode.MatchString(code) }

var plainCode = regexp.MustCompile(`\b(inspect|traceback|_getframe|f_back|getrefcount|gc|tracemalloc|settrace|setprofile|getrecursionlimit|setrecursionlimit|RecursionError|recursion|KeyboardInterrupt|faulthandler|_current_frames)\b`)

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
func NeedsTeardown(code string) bool { return teardownCode.MatchString(code) }

var teardownCode = regexp.MustCompile(`__del__|weakref|\byield\b|\bopen\(|fdopen|TextIOWrapper|Buffered|finalize|getwriter|\basync\b|__exit__|contextmanager|\bsocket|subprocess|multiprocessing|tempfile|logging`)
