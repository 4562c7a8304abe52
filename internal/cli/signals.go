package cli

import (
	"context"
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
func watchInterrupts(sigs <-chan os.Signal, cancel context.CancelFunc, done <-chan struct{}, grace time.Duration, errOut io.Writer, exit func(int)) {
	var sig os.Signal
	select {
	case sig = <-sigs:
	case <-done:
		return
	}
	cancel()
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
