package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"syscall"
)

// ExitBrokenPipe is the exit code when stdout's reader went away
// (`pyquiz list | head -0`): 128 + SIGPIPE, as a shell reports a process
// that SIGPIPE ended.
const ExitBrokenPipe = 141

// checkedWriter is stdout as commands see it. Commands print with fmt.Fprintf
// and do not check every write, so the first write error is kept here, later
// writes are not attempted, and onError runs once (it cancels the command's
// context: a quiz whose screen is gone ends as if interrupted, its answers
// saved). Run then reports the error and exits non-zero, so that
// `pyquiz list >/dev/full` cannot succeed silently.
type checkedWriter struct {
	w       io.Writer
	onError func()

	mu  sync.Mutex
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		c.err = err
		if c.onError != nil {
			c.onError()
		}
	}
	return n, err
}

// Err is the first write error, or nil.
func (c *checkedWriter) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// reportWriteError prints a failed write to stdout as one line and returns
// the exit code: 141 for a closed pipe, 1 otherwise. A closed pipe prints
// nothing: `pyquiz list questions | head -1` is a user taking the first
// line, and a program that SIGPIPE ends says nothing either; every command
// ends here on that error, so this is the one place that keeps it quiet.
func reportWriteError(errOut io.Writer, err error) int {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, syscall.EPIPE):
		return ExitBrokenPipe
	case errors.Is(err, syscall.EBADF), errors.Is(err, fs.ErrClosed):
		fmt.Fprintln(errOut, "pyquiz: cannot write to stdout: it is closed")
	default:
		fmt.Fprintf(errOut, "pyquiz: cannot write to stdout: %v\n", err)
	}
	return ExitFindings
}
