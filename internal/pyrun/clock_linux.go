package pyrun

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// runClock measures a run against --timeout: the wall-clock time since it
// started, minus the time its process was ready to run but waiting for a
// CPU (the kernel's run-queue delay, /proc/PID/schedstat). A run that
// sleeps or waits is timed as by a wall clock; one that a loaded machine
// starves of CPU is not charged for it.
type runClock struct {
	start time.Time
	path  string        // the run's /proc/PID/schedstat, or "" (a wall clock then)
	delay time.Duration // the last delay read, kept once the process is gone
	base  time.Duration // the delay before the run (a forked child inherits none, a plain run's exec keeps it)
}

// newRunClock starts the clock of the run that server process server has
// just started (its only child).
func newRunClock(server int, start time.Time) *runClock {
	c := &runClock{start: start}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(server) + "/task/" + strconv.Itoa(server) + "/children")
	if err != nil {
		return c
	}
	f := strings.Fields(string(data))
	if len(f) != 1 {
		return c
	}
	c.path = "/proc/" + f[0] + "/schedstat"
	c.base, _ = c.read()
	c.delay = c.base
	return c
}

// read is the process's run-queue delay so far.
func (c *runClock) read() (time.Duration, bool) {
	data, err := os.ReadFile(c.path)
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0, false
	}
	n, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return time.Duration(n), true
}

// elapsed is the run's time so far, as --timeout counts it.
func (c *runClock) elapsed() time.Duration {
	if c.path != "" {
		if d, ok := c.read(); ok && d >= c.delay {
			c.delay = d
		} else if !ok {
			c.path = "" // ended: its delay stays as it was
		}
	}
	return time.Since(c.start) - (c.delay - c.base)
}
