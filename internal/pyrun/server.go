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
	"syscall"
	"time"
)

// driverSource is the fork server each interpreter runs; see driver.py.
//
//go:embed driver.py
var driverSource []byte

// Version identifies how this package runs snippets (the fork server's
// source above all); verify's cache keeps verdicts only under the same one.
var Version = func() string {
	sum := sha256.Sum256(driverSource)
	return "pyrun-2-" + hex.EncodeToString(sum[:8])
}()

// server is one long-lived driver process of one interpreter. It runs one
// snippet at a time; a Runner keeps several.
type server struct {
	py    Interpreter
	slot  int
	cmd   *exec.Cmd
	req   *os.File      // our end of the driver's fd 3
	resp  *os.File      // our end of the driver's fd 4
	rd    *bufio.Reader // over resp
	seed  string        // hash("pyquiz-seed-probe") in that process
	debug *tailBuffer   // the driver's own stderr
	drv   string        // the driver script's path
}

var errServerDead = errors.New("fork server died")

// startServer starts the driver script at driverPath under py, in the
// sandbox environment. The driver's stdout and stderr are pipes and its
// stdin is /dev/null, as for a plain run, because Python decides its
// stream buffering from them at start-up and the forked children inherit it.
func startServer(py Interpreter, driverPath string, env []string) (*server, error) {
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, err
	}
	args := append(Flags(py.Version), driverPath)
	cmd := exec.Command(py.Path, args...)
	cmd.Dir = filepath.Dir(driverPath)
	cmd.Env = env
	cmd.Stdout = io.Discard
	dbg := &tailBuffer{max: 8 << 10}
	cmd.Stderr = dbg
	cmd.ExtraFiles = []*os.File{reqR, respW} // fds 3 and 4
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	reqR.Close()
	respW.Close()
	if err != nil {
		reqW.Close()
		respR.Close()
		return nil, fmt.Errorf("start %s: %w", py.Path, err)
	}
	s := &server{py: py, drv: driverPath, cmd: cmd, req: reqW, resp: respR, rd: bufio.NewReaderSize(respR, 64<<10), debug: dbg}
	s.resp.SetReadDeadline(time.Now().Add(30 * time.Second))
	line, err := s.rd.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "H ") {
		s.close()
		return nil, fmt.Errorf("start fork server on %s: %v %s", py.Path, err, s.debug.Bytes())
	}
	f := strings.Fields(line)
	s.seed = f[1]
	return s, nil
}

func (s *server) close() {
	s.req.Close()
	s.resp.Close()
	if s.cmd.Process != nil {
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		s.cmd.Wait()
	}
}

// run runs the snippet already written to workDir/ScriptName. An error
// means the server is broken and must be closed.
func (s *server) run(ctx context.Context, workDir, statusFile string, teardown bool, lim Limits) (Result, error) {
	var res Result
	start := time.Now()
	td := "0"
	if teardown {
		td = "1"
	}
	req := strings.Join([]string{"RUN", strconv.Itoa(lim.MaxOutput), workDir, statusFile, ScriptName, td}, "\t") + "\n"
	if strings.Count(req, "\n") != 1 || strings.Count(req, "\t") != 5 {
		return res, fmt.Errorf("temporary folder %q has a tab or newline in its name", workDir)
	}
	if _, err := s.req.Write([]byte(req)); err != nil {
		return res, errServerDead
	}
	// The driver answers at once with the child's pid; the time limit
	// runs from here. If the driver itself hangs, the read deadline ends it.
	s.resp.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := s.rd.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "P ") {
		return res, errServerDead
	}
	pid, err := strconv.Atoi(strings.TrimSpace(line[2:]))
	if err != nil || pid <= 0 {
		return res, errServerDead
	}
	timedOut := make(chan struct{})
	timer := time.AfterFunc(lim.Timeout, func() {
		close(timedOut)
		interruptThenKill(pid)
	})
	defer timer.Stop()
	stop := context.AfterFunc(ctx, func() { syscall.Kill(-pid, syscall.SIGKILL) })
	defer stop()
	s.resp.SetReadDeadline(time.Now().Add(lim.Timeout + 10*time.Second))
	var out, errOut []byte
	for {
		line, err := s.rd.ReadString('\n')
		if err != nil {
			return res, errServerDead
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return res, errServerDead
		}
		switch f[0] {
		case "O", "E":
			n, err := strconv.Atoi(f[1])
			if err != nil || n < 0 {
				return res, errServerDead
			}
			buf := make([]byte, n)
			if _, err := io.ReadFull(s.rd, buf); err != nil {
				return res, errServerDead
			}
			if f[0] == "O" {
				out = append(out, buf...)
			} else {
				errOut = append(errOut, buf...)
			}
		case "X":
			if len(f) != 3 {
				return res, errServerDead
			}
			code, _ := strconv.Atoi(f[1])
			res.ExitCode = code
			res.Flooded = f[2] == "1"
			res.Stdout = out
			res.Stderr = s.dropDriverFrame(errOut)
			res.Duration = time.Since(start)
			select {
			case <-timedOut:
				res.TimedOut = !res.Flooded
			default:
			}
			if !res.TimedOut && !res.Flooded {
				if b, err := os.ReadFile(statusFile); err == nil {
					name, _, _ := strings.Cut(string(b), "\n")
					res.Exception = name
				} else if code != 0 {
					// The child ended without reporting (os._exit, a signal):
					// what a plain run's stderr would say.
					res.Exception = ExceptionFromStderr(string(errOut), code)
				}
			}
			return res, ctx.Err()
		default:
			return res, errServerDead
		}
	}
}

var caretLine = regexp.MustCompile(`^ +[~^]+ *\r?\n?$`)

// dropDriverFrame removes the driver's own frame from a traceback on
// stderr: the child re-raises the snippet's exception at the driver's top
// level so that Python handles it exactly as in a plain run.
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
			for i+1 < len(lines) && caretLine.Match(lines[i+1]) {
				i++
			}
			continue
		}
		out = append(out, lines[i]...)
	}
	return out
}
