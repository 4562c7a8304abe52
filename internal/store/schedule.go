package store

import (
	"time"

	fsrs "github.com/open-spaced-repetition/go-fsrs/v3"

	"github.com/pyquiz/pyquiz/quiz"
)

// Rating is an FSRS rating of one attempt.
type Rating int

// The ratings pyquiz gives (it never gives Easy: a quiz cannot tell easy
// from right). Values are FSRS's own.
const (
	NoRating Rating = 0 // the question was never asked (exam not reached)
	Again    Rating = Rating(fsrs.Again)
	Hard     Rating = Rating(fsrs.Hard)
	Good     Rating = Rating(fsrs.Good)
)

func (r Rating) String() string {
	switch r {
	case Again:
		return "again"
	case Hard:
		return "hard"
	case Good:
		return "good"
	}
	return "none"
}

// Rate maps an attempt to its rating (PRODUCT.md section 6): wrong,
// skipped or timed out -> Again; right with a hint, partly right (multi)
// or slower than budget -> Hard; right -> Good. A zero budget is no limit.
func Rate(a Attempt, budget time.Duration) Rating {
	switch {
	case a.Status == StatusNotReached:
		return NoRating
	case a.Status != StatusAnswered:
		return Again
	case !a.Correct && a.Points > 0:
		return Hard // partly right
	case !a.Correct:
		return Again
	case a.Hints > 0:
		return Hard
	case budget > 0 && a.Seconds > budget.Seconds():
		return Hard
	}
	return Good
}

// DefaultBudget is the time a question may take before a right answer
// counts as Hard, when the session sets no --question-time: a reader who
// knows the answer settles an easy question in half a minute.
func DefaultBudget(q *quiz.Question) time.Duration {
	switch q.Difficulty {
	case quiz.Easy:
		return 30 * time.Second
	case quiz.Hard:
		return 2 * time.Minute
	}
	return time.Minute
}

// Parameters are the FSRS settings pyquiz schedules with.
//
// The library's default short-term scheduler keeps a card in Learning with
// minute steps until it is answered Good twice in one sitting; answered
// Hard every time (a learner who always needs a hint) it never leaves
// Learning, and its stability falls with each review (1.18, 0.99, 0.84 ...
// days). A quiz is not a flashcard deck reviewed every ten minutes: the
// next chance is the next `pyquiz review`, usually a day later. So the
// short-term scheduler is off: every rating schedules whole days (Again 1,
// Hard 2, Good 3 after a first sight), and Hard still grows the interval
// (2, 5, 12 ... days), while Again brings the question back the next day.
// Fuzz is off so that the schedule is reproducible (tests, imports that
// replay history). Retention 0.9 and the FSRS-5 default weights stay.
func Parameters() fsrs.Parameters {
	p := fsrs.DefaultParam()
	p.EnableShortTerm = false
	p.EnableFuzz = false
	p.MaximumInterval = 3650 // ten years is forever for a quiz
	return p
}

var scheduler = fsrs.NewFSRS(Parameters())

// Card is a question's scheduling state.
type Card struct {
	Question string
	fsrs.Card
}

// Next returns card after a review with rating r at now.
func Next(c fsrs.Card, now time.Time, r Rating) fsrs.Card {
	return scheduler.Next(c, now, fsrs.Rating(r)).Card
}
