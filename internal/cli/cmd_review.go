package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/quiz"
)

// defaultReviewN is the length of a review session.
const defaultReviewN = 20

// newReviewCmd is `pyquiz review`: play's loop over the questions due
// under spaced repetition, most overdue first, then new ones.
func newReviewCmd(f *Factory, runF func(*PlayOptions) error) *cobra.Command {
	opts := &PlayOptions{f: f, kind: store.KindReview, keepOrder: true}
	opts.pick = func(qs []*quiz.Question) ([]*quiz.Question, error) { return reviewPick(opts, qs) }
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Review the questions due under spaced repetition, then new ones",
		Long: `Review asks the questions that are due again, the most overdue first, then
questions never seen, up to -n in all. Each answer schedules the question's
next review (FSRS): a miss comes back the next day, a right answer after
days, then weeks. Right with a hint, partly right or slower than the time
budget counts as hard: it comes back sooner than a plain right answer.

A question is due on the day its next review falls (until midnight). When
nothing is due, review says when the next question is and offers new ones.
It takes play's selection flags; the answers are typed as in play.`,
		Example: `  pyquiz review
  pyquiz review --pack pitfalls -n 10
  PYQUIZ_NOW=2026-03-09T09:00:00Z pyquiz review   # what is due next week?`,
		Args: cobra.NoArgs,
		RunE: opts.runE(runF, func(*cobra.Command) bool { return true }),
	}
	opts.sessionFlags(cmd.Flags(), sessionHelp{
		n:            defaultReviewN,
		number:       "ask at most `N` questions: the due ones first, then new ones (0: every due and new one)",
		seed:         "seed for the choice order and the pick of new questions",
		noShuffle:    "keep the packs' order of choices and of new questions",
		questionTime: "time per question, e.g. 90s; also the budget past which a right answer counts as hard",
	})
	return cmd
}

// reviewPick orders the selected questions for review: the due ones, most
// overdue first, then new ones (shuffled by the seed), at most -n.
func reviewPick(o *PlayOptions, qs []*quiz.Question) ([]*quiz.Question, error) {
	f := o.f
	st, ctx, err := f.openProgress(o.ctx, "review")
	if err != nil {
		return nil, err
	}
	cards, err := st.Cards(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the review schedule: %w", err)
	}
	now := f.Now()
	plan := planReview(qs, cards, now, o.N, o.seed, o.seedSet, !o.NoShuffle)
	ios := f.IOStreams
	switch {
	case len(plan.due) == 0 && len(plan.fresh) == 0:
		if plan.next.IsZero() {
			fmt.Fprintln(ios.ErrOut, "Nothing to review: no question of these packs is due or new.")
		} else {
			fmt.Fprintf(ios.ErrOut, "Nothing is due. The next review is %s, and every question here has been seen.\n", whenText(plan.next, now))
		}
		return nil, errNothingToAsk
	case len(plan.due) == 0:
		msg := "Nothing is due"
		if !plan.next.IsZero() {
			msg += "; the next review is " + whenText(plan.next, now)
		}
		fmt.Fprintf(ios.ErrOut, "%s. Here are %s you have not seen yet.\n", msg, newQuestions(len(plan.fresh)))
	default:
		msg := fmt.Sprintf("%s due", nQuestions(len(plan.due)))
		if plan.more > 0 {
			msg += fmt.Sprintf(" (%d more after these)", plan.more)
		}
		if len(plan.fresh) > 0 {
			msg += fmt.Sprintf(", then %s", newQuestions(len(plan.fresh)))
		}
		fmt.Fprintln(ios.ErrOut, msg+".")
	}
	return append(plan.due, plan.fresh...), nil
}

func newQuestions(n int) string {
	if n == 1 {
		return "1 new question"
	}
	return fmt.Sprintf("%d new questions", n)
}

type reviewPlan struct {
	due, fresh []*quiz.Question
	more       int       // due questions left for a later session
	next       time.Time // the next due time after today (zero: none)
}

// planReview is review's choice, apart from I/O: due means due before the
// end of today, local time; n <= 0 takes everything.
func planReview(qs []*quiz.Question, cards []store.Card, now time.Time, n int, seed uint64, seedSet, shuffle bool) reviewPlan {
	byID := make(map[string]*quiz.Question, len(qs))
	for _, q := range qs {
		byID[q.FullID()] = q
	}
	y, m, d := now.Local().Date()
	endOfDay := time.Date(y, m, d+1, 0, 0, 0, 0, time.Local)
	var p reviewPlan
	seen := map[string]bool{}
	for _, c := range cards { // soonest due first
		q := byID[c.Question]
		if q == nil {
			continue // not selected, or no longer in any pack
		}
		seen[c.Question] = true
		switch {
		case c.Due.Before(endOfDay) && (n <= 0 || len(p.due) < n):
			p.due = append(p.due, q)
		case c.Due.Before(endOfDay):
			p.more++
		case p.next.IsZero():
			p.next = c.Due
		}
	}
	var fresh []*quiz.Question
	for _, q := range qs {
		if !seen[q.FullID()] {
			fresh = append(fresh, q)
		}
	}
	if !seedSet {
		seed = uint64(now.UnixNano())
	}
	room := -1
	if n > 0 {
		room = max(n-len(p.due), 0)
	}
	if room != 0 {
		p.fresh = quiz.Pick(fresh, max(room, 0), shuffle, seed)
	}
	return p
}

// whenText is "tomorrow at 09:00 (Tue 3 Mar)", "in 4 days (Sat 7 Mar)".
func whenText(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	day := func(x time.Time) time.Time {
		y, m, d := x.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.Local)
	}
	days := int(day(t).Sub(day(now)).Round(24*time.Hour) / (24 * time.Hour))
	date := t.Format("Mon 2 Jan")
	switch {
	case days <= 0:
		return "today at " + t.Format("15:04")
	case days == 1:
		return "tomorrow (" + date + ")"
	}
	return fmt.Sprintf("in %d days (%s)", days, date)
}
