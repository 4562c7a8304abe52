//go:build unix

package cli

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// watchClockSteps steps the clock of PYQUIZ_NOW one second per SIGUSR1:
// how the end-to-end tests make a timed question tick and run out without
// waiting for real time to pass. On the real clock SIGUSR1 keeps its
// default meaning.
func watchClockSteps(f *Factory) (stop func()) {
	if f.StepClock == nil {
		return func() {}
	}
	ch := make(chan os.Signal, 16)
	signal.Notify(ch, syscall.SIGUSR1)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ch:
				f.StepClock(time.Second)
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}
