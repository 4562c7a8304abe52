// Package cli holds pyquiz's commands: one file per command, each with an
// options struct, a constructor that binds flags and a run function.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/sandbox"
)

// Exit codes of PRODUCT.md section 4.
const (
	ExitOK          = 0
	ExitFindings    = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// ErrFindings tells Main that the command has printed its findings
// (validation errors, verify mismatches, a failing grade): exit 1, print nothing more.
var ErrFindings = errors.New("findings reported")

// ErrInterrupted ends a command stopped by Ctrl-C after it has saved its work.
var ErrInterrupted = errors.New("interrupted")

// FlagError is a usage mistake: exit 2 with the message and a pointer to --help.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// plainFlagError says what a flag wants where the flag parser quotes Go's
// own number and boolean parsers ('strconv.ParseBool: parsing "maybe":
// invalid syntax').
func plainFlagError(err error) error {
	m := strconvError().FindStringSubmatchIndex(err.Error())
	if m == nil {
		return err
	}
	msg := err.Error()
	want := "a whole number"
	switch fn := msg[m[2]:m[3]]; {
	case fn == "ParseBool":
		want = "true or false"
	case fn == "ParseFloat":
		want = "a number"
	case strings.HasSuffix(msg[m[4]:m[5]], "value out of range"):
		want = "a smaller number"
	}
	return errors.New(msg[:m[0]] + "want " + want)
}

var strconvError = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`strconv\.(Parse\w+): parsing "(?:[^"\\]|\\.)*": (.*)$`)
})

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{fmt.Errorf(format, args...)}
}

// InputError is input the user named that cannot be used: an id that
// nothing has. It exits 2 like a usage mistake (so does any error about a
// file or folder that does not exist), without the pointer to --help: the
// message says what to fix.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Main runs pyquiz with the process's arguments and returns the exit code.
// It is the one place where errors become messages.
func Main() int {
	// A sandboxed interpreter is started through our own binary (see
	// internal/sandbox); that process sets the sandbox up and never
	// returns from here.
	sandbox.Main()
	// A pack is decoded into a yaml.Node tree (for exact positions) that
	// is garbage once the pack is built. Left to GOGC alone, loading a
	// 10,000-question pack peaks at 90-100 MB RSS; a soft limit makes the
	// collector work harder near 64 MiB (about 80 MB peak, 15% slower on
	// that file) and changes nothing for ordinary packs. GOMEMLIMIT wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(64 << 20)
	}
	f := NewFactory()
	defer watchClockSteps(f)()
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, watchedSignals...)
	defer signal.Stop(sigs)
	// Without this, Go ends the process silently with SIGPIPE at the first
	// write to a stdout whose reader has gone; with it the write returns
	// EPIPE, which Run reports (exit 141) after the command saved its work.
	// The channel is never read: SIGPIPE from any other pipe (a Python
	// child's) must not stop anything.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	done := make(chan struct{})
	go watchInterrupts(sigs, cancel, done, interruptGrace, f.IOStreams.ErrOut, os.Exit)
	code := Run(ctx, f, os.Args[1:])
	close(done)
	return signalCode(ctx, code)
}

// Run executes one command line against a factory and returns the exit code.
func Run(ctx context.Context, f *Factory, args []string) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := &checkedWriter{w: f.IOStreams.Out, onError: cancel}
	f.IOStreams.Out = out
	defer func() { f.IOStreams.Out = out.w }()
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	cmd, err := root.ExecuteContextC(ctx)
	f.CloseStore()
	if werr := out.Err(); werr != nil {
		// The command's own error, if any, is this one or a consequence
		// of the cancelled context: the write error says what happened.
		return reportWriteError(f.IOStreams.ErrOut, werr)
	}
	return exitCode(f, cmd, err)
}

func exitCode(f *Factory, cmd *cobra.Command, err error) int {
	errOut := f.IOStreams.ErrOut
	var flagErr *FlagError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrFindings):
		return ExitFindings
	case errors.Is(err, ErrInterrupted), errors.Is(err, context.Canceled):
		fmt.Fprintln(errOut, "interrupted")
		return ExitInterrupted
	case errors.As(err, &flagErr) || isCobraUsageError(err):
		fmt.Fprintf(errOut, "pyquiz: %s\n", render.Escape(err.Error()))
		name := "pyquiz"
		if cmd != nil {
			name = cmd.CommandPath()
		}
		fmt.Fprintf(errOut, "Run '%s --help' for usage.\n", name)
		return ExitUsage
	case errors.As(err, new(*InputError)) || errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(errOut, "pyquiz: %s\n", render.Escape(err.Error()))
		return ExitUsage
	}
	// Errors name files and flag values the user gave; any control bytes
	// in them are shown escaped, never sent to the terminal.
	fmt.Fprintf(errOut, "pyquiz: %s\n", render.Escape(err.Error()))
	return ExitFindings
}

// isCobraUsageError recognises the errors cobra and pflag return for bad
// flags and arguments; they carry no type of their own.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown flag", "unknown shorthand flag", "unknown command", "flag needs an argument", "invalid argument", "accepts ", "requires at least", "requires at most", "bad flag syntax", "if any flags in the group"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}
