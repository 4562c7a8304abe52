package pyrun

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pyquiz/pyquiz/internal/sandbox"
)

// driverSource is the fork server each interpreter runs; see driver.py.
//
//go:embed driver.py
var driverSource []byte

// driverName is the driver script's file name.
const driverName = "pyquiz_driver.py"

// Version identifies how this package runs snippets (the fork server's
// source above all); verify's cache keeps verdicts only under the same one.
var Version = func() string {
	sum := sha256.Sum256(driverSource)
	return "pyrun-3-" + hex.EncodeToString(sum[:8])
}()

// server is one long-lived driver process of one interpreter. It runs one
// snippet at a time; a Runner keeps several.
type server struct {
	py      Interpreter
	key     poolKey // the pool it goes back to
	cmd     *exec.Cmd
	isolate bool          // in a sandbox of its own: the driver is its PID 1
	req     *os.File      // our end of the driver's fd 3
	reqMu   sync.Mutex    // requests and I/K commands
	resp    *os.File      // our end of the driver's fd 4
	rd      *bufio.Reader // over resp
	seed    string        // hash("pyquiz-seed-probe") in that process
	debug   *tailBuffer   // the driver's own stderr
	drv     string        // the driver script's path, as the driver sees it
	runDir  string        // where run folders go, as the driver sees it
	statDir string        // where status files go, as the driver sees it
	runs    int
	group   *sandbox.Group // bounds the sandbox's processes together, or nil
}

// groupHeadroom is what a fork server may use, beyond --memory, while it
// starts; then its limit is --memory plus what it uses once started.
const groupHeadroom = 256 << 20

var errServerDead = errors.New("fork server died")

// startServer starts the fork server of py: in a sandbox of its own when
// r's sandbox has namespaces, else under resource limits only. Its stdout
// and stderr are pipes and its stdin is /dev/null, as for a plain run,
// because Python decides its stream buffering from them at start-up and
// the forked children inherit it.
func (r *Runner) startServer(py Interpreter) (*server, error) {
	s := &server{py: py, isolate: r.level == sandbox.LevelNamespaces, debug: &tailBuffer{max: 8 << 10}}
	spec := sandbox.Spec{Env: r.Env, Isolate: s.isolate, Limits: r.sandboxLimits(), Path: py.Path,
		Keep: []string{Prefix(py)}}
	if s.isolate {
		s.drv = filepath.Join(sandbox.Dir, driverName)
		s.runDir, s.statDir = "/tmp", filepath.Join(sandbox.Dir, "run")
		spec.Dir = sandbox.Dir
		spec.Files = map[string][]byte{driverName: driverSource}
		spec.Scratch = []string{"run"}
	} else {
		s.drv = filepath.Join(r.dir, driverName)
		// Servers share the caller's temporary folder: one folder each.
		dir, err := os.MkdirTemp(r.runRoot, "server-")
		if err != nil {
			return nil, err
		}
		s.runDir, s.statDir = dir, dir
		spec.Dir = r.dir
	}
	spec.Args = append(append([]string{py.Path}, Flags(py.Version)...), s.drv)
	if r.cgroups {
		g, err := sandbox.NewGroup(r.Limits.Memory+groupHeadroom, MaxProcesses+8)
		if err != nil {
			return nil, fmt.Errorf("make the cgroup of a fork server: %w", err)
		}
		s.group, spec.Cgroups = g, g.Procs()
	}
	cmd, err := sandbox.Command(spec)
	if err != nil {
		s.closeGroup()
		return nil, err
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		s.closeGroup()
		return nil, err
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		s.closeGroup()
		return nil, err
	}
	cmd.Stdout = io.Discard
	cmd.Stderr = s.debug
	cmd.ExtraFiles = []*os.File{reqR, respW} // fds 3 and 4
	err = cmd.Start()
	reqR.Close()
	respW.Close()
	if err != nil {
		reqW.Close()
		respR.Close()
		s.closeGroup()
		return nil, fmt.Errorf("start %s: %w", py.Path, err)
	}
	s.cmd, s.req, s.resp = cmd, reqW, respR
	s.rd = bufio.NewReaderSize(respR, 64<<10)
	s.resp.SetReadDeadline(time.Now().Add(30 * time.Second))
	line, err := s.rd.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "H ") {
		s.close()
		return nil, fmt.Errorf("start fork server on %s: %v %s", py.Path, err, s.debug.Bytes())
	}
	s.seed = strings.Fields(line)[1]
	if s.group != nil {
		// --memory for the runs, on top of what the server itself uses.
		if err := s.group.SetMemory(s.group.Usage() + r.Limits.Memory); err != nil {
			s.close()
			return nil, fmt.Errorf("limit the memory of a fork server: %w", err)
		}
	}
	return s, nil
}

