// Package iostreams carries the standard streams with their terminal and
// colour state, so nothing below the cli touches os.Stdin or os.Stdout.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strconv"

	"golang.org/x/term"
)

// IOStreams is stdin, stdout and stderr plus what is known about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	color     bool
	width     int
	rows      int // set by tests; 0: ask the terminal
	inFd      int // stdin's descriptor when it is a terminal, else -1
	outFd     int // stdout's descriptor when it is a terminal, else -1
}

// System returns the process's streams. getenv reads the environment
// (os.Getenv in production) for the colour rule of STYLE.md:
// CLICOLOR_FORCE on; else NO_COLOR or CLICOLOR=0 off; else on only on a terminal.
func System(getenv func(string) string) *IOStreams {
	s := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, inFd: -1, outFd: -1}
	s.stdinTTY = isTerminal(os.Stdin)
	if s.stdinTTY {
		s.inFd = int(os.Stdin.Fd())
	}
	s.stdoutTTY = isTerminal(os.Stdout)
	if s.stdoutTTY {
		s.outFd = int(os.Stdout.Fd())
	}
	s.stderrTTY = isTerminal(os.Stderr)
	s.color = ColorRule(getenv, s.stdoutTTY)
	s.width = 80
	if s.stdoutTTY {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
			s.width = w
		}
	} else if c, err := strconv.Atoi(getenv("COLUMNS")); err == nil && c > 0 {
		s.width = c
	}
	return s
}

// ColorRule applies the colour rule to an environment and a TTY state.
func ColorRule(getenv func(string) string, tty bool) bool {
	if v := getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	if getenv("NO_COLOR") != "" || getenv("CLICOLOR") == "0" {
		return false
	}
	return tty
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Test returns streams backed by buffers: stdin, stdout, stderr.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, width: 80, inFd: -1, outFd: -1}, in, out, errOut
}

// DiscardTypeahead throws away what was typed on the terminal and not yet
// read as a line: the half-typed answer of a question whose time ran out
// must not become the start of the next answer. It does nothing when
// stdin is not a terminal (a piped file's lines are all answers).
func (s *IOStreams) DiscardTypeahead() {
	if s.inFd >= 0 {
		_ = flushInput(s.inFd)
	}
}

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// SetStdinTTY, SetStdoutTTY and SetStderrTTY let tests pretend.
func (s *IOStreams) SetStdinTTY(v bool)  { s.stdinTTY = v }
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// ColorEnabled reports whether output may carry ANSI colour.
func (s *IOStreams) ColorEnabled() bool { return s.color }

// SetColorEnabled turns colour on or off (--no-color, tests).
func (s *IOStreams) SetColorEnabled(v bool) { s.color = v }

// TerminalWidth is the width of stdout in columns (80 when unknown).
func (s *IOStreams) TerminalWidth() int {
	if s.width <= 0 {
		return 80
	}
	return s.width
}

// TerminalRows is the height of stdout's terminal in rows, asked each time
// (the window may have been resized); 0 when stdout is not a terminal.
func (s *IOStreams) TerminalRows() int {
	if s.rows > 0 {
		return s.rows
	}
	if s.outFd < 0 {
		return 0
	}
	if _, h, err := term.GetSize(s.outFd); err == nil && h > 0 {
		return h
	}
	return 0
}

// SetTerminalRows sets the height (tests).
func (s *IOStreams) SetTerminalRows(h int) { s.rows = h }

// SetTerminalWidth sets the width (tests).
func (s *IOStreams) SetTerminalWidth(w int) { s.width = w }
