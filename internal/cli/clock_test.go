package cli

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The clock of PYQUIZ_NOW stands still; its timers fire only when a step
// takes it past them, and a step fires every timer it passes.
func TestSteppedClock(t *testing.T) {
	c, err := parseClock("2026-03-02T09:00:00Z")
	require.NoError(t, err)
	start := c.Now()
	assert.Equal(t, start, c.Now(), "the clock moved by itself")

	one, two := c.After(time.Second), c.After(2*time.Second)
	select {
	case <-one:
		t.Fatal("a timer fired before the clock moved")
	default:
	}
	c.Step(time.Second)
	assert.Equal(t, start.Add(time.Second), <-one)
	select {
	case <-two:
		t.Fatal("a 2 s timer fired after 1 s")
	default:
	}
	c.Step(5 * time.Second)
	assert.Equal(t, start.Add(6*time.Second), <-two)
	assert.Equal(t, start.Add(6*time.Second), <-c.After(0), "a timer of 0 fires at once")

	_, err = parseClock("tomorrow")
	assert.ErrorContains(t, err, "PYQUIZ_NOW=tomorrow")
	none, err := parseClock("")
	assert.NoError(t, err)
	assert.Nil(t, none)
}