func (s *server) closeGroup() {
	if s.group != nil {
		s.group.Close()
		s.group = nil
	}
}

// close ends the server and, in a sandbox, everything in it: the driver is
// its PID 1, and the kernel kills the rest when PID 1 dies.
func (s *server) close() {
	s.req.Close()
	s.resp.Close()
	if s.cmd.Process != nil {
		s.cmd.Process.Kill()
		killGroup(s.cmd.Process.Pid) // without a sandbox: its process group
		s.cmd.Wait()
	}
	s.closeGroup()
}

func (s *server) send(msg string) error {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	_, err := io.WriteString(s.req, msg)
	return err
}

// hardDeadline is how long after its time limit a run may still take to
// report, with every process of it killed, before its server is.
const hardDeadline = 3 * time.Second

// WallLimit is how long a run may take by the wall clock, however long it
// waited for a CPU: the backstop of the time limit.
func WallLimit(timeout time.Duration) time.Duration { return 3*timeout + 10*time.Second }

// run runs code. plainArgv, when set, makes it a plain run of a fresh
// interpreter (still in the server's sandbox). broken means the server
// must not be used again; err means no result (errServerDead: the server
// died, not the snippet's doing as far as we can tell).
//
// group, when set, makes it a shared run: in the server's worker, a child
// that runs the shared snippets of one group one after another (see
// Runner.RunShared); the driver forks a new worker when the group changes
// or the last one ended.
func (s *server) run(ctx context.Context, code string, plainArgv []string, group string, lim Limits) (res Result, broken bool, err error) {
	start := time.Now()
	s.runs++
	work := filepath.Join(s.runDir, fmt.Sprintf("pyquiz-run-%d", s.runs))
	status := filepath.Join(s.statDir, fmt.Sprintf("status-%d", s.runs))
	if !s.isolate {
		defer os.Remove(status)
		defer os.RemoveAll(work)
	}
	id := strconv.Itoa(s.runs)
	fields := []string{"RUN", strconv.Itoa(lim.MaxOutput), work, status, ScriptName, strings.Join(plainArgv, "\x1f"), strconv.Itoa(len(code)), id, group}
	req := strings.Join(fields, "\t") + "\n"
	if strings.Count(req, "\n") != 1 || strings.Count(req, "\t") != len(fields)-1 {
		return res, true, fmt.Errorf("temporary folder %q has a tab or newline in its name", work)
	}
	if err := s.send(req + code); err != nil {
		return res, true, errServerDead
	}
	// The driver answers at once with the child's pid; the time limit
	// runs from here.
	s.resp.SetReadDeadline(time.Now().Add(30 * time.Second))
	line, err := s.rd.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "P ") {
		return res, true, errServerDead
	}
	res.Plain = plainArgv != nil
	res.Shared = group != "" && s.isolate
	oom := 0
	if s.group != nil {
		oom = s.group.OOMKills()
	}
	// Time is up: SIGINT first, so Python raises KeyboardInterrupt and
	// flushes what it printed, which the report shows; then SIGKILL to the
	// run (in a sandbox: to every process in it). Past the hard deadline
	// the whole server is killed and nothing is waited for any more.
	// The commands name the run: one that comes late is ignored.
	// The time limit is measured by a runClock (a loaded machine's wait
	// for a CPU is not counted, the run's own use of the CPUs is), with a
	// wall-clock backstop.
	timedOut := make(chan struct{})
	var (
		mu   sync.Mutex
		over bool      // run has returned: the watcher must not act any more
		hard time.Time // past it nothing is waited for
	)
	setHard := func(t time.Time) bool {
		mu.Lock()
		defer mu.Unlock()
		if over {
			return false
		}
		hard = t
		s.resp.SetReadDeadline(t)
		return true
	}
	pastHard := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return time.Now().After(hard)
	}
	clock := newRunClock(s.cmd.Process.Pid, s.group, time.Now())
	backstop := WallLimit(lim.Timeout)
	setHard(clock.start.Add(backstop + killGrace + hardDeadline))
	finished := make(chan struct{})
	defer func() {
		mu.Lock()
		over = true
		mu.Unlock()
		close(finished)
	}()
	go func() {
		for {
			wait := min(lim.Timeout-clock.elapsed(), backstop-time.Since(clock.start))
			if wait <= 0 {
				break
			}
			select {
			case <-finished:
				return
			case <-time.After(max(wait, 10*time.Millisecond)):
			}
		}
		close(timedOut)
		if !setHard(time.Now().Add(killGrace + hardDeadline)) {
			return
		}
		s.send("I " + id + "\n")
		select {
		case <-finished:
		case <-time.After(killGrace):
			s.send("K " + id + "\n")
		}
	}()
	stop := context.AfterFunc(ctx, func() {
		s.cmd.Process.Kill()
		s.resp.SetReadDeadline(time.Now())
	})
	defer stop()
	var out, errOut []byte
	finish := func() {
		res.Stdout = out
		res.Stderr = s.dropDriverFrame(bytes.ReplaceAll(errOut, []byte(work+"/"), nil))
		res.Duration = time.Since(start)
		if s.group != nil && s.group.OOMKills() > oom {
			res.OutOfMemory = true
			res.Stderr = append(res.Stderr, fmt.Sprintf("pyquiz: out of memory: the kernel killed a process of this run, whose processes together used more than --memory (%d MiB)\n", lim.Memory>>20)...)
		}
		select {
		case <-timedOut:
			res.TimedOut = !res.Flooded
		default:
		}
	}
	for {
		line, err := s.rd.ReadString('\n')
		if err != nil {
			if ctx.Err() != nil {
				return res, true, ctx.Err()
			}
			if pastHard() {
				// Even SIGKILL did not end the run: it is a time-out.
				finish()
				res.TimedOut, res.ExitCode = true, -sigkill
				return res, true, nil
			}
			return res, true, errServerDead
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return res, true, errServerDead
		}
		switch f[0] {
		case "O", "E":
			n, err := strconv.Atoi(f[1])
			if err != nil || n < 0 {
				return res, true, errServerDead
			}
			buf := make([]byte, n)
			if _, err := io.ReadFull(s.rd, buf); err != nil {
				return res, true, errServerDead
			}
			if f[0] == "O" {
				out = append(out, buf...)
			} else {
				errOut = append(errOut, buf...)
			}
		case "X":
			if len(f) != 4 {
				return res, true, errServerDead
			}
			code, _ := strconv.Atoi(f[1])
			res.ExitCode = code
			res.Flooded = f[2] == "1"
			finish()
			if !res.TimedOut && !res.Flooded {
				res.Exception = exception(f[3], res)
			}
			return res, false, ctx.Err()
		default:
			return res, true, errServerDead
		}
	}
}

