// Package pyrun finds Python interpreters and runs snippets on them.
//
// A Runner runs each interpreter in a sandbox (internal/sandbox): on Linux
// new user, PID, network, mount, IPC and UTS namespaces, a read-only
// filesystem but for fresh tmpfs folders (/tmp, /dev/shm, the run folder
// inside /tmp), no network but an unconnected loopback, none of the
// caller's processes visible, resource limits (address space, file size,
// open files, processes), and every process a run starts killed when the
// run ends. Where namespaces are refused it runs with the limits only.
// Every run also gets a fresh working folder, an environment holding only
// PATH and LANG, empty stdin, isolated mode (-I; -E -s on 2.7), a time
// limit that is a hard deadline (SIGINT, then SIGKILL to everything the
// run started, then the whole sandbox) and a cap on stdout.
//
// RunPlain is the reference: `python -I snippet.py` in a fresh folder,
// outside any sandbox. A Runner gives the same stdout bytes, exception and
// exit code faster: it keeps a fork server (driver.py) per interpreter,
// started with the same flags, environment and kinds of standard streams
// as a plain run, and forks a child per snippet. The child rebuilds what a
// fresh interpreter has (a new __main__ with the same keys, __file__,
// sys.argv, sys.path[0] on 2.7, sys.modules as at start-up, descriptors
// 0-2 only, its own process group and folder), compiles and runs the
// snippet, and ends the way Py_Finalize does: threads joined, atexit
// handlers, streams flushed. Where that cannot be made identical the
// server runs a fresh interpreter instead (a plain run, in its sandbox):
//   - snippets that look at the call stack, the recursion limit, reference
//     counts or the garbage collector (NeedsPlain), and runs that end in
//     RecursionError, MemoryError, KeyboardInterrupt or a signal: the
//     driver's own frame sits below the snippet's;
//   - snippets whose objects may act during module teardown (__del__,
//     weakref, generators, open files ...: NeedsTeardown): the quick exit
//     skips it, and a forked interpreter's teardown costs more than a
//     fresh interpreter's whole run (it copies most of the server's memory).
//
// Hash seeds: under -I PYTHONHASHSEED is ignored, so each plain run gets a
// random seed; each fork server has its own random seed too, and runs in
// slot 0 and slot 1 use different servers, so running a snippet in both
// slots shows hash-order nondeterminism. 2.7 has no hash randomization,
// in a plain run as here.
package pyrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pyquiz/pyquiz/quiz"
)

// ScriptName is the file name a snippet is run as, relative to its working
// folder, so sys.argv[0] is the same on every run.
const ScriptName = "snippet.py"

// Default limits of section 7.
const (
	DefaultTimeout   = 5 * time.Second
	DefaultMaxOutput = 1 << 20
	stderrKeep       = 64 << 10
)

// Limits of every process a Runner starts (RLIMIT_FSIZE, RLIMIT_NOFILE,
// RLIMIT_NPROC; the process count only in a sandbox with namespaces).
const (
	DefaultMemory = 1 << 30
	MaxFileSize   = 64 << 20
	MaxOpenFiles  = 256
	MaxProcesses  = 128
)

// Limits bound one run.
type Limits struct {
	Timeout   time.Duration // per run; DefaultTimeout when 0
	MaxOutput int           // stdout bytes; more is a flood; DefaultMaxOutput when 0
	Memory    uint64        // address space per process; DefaultMemory when 0
}

func (l Limits) withDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	if l.MaxOutput <= 0 {
		l.MaxOutput = DefaultMaxOutput
	}
	if l.Memory == 0 {
		l.Memory = DefaultMemory
	}
	return l
}

// Result is what one run of a snippet did.
type Result struct {
	Stdout    []byte // at most Limits.MaxOutput bytes
	Stderr    []byte // the last 64 KiB
	Exception string // type name (no module) of the exception the snippet ended with, or ""
	ExitCode  int    // the process's exit code; -N when killed by signal N
	TimedOut  bool
	Flooded   bool
	Plain     bool // run as a plain `python snippet.py` rather than forked
	Shared    bool // run in a worker shared with other snippets (see Runner.RunShared)
	// OutOfMemory: the kernel killed a process of the run because the
	// run's processes together passed the memory limit (with cgroups).
	OutOfMemory bool
	Duration    time.Duration
}

// Raised is the exception the run ended with, counting SystemExit with
// code 0 as a normal end, and "exit status N" when the process ended
// badly without a Python exception.
func (r Result) Raised() string {
	switch {
	case r.TimedOut || r.Flooded:
		return r.Exception
	case r.Exception == "SystemExit" && r.ExitCode == 0:
		return ""
	case r.Exception != "":
		return r.Exception
	case r.ExitCode > 0:
		return fmt.Sprintf("exit status %d", r.ExitCode)
	case r.ExitCode < 0:
		return fmt.Sprintf("killed by signal %d", -r.ExitCode)
	}
	return ""
}

// Env is the whole environment a snippet sees: PATH and LANG from the
// caller (LANG defaults to C.UTF-8) and nothing else.
func Env(getenv func(string) string) []string {
	lang := getenv("LANG")
	if lang == "" {
		lang = "C.UTF-8"
	}
	path := getenv("PATH")
	if path == "" {
		path = "/usr/local/bin:/usr/bin:/bin"
	}
	return []string{"PATH=" + path, "LANG=" + lang}
}

// Flags are the isolation flags for an interpreter version.
func Flags(v quiz.Version) []string {
	if v.Major < 3 {
		return []string{"-E", "-s"}
	}
	return []string{"-I"}
}

