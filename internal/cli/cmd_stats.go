package cli

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/chart"
	"github.com/pyquiz/pyquiz/internal/store"
)

// StatsOptions are the flags of pyquiz stats.
type StatsOptions struct {
	f     *Factory
	ctx   context.Context
	JSON  bool
	Packs []string
}

func newStatsCmd(f *Factory, runF func(*StatsOptions) error) *cobra.Command {
	opts := &StatsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Your progress: accuracy, streak, what is due, as charts",
		Long: `Stats reads the progress database: answers, accuracy, sessions, the streak
of days with answers, what is due today and in the next 7 days, and the
accuracy per pack and per tag, weakest first.

On a terminal it draws a calendar of the last 12 weeks of answers, the
reviews due in the next 30 days as bars, and accuracy bars per tag. On a
pipe it prints the same numbers as plain text; --json gives them as data.`,
		Example: `  pyquiz stats
  pyquiz stats --json | jq .by_tag
  PYQUIZ_NOW=2026-03-09T09:00:00Z pyquiz stats   # what is due next week?`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return statsRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the figures as JSON")
	cmd.Flags().StringArrayVar(&opts.Packs, "pack", nil, "only these packs, by id, file or folder (repeatable; default: everything recorded)")
	return cmd
}

// Stats is `stats --json` (PRODUCT.md section 12). Field names are stable.
type Stats struct {
	Attempts  int                  `json:"attempts"`
	Correct   int                  `json:"correct"`
	Accuracy  float64              `json:"accuracy"`
	Sessions  int                  `json:"sessions"`
	Streak    int                  `json:"streak_days"`
	Due       int                  `json:"due"`
	DueWeek   int                  `json:"due_7_days"`
	ByTag     map[string]StatTally `json:"by_tag"`
	ByPack    map[string]StatTally `json:"by_pack"`
	Days      []StatDay            `json:"days"`
	Forecast  []StatDue            `json:"forecast"`
	FirstDay  string               `json:"first_day,omitempty"`
	LastDay   string               `json:"last_day,omitempty"`
	Questions int                  `json:"questions_seen"`
}

// StatTally is one pack's or tag's figures.
type StatTally struct {
	Attempts int     `json:"attempts"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"`
}

// StatDay is one day with answers.
type StatDay struct {
	Date     string `json:"date"`
	Attempts int    `json:"attempts"`
	Correct  int    `json:"correct"`
}

// StatDue is how many reviews fall due on a day (today counts the overdue).
type StatDue struct {
	Date string `json:"date"`
	Due  int    `json:"due"`
}

func tallyOf(t store.Tally) StatTally {
	return StatTally{Attempts: t.Attempts, Correct: t.Correct, Accuracy: math.Round(t.Accuracy()*1000) / 1000}
}

const forecastDays = 30

// statsChartRows is how many tags or packs the terminal view draws.
const statsChartRows = 12

func statsRun(o *StatsOptions) error {
	f := o.f
	st, ctx, err := f.openProgress(o.ctx, "stats")
	if err != nil {
		return err
	}
	sel, err := f.SelectPacks(o.Packs)
	if err != nil {
		return err
	}
	tags := map[string][]string{}
	for _, q := range sel.Library.Questions() {
		tags[q.FullID()] = q.Tags
	}
	now := f.Now().Local()
	h, err := st.History(ctx, time.Local, sel.IDs)
	if err != nil {
		return fmt.Errorf("read progress: %w", err)
	}
	cards, err := st.Cards(ctx)
	if err != nil {
		return fmt.Errorf("read progress: %w", err)
	}
	var only map[string]bool // the chosen packs' questions (nil: every card)
	if len(sel.IDs) > 0 {
		only = map[string]bool{}
		for _, q := range sel.Questions() {
			only[q.FullID()] = true
		}
	}
	s := buildStats(h, cards, tags, only, now)
	if o.JSON {
		return writeJSON(f.IOStreams.Out, s)
	}
	if s.Attempts == 0 {
		fmt.Fprintln(f.IOStreams.ErrOut, "No answers recorded yet. Start with pyquiz review or pyquiz play.")
		return nil
	}
	// Pictures on a terminal, or where colour is forced (pyquiz stats | less -R).
	if f.IOStreams.IsStdoutTTY() || f.IOStreams.ColorEnabled() {
		writeStatsCharts(f.IOStreams.Out, s, now, f.IOStreams.ColorEnabled(), f.IOStreams.TerminalWidth())
		return nil
	}
	return writeStatsPlain(f.IOStreams.Out, s)
}

