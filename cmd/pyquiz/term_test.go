package main

import (
	"bufio"
	"errors"
	"flag"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdPty runs a command on a real terminal and drives it as a user would,
// step by step, which ttyin (all input at once, before the program starts)
// cannot do:
//
//	pty [-exit N] [-cols N] SCRIPT PROG [ARGS...]
//
// SCRIPT holds one step a line: `expect REGEXP` waits (up to 30 s) until
// the screen output after the last match matches; `screen REGEXP` waits
// (up to 30 s) until the screen as a terminal shows it (see vt_test.go: its
// rows, trailing spaces trimmed, one a line) matches; `send TEXT` types TEXT
// (a Go string literal, "\n" is Enter); `kill SIGNAL` sends HUP, INT, TERM,
// PIPE or USR1 (one second more on the clock of PYQUIZ_NOW) to the
// program; `resize ROWS` makes the terminal ROWS high; `hangup` closes the
// terminal. The output, with
// the terminal's \r\n turned into \n, is left in pty.out for grep; -exit
// checks the exit code.
func cmdPty(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! pty")
	}
	fs := flag.NewFlagSet("pty", flag.ContinueOnError)
	wantExit := fs.Int("exit", -1, "expected exit code")
	cols := fs.Int("cols", 100, "terminal width")
	if err := fs.Parse(args); err != nil || fs.NArg() < 2 {
		ts.Fatalf("usage: pty [-exit N] [-cols N] script prog [args...]")
	}
	steps := strings.Split(ts.ReadFile(fs.Arg(0)), "\n")
	prog, err := exec.LookPath(fs.Arg(1))
	ts.Check(err)

	master, slave, err := openPty(40, *cols)
	ts.Check(err)
	cmd := exec.Command(prog, fs.Args()[2:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = os.Environ()
	for _, k := range []string{"PYQUIZ_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "PYQUIZ_PACKS", "NO_COLOR", "CLICOLOR_FORCE", "COLUMNS", "PYQUIZ_NOW", "HOME", "TERM"} {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	ts.Check(cmd.Start())
	slave.Close()

	var (
		mu  sync.Mutex
		out []byte
	)
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		r := bufio.NewReader(master)
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			mu.Lock()
			out = append(out, buf[:n]...)
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	screen := func() string {
		mu.Lock()
		defer mu.Unlock()
		return string(out)
	}
	save := func() {
		ts.Check(os.WriteFile(ts.MkAbs("pty.out"), []byte(strings.ReplaceAll(screen(), "\r\n", "\n")), 0o644))
	}
	closed := false
	mark := 0
	for _, step := range steps {
		step = strings.TrimSpace(step)
		if step == "" || strings.HasPrefix(step, "#") {
			continue
		}
		verb, arg, _ := strings.Cut(step, " ")
		switch verb {
		case "expect":
			re, err := regexp.Compile(unquote(ts, arg))
			ts.Check(err)
			deadline := time.Now().Add(30 * time.Second)
			for {
				s := screen()
				if loc := re.FindStringIndex(s[mark:]); loc != nil {
					mark += loc[1]
					break
				}
				if time.Now().After(deadline) {
					save()
					ts.Fatalf("pty: no %q on the screen after 30s:\n%s", arg, s[mark:])
				}
				time.Sleep(10 * time.Millisecond) // polling the screen, not waiting for time to pass
			}
		case "screen":
			re, err := regexp.Compile(unquote(ts, arg))
			ts.Check(err)
			deadline := time.Now().Add(30 * time.Second)
			for {
				v := newVT(40, *cols)
				v.Feed([]byte(screen()))
				if re.MatchString(v.Screen()) {
					break
				}
				if time.Now().After(deadline) {
					save()
					ts.Fatalf("pty: the screen does not match %q after 30s:\n%s", arg, v.Screen())
				}
				time.Sleep(10 * time.Millisecond) // polling the screen, not waiting for time to pass
			}
		case "send":
			_, err := master.Write([]byte(unquote(ts, arg)))
			ts.Check(err)
		case "kill":
			sig := map[string]syscall.Signal{"HUP": syscall.SIGHUP, "INT": syscall.SIGINT, "TERM": syscall.SIGTERM, "PIPE": syscall.SIGPIPE, "USR1": syscall.SIGUSR1}[arg]
			if sig == 0 {
				ts.Fatalf("pty: unknown signal %q", arg)
			}
			ts.Check(cmd.Process.Signal(sig))
		case "resize":
			rows, err := strconv.Atoi(arg)
			ts.Check(err)
			ts.Check(resizePty(master, rows, *cols))
		case "hangup":
			master.Close()
			closed = true
		default:
			ts.Fatalf("pty: unknown step %q", step)
		}
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var werr error
	select {
	case werr = <-exited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		save()
		ts.Fatalf("pty: the program did not end within 30s of the last step")
	}
	if !closed {
		// Let the reader drain what the program wrote before it ended.
		select {
		case <-readDone:
		case <-time.After(2 * time.Second):
		}
		master.Close()
	}
	save()
	code := 0
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal())
		}
	} else if werr != nil {
		ts.Fatalf("pty: %v", werr)
	}
	ts.Logf("[exit status %d]", code)
	if *wantExit >= 0 && code != *wantExit {
		ts.Fatalf("pty: exit status %d, want %d", code, *wantExit)
	}
}

func unquote(ts *testscript.TestScript, s string) string {
	if strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "`") {
		u, err := strconv.Unquote(s)
		ts.Check(err)
		return u
	}
	return s
}