// RunPlain runs code as `python -I snippet.py` in a fresh temporary folder,
// outside any sandbox but with the time limit and output cap: the naive
// runner, the reference a Runner must match.
func RunPlain(ctx context.Context, py Interpreter, env []string, code string, lim Limits) (Result, error) {
	lim = lim.withDefaults()
	dir, err := os.MkdirTemp("", "pyquiz-run-")
	if err != nil {
		return Result{}, fmt.Errorf("run snippet: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, ScriptName), []byte(code), 0o600); err != nil {
		return Result{}, fmt.Errorf("run snippet: %w", err)
	}
	args := append(Flags(py.Version), ScriptName)
	cmd := exec.Command(py.Path, args...)
	cmd.Dir = dir
	cmd.Env = env
	newGroup(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Result{}, err
	}
	errBuf := &tailBuffer{max: stderrKeep}
	cmd.Stderr = errBuf
	// A descendant outside the process group may hold the pipes: the time
	// limit is a hard deadline on reading them too.
	cmd.WaitDelay = time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Result{}, fmt.Errorf("start %s: %w", py.Path, err)
	}
	if f, ok := stdout.(*os.File); ok {
		f.SetReadDeadline(start.Add(lim.Timeout + killGrace + hardDeadline))
	}
	pgid := cmd.Process.Pid
	var res Result
	res.Plain = true
	var timedOut atomic.Bool
	timer := time.AfterFunc(lim.Timeout, func() {
		timedOut.Store(true)
		interruptThenKill(pgid)
	})
	stop := context.AfterFunc(ctx, func() { killGroup(pgid) })
	out, flood := readCapped(stdout, lim.MaxOutput)
	if flood {
		killGroup(pgid)
	}
	waitErr := cmd.Wait()
	timer.Stop()
	stop()
	killGroup(pgid) // stragglers the snippet left behind
	res.Duration = time.Since(start)
	res.TimedOut = timedOut.Load()
	res.Stdout = out
	res.Stderr = bytes.ReplaceAll(errBuf.Bytes(), []byte(dir+string(filepath.Separator)), nil)
	res.Flooded = flood
	res.ExitCode = exitCode(cmd.ProcessState)
	var ee *exec.ExitError
	if errors.Is(waitErr, exec.ErrWaitDelay) {
		waitErr = nil
	}
	if waitErr != nil && !errors.As(waitErr, &ee) {
		return res, fmt.Errorf("run %s: %w", py.Path, waitErr)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if !res.TimedOut && !res.Flooded {
		res.Exception = ExceptionFromStderr(string(res.Stderr), res.ExitCode)
	}
	return res, nil
}

// killGrace is how long a timed-out snippet has, after SIGINT, to unwind
// and flush what it printed before its process group is killed.
const killGrace = 300 * time.Millisecond

// interruptThenKill ends a timed-out run: SIGINT first, so Python raises
// KeyboardInterrupt and flushes the output printed so far, which the
// report then shows; SIGKILL to the whole group after killGrace.
func interruptThenKill(pgid int) {
	interruptGroup(pgid)
	time.AfterFunc(killGrace, func() { killGroup(pgid) })
}

// readCapped reads r to its end, keeping at most max bytes; flood reports
// that there was more (reading stops there).
func readCapped(r io.Reader, max int) (out []byte, flood bool) {
	var buf bytes.Buffer
	chunk := make([]byte, 32<<10)
	for {
		n, err := r.Read(chunk)
		if n > 0 {
			room := max - buf.Len()
			if n > room {
				buf.Write(chunk[:room])
				return buf.Bytes(), true
			}
			buf.Write(chunk[:n])
		}
		if err != nil {
			return buf.Bytes(), false
		}
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) Bytes() []byte {
	if len(t.buf) > t.max {
		return t.buf[len(t.buf)-t.max:]
	}
	return t.buf
}

const (
	chainedNotice = "During handling of the above exception, another exception occurred:"
	causeNotice   = "The above exception was the direct cause of the following exception:"
)

var excLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_.]*)(:|$)`) })

// ExceptionFromStderr reads the type of the exception a plain run ended
// with from its stderr and exit code: the exception line after the first
// traceback (following "During handling ..." chains), not counting errors
// printed by atexit handlers. A non-zero exit without a traceback is a
// SystemExit (sys.exit(3), sys.exit("message")); a signal is no exception.
func ExceptionFromStderr(stderr string, exit int) string {
	if exit == 0 || exit < 0 {
		return ""
	}
	lines := strings.Split(stderr, "\n")
	indented := func(l string) bool { return strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") }
	name := ""
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		header := l == "Traceback (most recent call last):"
		if !header && !(strings.HasPrefix(l, `  File "`) && (i == 0 || !indented(lines[i-1]))) {
			continue
		}
		j := i + 1
		for j < len(lines) && indented(lines[j]) {
			j++
		}
		if i > 0 && strings.HasPrefix(lines[i-1], "Error in ") {
			i = j // an atexit or exitfunc error, not how the script ended
			continue
		}
		if j >= len(lines) {
			break
		}
		m := excLine().FindStringSubmatch(lines[j])
		if m == nil {
			break
		}
		full := m[1]
		name = full[strings.LastIndex(full, ".")+1:]
		// A chained exception follows after a blank line and a notice.
		k := j + 1
		for k < len(lines) && lines[k] != chainedNotice && lines[k] != causeNotice && lines[k] != "Traceback (most recent call last):" {
			k++
		}
		if k < len(lines) && (lines[k] == chainedNotice || lines[k] == causeNotice) {
			i = k
			continue
		}
		break
	}
	if name == "" {
		return "SystemExit"
	}
	return name
}
