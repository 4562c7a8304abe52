package store

import (
	"context"
	"testing"
	"time"

	fsrs "github.com/open-spaced-repetition/go-fsrs/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// simulateMonth reviews one question whenever it is due over 30 days,
// answering with rating each time, through a real store, and returns the
// intervals between reviews in days.
func simulateMonth(t *testing.T, rating Rating) (intervals []float64, last Card) {
	t.Helper()
	s := openTemp(t)
	ctx := context.Background()
	id := startSession(t, s, t0)
	now := t0
	var prev time.Time
	for now.Before(t0.Add(30 * 24 * time.Hour)) {
		a := &Attempt{Session: id, Question: "basics/q", Status: StatusAnswered, Correct: true, Points: 1, Max: 1, Mode: "study", At: now, Rating: rating}
		if rating == Hard {
			a.Hints = 1
		}
		require.NoError(t, s.RecordAttempt(ctx, a))
		if !prev.IsZero() {
			intervals = append(intervals, now.Sub(prev).Hours()/24)
		}
		prev = now
		cards, err := s.Cards(ctx)
		require.NoError(t, err)
		require.Len(t, cards, 1)
		last = cards[0]
		require.True(t, last.Due.After(now), "the next review is later than this one")
		now = last.Due
	}
	return intervals, last
}

func TestRightWithAHintGraduatesToDaysAndWeeks(t *testing.T) {
	intervals, card := simulateMonth(t, Hard)
	t.Logf("Hard every time: intervals %v days, next in %d days", intervals, card.ScheduledDays)
	require.NotEmpty(t, intervals)
	for i, d := range intervals {
		assert.GreaterOrEqual(t, d, 1.0, "review %d comes a day or more after the one before", i+2)
		if i > 0 {
			assert.GreaterOrEqual(t, d, intervals[i-1], "no Hard review comes sooner than the one before")
		}
	}
	assert.Greater(t, intervals[len(intervals)-1], intervals[0], "the intervals grow")
	assert.Equal(t, fsrs.Review, card.State, "the card is in Review, not stuck in Learning")
	assert.GreaterOrEqual(t, card.ScheduledDays, uint64(7), "after a month of right answers with hints the next review is a week or more away")
	assert.LessOrEqual(t, len(intervals)+1, 8, "a month of Hard answers needs a handful of reviews, not one every few minutes")
}

func TestRightEveryTimeGraduatesToWeeks(t *testing.T) {
	intervals, card := simulateMonth(t, Good)
	t.Logf("Good every time: intervals %v days, next in %d days", intervals, card.ScheduledDays)
	for i := 1; i < len(intervals); i++ {
		assert.Greater(t, intervals[i], intervals[i-1])
	}
	assert.GreaterOrEqual(t, card.ScheduledDays, uint64(21), "three weeks or more after a month of right answers")
}

func TestTheLibraryDefaultWouldKeepHardInLearning(t *testing.T) {
	// Why Parameters turns the short-term scheduler off: with the library
	// default, Hard after Hard stays in Learning minutes apart and the
	// card's stability falls.
	f := fsrs.NewFSRS(fsrs.DefaultParam())
	c := fsrs.NewCard()
	now := t0
	prevS := 0.0
	for i := 0; i < 6; i++ {
		c = f.Next(c, now, fsrs.Hard).Card
		assert.Equal(t, fsrs.Learning, c.State)
		assert.Less(t, c.Due.Sub(now), time.Hour)
		if i > 0 {
			assert.Less(t, c.Stability, prevS)
		}
		prevS = c.Stability
		now = c.Due
	}
}

func TestAMissComesBackWithinDays(t *testing.T) {
	c := Next(fsrs.NewCard(), t0, Again)
	assert.Equal(t, uint64(1), c.ScheduledDays, "a first miss comes back the next day")
	c = Next(fsrs.NewCard(), t0, Good)
	c = Next(c, c.Due, Good)
	require.Equal(t, uint64(11), c.ScheduledDays)
	c = Next(c, c.Due, Again)
	assert.LessOrEqual(t, c.ScheduledDays, uint64(2), "a miss after an 11-day interval comes back within two days")
	assert.Equal(t, uint64(1), c.Lapses)
}
