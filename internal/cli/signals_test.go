package cli

import (
	"bytes"
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWatchInterrupts: Ctrl-C cancels the command's context; a command that
// does not return (stuck in a read that ignores the context) still ends, at
// a second Ctrl-C or when the grace period is over.
func TestWatchInterrupts(t *testing.T) {
	run := func(grace time.Duration, signals ...os.Signal) (code int, cancelled bool, errOut string) {
		sigs := make(chan os.Signal, len(signals))
		for _, s := range signals {
			sigs <- s
		}
		ctx, cancel := context.WithCancelCause(context.Background())
		exited := make(chan int, 1)
		var buf bytes.Buffer
		go watchInterrupts(sigs, cancel, make(chan struct{}), grace, &buf, func(c int) { exited <- c })
		select {
		case code = <-exited:
		case <-time.After(10 * time.Second):
			t.Fatal("watchInterrupts never ended the process")
		}
		return code, ctx.Err() != nil, buf.String()
	}

	code, cancelled, out := run(time.Hour, os.Interrupt, os.Interrupt)
	assert.Equal(t, 130, code, "a second Ctrl-C ends at once")
	assert.True(t, cancelled)
	assert.Equal(t, "interrupted\n", out)

	code, _, _ = run(0, syscall.SIGTERM)
	assert.Equal(t, 143, code, "past the grace period the process ends")

	// A command that returns in time is left to return its own exit code.
	sigs := make(chan os.Signal, 1)
	sigs <- os.Interrupt
	done := make(chan struct{})
	ctx, cancel := context.WithCancelCause(context.Background())
	returned := make(chan struct{})
	go func() {
		watchInterrupts(sigs, cancel, done, time.Hour, &bytes.Buffer{}, func(int) { t.Error("exit called") })
		close(returned)
	}()
	<-ctx.Done()
	close(done)
	<-returned
	require.Error(t, ctx.Err())
}

// A command a signal stopped exits 128 + the signal's number, whatever it
// returned (after SIGHUP its writes fail too).
func TestSignalCode(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	assert.Equal(t, ExitOK, signalCode(ctx, ExitOK), "no signal")
	cancel(&SignalError{Signal: syscall.SIGHUP})
	assert.Equal(t, 129, signalCode(ctx, ExitInterrupted))
	assert.Equal(t, 129, signalCode(ctx, ExitOK))
	assert.Equal(t, 129, signalCode(ctx, ExitFindings))
}