// exception is the name of the exception the run ended with: as the
// forked child reported it, else (a plain run, os._exit, a signal) read
// from stderr, as for a plain run.
func exception(reported string, res Result) string {
	switch reported {
	case "-":
		return ""
	case "?":
		if res.ExitCode != 0 {
			return ExceptionFromStderr(string(res.Stderr), res.ExitCode)
		}
		return ""
	}
	return reported
}

var caretLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^ +[~^]+ *\r?\n?$`) })

// dropDriverFrame removes the driver's own frame from a traceback on
// stderr, should one show it: the snippet runs from the driver's top
// level, a frame a plain run does not have (the driver prints the
// snippet's own traceback without it).
func (s *server) dropDriverFrame(b []byte) []byte {
	marker := []byte(`  File "` + s.drv + `"`)
	if !bytes.Contains(b, marker) {
		return b
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	out := make([]byte, 0, len(b))
	for i := 0; i < len(lines); i++ {
		if bytes.HasPrefix(lines[i], marker) {
			if i+1 < len(lines) && bytes.HasPrefix(lines[i+1], []byte("    ")) {
				i++
			}
			// 3.11+ may mark the call with a line of carets (3.13 always
			// does: "    ~~~~^^^^"), which a plain run does not have either.
			for i+1 < len(lines) && caretLine().Match(lines[i+1]) {
				i++
			}
			continue
		}
		out = append(out, lines[i]...)
	}
	return out
}