// buildStats sums the history into the figures; only (nil: all) limits
// the due counts to the questions of the packs chosen.
func buildStats(h store.History, cards []store.Card, tags map[string][]string, only map[string]bool, now time.Time) Stats {
	s := Stats{
		Attempts: h.Total.Attempts, Correct: h.Total.Correct, Sessions: h.Sessions,
		Accuracy:  math.Round(h.Total.Accuracy()*1000) / 1000,
		ByTag:     map[string]StatTally{},
		ByPack:    map[string]StatTally{},
		Days:      []StatDay{},
		Questions: len(h.ByQuestion),
	}
	byTag := map[string]store.Tally{}
	byPack := map[string]store.Tally{}
	for q, t := range h.ByQuestion {
		pack, _, _ := strings.Cut(q, "/")
		add := func(m map[string]store.Tally, k string) {
			x := m[k]
			x.Attempts += t.Attempts
			x.Correct += t.Correct
			m[k] = x
		}
		add(byPack, pack)
		for _, tag := range tags[q] {
			add(byTag, tag)
		}
	}
	for k, t := range byTag {
		s.ByTag[k] = tallyOf(t)
	}
	for k, t := range byPack {
		s.ByPack[k] = tallyOf(t)
	}
	for _, d := range h.Days {
		s.Days = append(s.Days, StatDay{Date: d.Date.Format("2006-01-02"), Attempts: d.Attempts, Correct: d.Correct})
	}
	if len(s.Days) > 0 {
		s.FirstDay, s.LastDay = s.Days[0].Date, s.Days[len(s.Days)-1].Date
	}
	s.Streak = streak(s.Days, now)
	today := midnight(now)
	s.Forecast = make([]StatDue, forecastDays)
	for i := range s.Forecast {
		s.Forecast[i].Date = today.AddDate(0, 0, i).Format("2006-01-02")
	}
	for _, c := range cards {
		if only != nil && !only[c.Question] {
			continue
		}
		day := int(midnight(c.Due.In(now.Location())).Sub(today).Round(24*time.Hour) / (24 * time.Hour))
		day = max(day, 0) // overdue counts today
		if day < forecastDays {
			s.Forecast[day].Due++
		}
		if day == 0 {
			s.Due++
		}
		if day < 8 {
			s.DueWeek++ // today and the next 7 days
		}
	}
	return s
}

func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// streak counts the days in a row with answers, ending today, or ending
// yesterday when today has none yet (the streak is not broken until the
// day is over).
func streak(days []StatDay, now time.Time) int {
	has := map[string]bool{}
	for _, d := range days {
		has[d.Date] = true
	}
	day := midnight(now)
	if !has[day.Format("2006-01-02")] {
		day = day.AddDate(0, 0, -1)
	}
	n := 0
	for has[day.Format("2006-01-02")] {
		n++
		day = day.AddDate(0, 0, -1)
	}
	return n
}

type namedTally struct {
	name string
	StatTally
}