// cmdBrokenPipe runs a program whose stdout is a pipe nobody reads (its
// reader is closed before the program starts), as `pyquiz play | head`
// becomes once head has exited:
//
//	brokenpipe [-exit N] [-stdin FILE] PROG [ARGS...]
//
// stdin gets FILE's lines and stays open; stderr goes to brokenpipe.err.
func cmdBrokenPipe(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! brokenpipe")
	}
	fs := flag.NewFlagSet("brokenpipe", flag.ContinueOnError)
	wantExit := fs.Int("exit", -1, "expected exit code")
	stdin := fs.String("stdin", "", "file for stdin")
	if err := fs.Parse(args); err != nil || fs.NArg() < 1 {
		ts.Fatalf("usage: brokenpipe [-exit N] [-stdin FILE] prog [args...]")
	}
	prog, err := exec.LookPath(fs.Arg(0))
	ts.Check(err)
	r, w, err := os.Pipe()
	ts.Check(err)
	r.Close()
	cmd := exec.Command(prog, fs.Args()[1:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = os.Environ()
	for _, k := range []string{"PYQUIZ_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "PYQUIZ_PACKS", "NO_COLOR", "CLICOLOR_FORCE", "COLUMNS", "PYQUIZ_NOW", "HOME"} {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	cmd.Stdout = w
	errf, err := os.Create(ts.MkAbs("brokenpipe.err"))
	ts.Check(err)
	defer errf.Close()
	cmd.Stderr = errf
	// stdin stays open (its writer is closed only once the program has
	// ended), so only the broken pipe can end the program.
	in, inw, err := os.Pipe()
	ts.Check(err)
	cmd.Stdin = in
	ts.Check(cmd.Start())
	in.Close()
	w.Close()
	if *stdin != "" {
		_, err := inw.Write([]byte(ts.ReadFile(*stdin)))
		ts.Check(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err = <-exited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		ts.Fatalf("brokenpipe: the program did not end within 30s")
	}
	inw.Close()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal())
		}
	} else if err != nil {
		ts.Fatalf("brokenpipe: %v", err)
	}
	ts.Logf("[exit status %d]", code)
	if *wantExit >= 0 && code != *wantExit {
		ts.Fatalf("brokenpipe: exit status %d, want %d", code, *wantExit)
	}
}
