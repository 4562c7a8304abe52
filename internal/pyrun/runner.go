package pyrun

import (
	"bytes"
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
// only snippets that cannot change what the next one sees, or change only
// what the worker sets back before the next run (random's seed, asyncio's
// event loop, the import path, modules of the snippet's own; see
// NeedsOwnProcess and _pq_fresh in driver.py). At the end of a run the
// worker joins its threads, runs the exit handlers it registered,
// releases what it left and collects its garbage, as an exit would; a run
// that ends in a way that may have changed the process (time up, flood,
// out of memory or stack, an exception while flushing, a thread still
// running, an exit handler it could not run alone, sys.stdout or a sys
// hook replaced) ends the worker, and so does a run that left a process
// behind. verify's groups are sources: a pack, or all the built-in packs
// (see verify.GroupBySource).
func (r *Runner) RunShared(ctx context.Context, py Interpreter, code string, slot int, group string) (Result, error) {
	if err := r.init(); err != nil {
		return Result{}, err
	}
	if !forkServers {
		return RunPlain(ctx, py, r.Env, code, r.Limits)
	}
	plain, own := r.classify(code)
	if !plain {
		g := ""
		if group != "" && !own && !r.NoShare && r.level == sandbox.LevelNamespaces {
			g = groupID(group)
		}
		res, err := r.runOn(ctx, py, slot, code, g, nil)
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
	return r.runOn(ctx, py, slot, code, "", argv)
}

// groupID is the name a group's worker goes by in the driver's protocol:
// free of tabs and newlines, whatever the group is called.
func groupID(group string) string {
	sum := sha256.Sum256([]byte(group))
	return hex.EncodeToString(sum[:8])
}

// runOn runs code on a server of py, starting a fresh one once if the
// server it got turns out to be dead.
func (r *Runner) runOn(ctx context.Context, py Interpreter, slot int, code string, group string, plainArgv []string) (Result, error) {
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		var s *server
		if s, err = r.get(poolKey{py.Path, slot, group != ""}, py); err != nil {
			return Result{}, err
		}
		res, broken, rerr := s.run(ctx, code, plainArgv, group, r.Limits)
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

// classify memoizes whether code is a plain run (NeedsPlain or
// NeedsTeardown) and NeedsOwnProcess: each snippet runs on many
// interpreters, twice.
func (r *Runner) classify(code string) (plain, own bool) {
	type kind struct{ plain, own bool }
	if k, ok := r.kinds.Load(code); ok {
		return k.(kind).plain, k.(kind).own
	}
	k := kind{NeedsPlain(code) || NeedsTeardown(code), NeedsOwnProcess(code)}
	r.kinds.Store(code, k)
	return k.plain, k.own
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
// subprocesses warning when collected. Such snippets run as plain runs,
// with Python's full finalization; the others skip the module teardown,
// which is most of the cost of a forked run (on a machine with slow
// copy-on-write faults, tearing down a forked interpreter copies most of
// its memory, and costs more than a fresh interpreter's whole run).
// atexit handlers (tempfile's and logging's clean-up among them), thread
// joins and stream flushes run either way, and a shared worker releases
// what a run left and collects its garbage at the end of the run. What is
// left out in a forked run: a coroutine object still referenced at exit
// and never awaited, whose "never awaited" RuntimeWarning (on stderr) a
// plain run prints at teardown.
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
// must not run in a shared worker (see RunShared). A snippet shares a
// worker when everything it imports is either a module of sharedModules
// (modules whose state an honest snippet does not change, or whose state
// the worker sets afresh before each run: random's generator, asyncio's
// event loop; threads must have ended and exit handlers run by the end of
// a run, or the worker ends) or a module of its own: a name it also spells
// as a string (the file it writes) when it puts a folder on sys.path (the
// worker forgets such modules and restores the path after the run).
//
// It needs a process of its own when it changes an attribute of a module
// it imported (functools.reduce = ..., del, setattr, .append, star
// imports), uses sys or os beyond a few read-only names (sys.exit,
// sys.version_info, sys.path.insert, os.path, os.listdir ...), reaches the
// builtins module or the interpreter's own objects (gc, frames, code
// objects, subclasses of object, a builtin's __self__), opens a file other
// than in a with statement, reads standard input, calls exit/quit/help
// (which close or read stdin), asks for identities (a long-lived process
// hands out other addresses than a freshly forked one, numbers asyncio's
// tasks on, and holds descriptors 3-5 open: get_name, current_task,
// all_tasks, fileno, mkstemp), registers with a
// module (an ABC, sqlite3's adapters, shutil's formats) or imports by name
// at run time. Snippets that act at teardown or look at the stack
// (NeedsTeardown, NeedsPlain) never share either.
//
// Imports and the names above count wherever they appear, strings and
// comments included (an import in a string may be run by exec, or be a
// module the snippet writes); the harmless builtins' names (open, exit,
// id, input ...) do not count in strings and comments, unless the snippet
// runs code from strings (eval, exec, compile). The scan errs on the side
// of a process of its own and is for honest snippets: a hostile one can
// get past any such scan, which is why snippets share a worker only with
// their own group's (see RunShared).
func NeedsOwnProcess(code string) bool {
	code = withOpen().ReplaceAllString(code, "with ")
	rest, bound, ok := dropImports(code)
	if !ok || patchesImports(code, bound) {
		return true
	}
	rest = sysOsReads().ReplaceAllString(rest, "")
	if ownCode().MatchString(rest) {
		return true
	}
	if !runsStrings().MatchString(code) {
		rest = stripStrings(rest)
	}
	// A name bound or passed by keyword (id = ..., file=...) is not the
	// builtin.
	rest = bindsName().ReplaceAllString(rest, " $1")
	return builtinCall().MatchString(rest)
}

// sharedModules are the modules a shared worker keeps for the next
// snippet: their import does nothing a snippet can see but define them,
// and they hold no state an honest snippet changes for the next one, or
// the worker sets it afresh (random, asyncio; see _pq_fresh in driver.py).
// decimal's context, warnings' filters, copyreg's table, logging's
// handlers or signal's handlers would outlive a run. os and sys are there
// for their read-only names only (see sysOsReads).
var sharedModules = map[string]bool{
	"__future__": true, "abc": true, "array": true, "asyncio": true, "bisect": true, "cmath": true,
	"collections": true, "contextlib": true, "copy": true, "dataclasses": true, "datetime": true,
	"enum": true, "fnmatch": true, "fractions": true, "functools": true, "glob": true, "heapq": true,
	"importlib": true, "io": true, "itertools": true, "json": true, "keyword": true, "math": true,
	"numbers": true, "operator": true, "os": true, "pprint": true, "queue": true, "random": true,
	"re": true, "reprlib": true, "shutil": true, "sqlite3": true, "string": true, "struct": true,
	"sys": true, "tempfile": true, "textwrap": true, "threading": true, "time": true, "types": true,
	"typing": true, "unicodedata": true,
}

// heldModules are the top-level names of the modules a worker may hold
// that a fresh interpreter has not imported at start-up: sharedModules and
// what they import, on 2.7 and 3.6-3.13 (TestHeldModulesListed checks the
// list on every interpreter found).
var heldModules = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, name := range strings.Fields("__future__ __mp_main__ _ast _asyncio _bisect _blake2 _bz2 _collections _colorize " +
		"_compat_pickle _compression _contextvars _datetime _decimal _functools _hashlib _heapq _io " +
		"_json _locale _lzma _md5 _multiprocessing _opcode _opcode_metadata _operator _pickle " +
		"_posixsubprocess _queue _random _sha _sha1 _sha2 _sha256 _sha3 _sha512 _socket _sqlite3 " +
		"_sre _ssl _string _struct _tokenize _typing _weakrefset array ast asyncio atexit base64 " +
		"binascii bisect bz2 cStringIO cmath collections concurrent contextlib contextvars copy " +
		"copyreg dataclasses datetime decimal dis enum errno fcntl fnmatch fractions functools glob " +
		"grp hashlib heapq importlib inspect io ipaddress itertools json keyword linecache locale " +
		"logging lzma math multiprocessing numbers opcode operator pickle pprint pwd queue random " +
		"re reprlib select selectors shutil signal socket sqlite3 sre_compile sre_constants " +
		"sre_parse ssl string strop struct subprocess tempfile textwrap thread threading time token " +
		"tokenize traceback types typing unicodedata warnings weakref zlib ") {
		m[name] = true
	}
	return m
})

var (
	fromImport = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\bfrom[ \t]+(\.*[\w.]*)[ \t]+import\b[ \t]*(\([^)]*\)?|[^\n;#\\'"]*)`)
	})
	plainImport = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\bimport[ \t]+([^\n;#\\'"]*)`) })
	pathInsert  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\bsys\.path\.(?:insert|append)\(`) })
)

// dropImports checks every import in code (statements, and imports in
// strings, which the snippet may run or write as a module): each must be
// of a sharedModules module or of a module of the snippet's own (see
// NeedsOwnProcess). It returns code without them, and the names the
// imports of sharedModules bind (for patchesImports).
func dropImports(code string) (rest string, bound []string, ok bool) {
	own := pathInsert().MatchString(code)
	spelled := func(name, suffix string) bool {
		return regexp.MustCompile(`['"]` + regexp.QuoteMeta(name) + suffix + `['"]`).MatchString(code)
	}
	allowed := func(mod string) bool {
		top, _, _ := strings.Cut(mod, ".")
		switch {
		case top == "" || !own:
			return sharedModules[top]
		case sharedModules[top]:
			// Unless the snippet writes its own (random.py, to shadow
			// random): a fresh process would import the snippet's file, a
			// worker may hold the module already.
			return !spelled(top, `\.py`)
		case spelled(top, `(?:\.py)?`):
			// A module of its own, unless named as one a worker may hold.
			return !heldModules()[top]
		}
		return false
	}
	ok = true
	rest = fromImport().ReplaceAllStringFunc(code, func(m string) string {
		sub := fromImport().FindStringSubmatch(m)
		mod, names := sub[1], strings.Trim(strings.TrimSpace(sub[2]), "()")
		top, _, _ := strings.Cut(mod, ".")
		switch {
		case !allowed(mod):
			ok = false
		case (top == "os" || top == "sys") && mod != "os.path" && !(mod == "os" && strings.TrimSpace(names) == "path"):
			ok = false // a name of os or sys bound on its own escapes sysOsReads
		case sharedModules[top]:
			if strings.TrimSpace(names) == "*" {
				ok = false // names patchesImports cannot follow
			}
			for _, item := range strings.Split(names, ",") {
				if _, binds, ok := importItem(item); ok {
					bound = append(bound, binds)
				}
			}
		}
		return ""
	})
	rest = plainImport().ReplaceAllStringFunc(rest, func(m string) string {
		for _, item := range strings.Split(plainImport().FindStringSubmatch(m)[1], ",") {
			mod, binds, good := importItem(item)
			if !good || !allowed(mod) {
				ok = false
				continue
			}
			top, _, _ := strings.Cut(mod, ".")
			if !sharedModules[top] {
				continue
			}
			if binds != mod && (top == "os" || top == "sys") {
				ok = false // an alias sysOsReads would not know
			}
			if binds == mod {
				binds = top // import a.b binds a
			}
			bound = append(bound, binds)
		}
		return ""
	})
	return rest, bound, ok
}

// importItem reads one item of an import list, "name" or "name as
// alias": the name, and the name it binds (the alias, or the name).
func importItem(item string) (name, binds string, ok bool) {
	f := strings.Fields(item)
	switch {
	case len(f) == 1:
		return f[0], f[0], true
	case len(f) == 3 && f[1] == "as":
		return f[0], f[2], true
	}
	return "", "", false
}

// patchesImports reports whether code may change a module a shared worker
// keeps for the next snippet: it assigns to, deletes or mutates (append,
// update, ...) an attribute of a name an import of one bound
// (functools.reduce = ..., del json.loads, setattr(math, ...),
// Enum.x = 1). sys.path.insert and .append do not count: the worker puts
// the path back.
func patchesImports(code string, names []string) bool {
	if len(names) == 0 {
		return false
	}
	code = pathInsert().ReplaceAllString(code, "(")
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

// sysOsReads matches the uses of sys and os a shared snippet may make:
// names that read the interpreter's constants, end the run, write to the
// standard streams (sys.stdout.write, print(..., file=sys.stderr)), add
// to the import path (put back after the run) or work on files by path (in
// the run's own folders).
var sysOsReads = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\bsys\.(?:exit|exc_info|version_info|version|hexversion|maxsize|maxunicode|byteorder|float_info|int_info|hash_info|platform|implementation|argv|getsizeof|getdefaultencoding|path\.(?:insert|append))\b|` +
		`\bsys\.(?:stdout|stderr)(?:\.(?:write|flush)\b|\s*[,)])|` +
		`\bos\.(?:path(?:\.\w+)?|sep|linesep|curdir|pardir|extsep|getcwd|listdir|remove|unlink|mkdir|makedirs|rmdir|removedirs|rename|replace|walk|stat|fspath)\b`)
})

var ownCode = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\bimport\b|__import__|\b__builtins?__\b|\bbuiltins\b|\bimport_module\b|` +
		`__(subclasses|self|globals|code|closure|getattribute|setattr|delattr)__|\.register\b|\b(?:un)?register_\w+|` +
		`\b(?:enable_callback_tracebacks|enable_shared_cache|add_signal_handler|set_child_watcher|stack_size)\b|` +
		`\b(?:get_name|current_task|all_tasks|fileno|mkstemp)\b|` +
		`\b(sys|os|gc|f_\w+|gi_\w+|cr_\w+|ag_\w+|tb_\w+|co_\w+|func_\w+|im_\w+)\b`)
})

// builtinCall matches the builtins a shared snippet must not use: they
// close or read stdin, or give identities (see NeedsOwnProcess).
var builtinCall = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(execfile|open|file|input|raw_input|exit|quit|help|license|credits|copyright|breakpoint|id|intern|reload)\b`)
})

var bindsName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b\w+[ \t]*=([^=]|$)`) })