// weakestFirst sorts tallies by accuracy, then by more attempts first.
func weakestFirst(m map[string]StatTally) []namedTally {
	var out []namedTally
	for k, v := range m {
		out = append(out, namedTally{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Accuracy != b.Accuracy {
			return a.Accuracy < b.Accuracy
		}
		if a.Attempts != b.Attempts {
			return a.Attempts > b.Attempts
		}
		return a.name < b.name
	})
	return out
}

func dayWord(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

func writeStatsPlain(w io.Writer, s Stats) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "attempts\t%d\n", s.Attempts)
	fmt.Fprintf(tw, "correct\t%d\n", s.Correct)
	fmt.Fprintf(tw, "accuracy\t%.0f%%\n", 100*s.Accuracy)
	fmt.Fprintf(tw, "sessions\t%d\n", s.Sessions)
	fmt.Fprintf(tw, "questions seen\t%d\n", s.Questions)
	fmt.Fprintf(tw, "streak\t%s\n", dayWord(s.Streak))
	fmt.Fprintf(tw, "due today\t%d\n", s.Due)
	fmt.Fprintf(tw, "due in 7 days\t%d\n", s.DueWeek)
	tw.Flush()
	for _, g := range []struct {
		title string
		m     map[string]StatTally
	}{{"pack", s.ByPack}, {"tag", s.ByTag}} {
		fmt.Fprintf(w, "\n")
		fmt.Fprintf(tw, "%s\taccuracy\tright\tattempts\n", g.title)
		for _, t := range weakestFirst(g.m) {
			fmt.Fprintf(tw, "%s\t%.0f%%\t%d\t%d\n", t.name, 100*t.Accuracy, t.Correct, t.Attempts)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\n")
	fmt.Fprintf(tw, "day\tanswers\tright\n")
	for _, d := range s.Days {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", d.Date, d.Attempts, d.Correct)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n")
	fmt.Fprintf(tw, "due on\treviews\n")
	for _, d := range s.Forecast {
		if d.Due > 0 {
			fmt.Fprintf(tw, "%s\t%d\n", d.Date, d.Due)
		}
	}
	return tw.Flush()
}

func writeStatsCharts(w io.Writer, s Stats, now time.Time, color bool, width int) {
	fmt.Fprintf(w, "%d answers in %d sessions, %.0f%% right, %d questions seen. Streak: %s.\n",
		s.Attempts, s.Sessions, 100*s.Accuracy, s.Questions, dayWord(s.Streak))
	fmt.Fprintf(w, "Due: %d today, %d in the next 7 days.\n", s.Due, s.DueWeek)

	counts := map[string]int{}
	for _, d := range s.Days {
		counts[d.Date] = d.Attempts
	}
	fmt.Fprintf(w, "\nAnswers per day, last 12 weeks\n%s\n", chart.Heatmap(counts, now, 12, color))

	values := make([]int, len(s.Forecast))
	labels := make([]string, len(s.Forecast))
	for i, d := range s.Forecast {
		values[i] = d.Due
		switch {
		case i == 0:
			labels[i] = "today"
		case i%7 == 0:
			labels[i] = fmt.Sprintf("+%d", i)
		}
	}
	fmt.Fprintf(w, "\nReviews due in the next 30 days\n%s\n", chart.Columns(values, labels, 6, color))

	barWidth := 20
	if width > 0 && width < 70 {
		barWidth = 10
	}
	for _, g := range []struct {
		title string
		m     map[string]StatTally
	}{{"Accuracy by tag, weakest first", s.ByTag}, {"Accuracy by pack", s.ByPack}} {
		list := weakestFirst(g.m)
		if len(list) == 0 {
			continue
		}
		name := 0
		for _, t := range list {
			name = max(name, len([]rune(t.name)))
		}
		name = min(name, 24)
		fmt.Fprintf(w, "\n%s\n", g.title)
		more := 0
		if len(list) > statsChartRows {
			list, more = list[:statsChartRows], len(list)-statsChartRows
		}
		for _, t := range list {
			label := t.name
			if r := []rune(label); len(r) > name {
				label = string(r[:name-1]) + "…"
			}
			fmt.Fprintf(w, "  %-*s %s %3.0f%%  %d/%d\n", name, label, chart.Bar(t.Accuracy, barWidth, color), 100*t.Accuracy, t.Correct, t.Attempts)
		}
		if more > 0 {
			fmt.Fprintf(w, "  ... and %d more (pyquiz stats | cat shows them all)\n", more)
		}
	}
}
