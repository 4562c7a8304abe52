package report

import (
	"slices"

	"github.com/pyquiz/pyquiz/internal/render"

	"github.com/pyquiz/pyquiz/quiz"
)

// shownPicks turns canonical choice indices into the display positions
// the student saw them at, in display order.
func shownPicks(it *quiz.Item, canonical []int) []int {
	var out []int
	for i, c := range it.Order {
		if slices.Contains(canonical, c) {
			out = append(out, i)
		}
	}
	return out
}

// givenRaw is what a record's student gave, as text (ok) or a status in
// parentheses for a question not answered.
func givenRaw(r quiz.Record) (string, bool) {
	switch {
	case r.Skipped:
		return "(skipped)", false
	case r.TimedOut:
		return "(time ran out)", false
	case r.NotReached:
		return "(not reached)", false
	case !r.Answered:
		return "(no answer)", false
	}
	return r.Given, true
}

func mark(r quiz.Record) string {
	switch {
	case r.Correct:
		return "✓"
	case r.Answered && r.Points > 0:
		return "~"
	}
	return "✗"
}

// prompt is the question's prompt as it was asked.
func prompt(it *quiz.Item) string { return render.PromptText(it) }

type group struct {
	title string
	rows  []quiz.Group
}

// groups are the breakdowns a report gives, every tag included.
func groups(sum quiz.Summary) []group {
	gs := []group{{"By difficulty", sum.ByDifficulty}, {"By tag", sum.ByTag}}
	if len(sum.ByPack) > 1 {
		gs = append([]group{{"By pack", sum.ByPack}}, gs...)
	}
	return gs
}
