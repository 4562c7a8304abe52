package cli

import (
	"strings"
	"sync"
	"time"
)

// steppedClock is the clock under PYQUIZ_NOW: it stands at that instant
// and moves only when stepped (Main steps it one second per SIGUSR1). A
// session under it is reproducible to the byte: the seed, the session id,
// the time each answer took and the session's length all come from it,
// and its timers fire only when a test has moved the time past them.
type steppedClock struct {
	mu      sync.Mutex
	now     time.Time
	waiting []clockWaiter
}

type clockWaiter struct {
	at time.Time
	ch chan time.Time
}

// parseClock reads PYQUIZ_NOW: nil when it is not set.
func parseClock(env string) (*steppedClock, error) {
	if env == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(env))
	if err != nil {
		return nil, FlagErrorf("PYQUIZ_NOW=%s: want an RFC 3339 time such as 2026-03-01T09:00:00Z", env)
	}
	return &steppedClock{now: t}, nil
}

// Now is the clock's time.
func (c *steppedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After is time.After on this clock: the channel gets the time once the
// clock has been stepped d past now.
func (c *steppedClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiting = append(c.waiting, clockWaiter{at: c.now.Add(d), ch: ch})
	return ch
}

// Step moves the clock on by d and fires the timers it passes.
func (c *steppedClock) Step(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.waiting[:0]
	for _, w := range c.waiting {
		if w.at.After(c.now) {
			keep = append(keep, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiting = keep
}

// after is the factory's timer, time.After unless a test set one.
func (f *Factory) after(d time.Duration) <-chan time.Time {
	if f.After != nil {
		return f.After(d)
	}
	return time.After(d)
}