// runsStrings matches code that may run code held in a string.
var runsStrings = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b(?:eval|exec|compile|execfile)\b`) })

// stripStrings blanks out comments and the contents of string literals
// (f-strings, which hold code, stay), so that builtinCall does not see a
// word in a message ('open', "exit") as a call.
func stripStrings(code string) string {
	b := []byte(code)
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '#':
			for ; i < len(b) && b[i] != '\n'; i++ {
				b[i] = ' '
			}
		case c == '\'' || c == '"':
			// The prefix (r, b, u, f and pairs) just before the quote.
			j := i
			for j > 0 && strings.IndexByte("rRbBuUfF", b[j-1]) >= 0 {
				j--
			}
			if j > 0 && isWordByte(b[j-1]) {
				j = i // a name ending in r, b ...: no prefix
			}
			prefix := strings.ToLower(string(b[j:i]))
			q := []byte{c}
			if i+2 < len(b) && b[i+1] == c && b[i+2] == c {
				q = []byte{c, c, c}
			}
			k := i + len(q)
			for k < len(b) && !(bytes.HasPrefix(b[k:], q)) {
				if b[k] == '\\' {
					k++
				} else if b[k] == '\n' && len(q) == 1 {
					break
				}
				k++
			}
			end := min(k, len(b))
			if !strings.Contains(prefix, "f") {
				for x := i + len(q); x < end; x++ {
					if b[x] != '\n' {
						b[x] = ' '
					}
				}
			}
			i = min(end+len(q), len(b))
		default:
			i++
		}
	}
	return string(b)
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
