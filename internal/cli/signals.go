package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// interruptGrace is how long a command has, after Ctrl-C, to save its work
// and return before the process ends anyway.
const interruptGrace = 5 * time.Second

// watchInterrupts turns the first signal into a cancelled context, which
// every command that waits (play's prompt, verify's runs) watches to save its
// work and return. A command stuck where it does not watch the context (a
// blocked read or write) must still stop on Ctrl-C: if it has not returned
// within grace of the signal, or at a second signal, the process exits with
// 128 + the signal's number. It returns when done is closed.
func watchInterrupts(sigs <-chan os.Signal, cancel context.CancelCauseFunc, done <-chan struct{}, grace time.Duration, errOut io.Writer, exit func(int)) {
	var sig os.Signal
	select {
	case sig = <-sigs:
	case <-done:
		return
	}
	cancel(&SignalError{Signal: sig})
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-done:
		return
	case <-sigs:
	case <-timer.C:
	}
	fmt.Fprintln(errOut, "interrupted")
	exit(signalExitCode(sig))
}

// signalExitCode is the shell's convention: 128 + the signal's number
// (130 for Ctrl-C).
func signalExitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return ExitInterrupted
}

// watchedSignals end a command as Ctrl-C does: its work is saved (play
// keeps every answer and writes its report) and the exit code says which
// signal it was. SIGHUP is the terminal closing. (A reader of stdout that
// went away is seen as a write error instead, see stdout.go: SIGPIPE also
// comes from pipes to Python children, which must not stop anything.)
var watchedSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// SignalError is the cause of a context cancelled by a signal.
type SignalError struct{ Signal os.Signal }

func (e *SignalError) Error() string { return "stopped by " + e.Signal.String() }

// signalCode is the exit code of a command that a signal stopped: 128 +
// the signal's number, whatever the command returned (after SIGHUP its
// writes to the closed terminal fail too; the signal is what happened).
func signalCode(ctx context.Context, code int) int {
	var se *SignalError
	if errors.As(context.Cause(ctx), &se) {
		return signalExitCode(se.Signal)
	}
	return code
}
