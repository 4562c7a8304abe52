//go:build !linux

package pyrun

import (
	"time"

	"github.com/pyquiz/pyquiz/internal/sandbox"
)

// runClock is a wall clock where the kernel does not say how long a
// process waited for a CPU.
type runClock struct{ start time.Time }

func newRunClock(server int, group *sandbox.Group, start time.Time) *runClock {
	return &runClock{start: start}
}

func (c *runClock) elapsed() time.Duration { return time.Since(c.start) }
