package cli

import (
	"context"
	"errors"
	"fmt"
	"os/user"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/report"
	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/quiz"
)

// ReportOptions are the flags of pyquiz report.
type ReportOptions struct {
	f   *Factory
	ctx context.Context

	Session string
	Last    bool
	Output  string
	List    bool
	Student string
	Packs   []string
	Force   bool
}

func newReportCmd(f *Factory, runF func(*ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "report [SESSION | --last]",
		Short: "Write any recorded session as a .md, .html or .json report",
		Long: `Report rebuilds a recorded session from the progress database and writes
it as play --report would: Markdown, one HTML page, or the JSON sheet that
pyquiz grade reads. The format follows the file name given with -o;
without -o the Markdown goes to stdout. SESSION is a session id or the
start of one (see --list); with no SESSION, or --last, the newest session.
A session killed or interrupted has a report of what it recorded.`,
		Example: `  pyquiz report --last -o last.html
  pyquiz report --list
  pyquiz report 20260302-0900 -o monday.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx = cmd.Context()
			if len(args) == 1 {
				opts.Session = args[0]
			}
			if opts.Session != "" && opts.Last {
				return FlagErrorf("give a SESSION or --last, not both")
			}
			if opts.Output != "" {
				if _, err := report.FormatOf(opts.Output); err != nil {
					return FlagErrorf("-o %v", err)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return reportRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Last, "last", false, "the newest session (the default)")
	fl.StringVarP(&opts.Output, "output", "o", "", "write the report to `FILE` (.md, .html or .json)")
	fl.BoolVar(&opts.Force, "force", false, "let -o replace an existing file or symbolic link")
	fl.BoolVar(&opts.List, "list", false, "list the recorded sessions, newest first")
	fl.StringVar(&opts.Student, "student", "", "name in the report (default: your user name)")
	fl.StringArrayVar(&opts.Packs, "pack", nil, "also read this pack file or folder, for sessions of packs not installed (repeatable)")
	return cmd
}

func reportRun(o *ReportOptions) error {
	f := o.f
	st, ctx, err := f.openProgress(o.ctx, "report")
	if err != nil {
		return err
	}
	if o.List {
		return listSessions(o, st)
	}
	if o.Output != "" {
		if err := report.Check(o.Output, o.Force); err != nil {
			return FlagErrorf("-o %v", err)
		}
	}
	var sess store.Session
	if o.Session == "" {
		sess, err = st.LastSession(ctx)
	} else {
		sess, err = st.Session(ctx, o.Session)
		if errors.Is(err, store.ErrNoSession) {
			if served, _ := st.ServeSessions(ctx); slices.ContainsFunc(served, func(s store.Session) bool { return s.ID == o.Session }) {
				err = fmt.Errorf("%s is a pyquiz serve session: its report is on the host page (pyquiz serve --resume %s), downloadable as CSV, JSON or HTML", o.Session, o.Session)
			}
			err = &InputError{err}
		}
		if errors.As(err, new(*store.AmbiguousError)) {
			err = &InputError{err} // the user's id: exit 2, as for one that matches nothing
		}
	}
	if err != nil {
		return err
	}
	attempts, err := st.SessionAttempts(ctx, sess.ID)
	if err != nil {
		return err
	}
	sel, err := f.SelectPacks(o.Packs)
	if err != nil {
		return err
	}
	qs, err := rebuildSession(sess, attempts, sel.Library, f.IOStreams.ErrOut)
	if err != nil {
		return err
	}
	student := o.Student
	if student == "" {
		student = f.Getenv("USER")
		if u, err := user.Current(); student == "" && err == nil {
			student = u.Username
		}
	}
	end := sess.Ended
	if end.IsZero() && len(attempts) > 0 {
		end = attempts[len(attempts)-1].At
	}
	info := report.Info{Student: student, Started: sess.Started, Duration: end.Sub(sess.Started), Seed: sess.Seed}
	if o.Output == "" {
		return report.Write(f.IOStreams.Out, report.Markdown, qs, info)
	}
	if err := report.WriteFile(o.Output, o.Force, qs, info); err != nil {
		return err
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "Report of session %s (%s) written to %s\n", sess.ID, sess.Status, render.Escape(o.Output))
	return nil
}

// flagValue finds "--name value" in a session's recorded flags.
func flagValue(flags, name string) string {
	fs := strings.Fields(flags)
	for i := 0; i+1 < len(fs); i++ {
		if fs[i] == name {
			return fs[i+1]
		}
	}
	return ""
}

// rebuildSession turns recorded attempts back into a quiz session with
// today's text of each question. Attempts at questions no pack has any
// more are left out, with a note; so is a change of text.
func rebuildSession(sess store.Session, attempts []store.Attempt, lib *quiz.Library, notes interface{ Write([]byte) (int, error) }) (*quiz.Session, error) {
	cfg := quiz.SessionConfig{Mode: quiz.Mode(sess.Mode), Rules: quiz.Rules{HintPenalty: -1}, Seed: sess.Seed, Packs: map[string]*quiz.Pack{}}
	if m, err := quiz.ParseMultiRule(flagValue(sess.Flags, "--multi")); err == nil && flagValue(sess.Flags, "--multi") != "" {
		cfg.Rules.Multi = m
	}
	if p, err := strconv.ParseFloat(flagValue(sess.Flags, "--penalty"), 64); err == nil {
		cfg.Rules.Penalty = p
	}
	if v, err := quiz.ParseVersion(flagValue(sess.Flags, "--python")); err == nil {
		cfg.Python = &v
	}
	for _, p := range lib.Packs {
		cfg.Packs[p.ID] = p
	}
	s := quiz.NewSession(nil, cfg)
	var gone, changed []string
	unordered := 0
	for _, a := range attempts {
		q, err := lib.Question(a.Question)
		if err != nil || q.FullID() != a.Question {
			gone = append(gone, a.Question)
			continue
		}
		if a.ContentHash != "" && a.ContentHash != store.ContentHash(q) {
			changed = append(changed, a.Question)
		}
		it := &quiz.Item{Question: q, Order: packOrder(q)}
		if len(q.Choices) > 0 {
			if order, ok := shownOrder(a.Order, len(q.Choices)); ok {
				it.Order = order
			} else {
				unordered++
			}
		}
		it.Version, _ = quiz.AskVersion(q, cfg.Python)
		it.VersionShown = q.Type == quiz.Output && !q.Answer.Set
		it.Key = quiz.KeyFor(q, it.Version)
		rec := quiz.Record{
			Item: it, Given: a.Given, Correct: a.Correct, Points: a.Points, Max: a.Max, Hints: a.Hints,
			Answered: a.Status == store.StatusAnswered, Skipped: a.Status == store.StatusSkipped,
			TimedOut: a.Status == store.StatusTimeout, NotReached: a.Status == store.StatusNotReached,
			Duration: time.Duration(a.Seconds * float64(time.Second)),
		}
		if rec.Answered {
			// Given is in the pack's letters, whatever order was shown.
			rec.Response, _ = quiz.ParseResponse(q, a.Given, packOrder(q))
		}
		s.Items = append(s.Items, it)
		s.Records = append(s.Records, rec)
	}
	if len(s.Records) == 0 {
		if len(gone) > 0 {
			return nil, fmt.Errorf("session %s: its %d answer(s) are about questions no pack loaded has (%s ...): add --pack FILE for a pack that is not installed", sess.ID, len(gone), gone[0])
		}
		return nil, fmt.Errorf("session %s has no answers recorded", sess.ID)
	}
	if len(gone) > 0 {
		fmt.Fprintf(notes, "pyquiz: note: %d answer(s) left out: no pack loaded has %s (--pack FILE adds a pack)\n", len(gone), strings.Join(gone, ", "))
	}
	if len(changed) > 0 {
		fmt.Fprintf(notes, "pyquiz: note: %s changed since the session; the report shows today's text\n", strings.Join(changed, ", "))
	}
	if unordered > 0 {
		fmt.Fprintf(notes, "pyquiz: note: the order the choices were shown in was not recorded for %s (recorded by an older pyquiz, or the question's choices changed); their choices are shown in the pack's order\n", plural(unordered, "answer"))
	}
	s.Finish()
	return s, nil
}

func listSessions(o *ReportOptions, st *store.Store) error {
	ctx := orBackground(o.ctx)
	list, err := st.Sessions(ctx, 0)
	if err != nil {
		return err
	}
	// pyquiz serve's sessions in the same database (its default --db).
	served, err := st.ServeSessions(ctx)
	if err != nil {
		return err
	}
	list = append(list, served...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].Started.After(list[j].Started) })
	ios := o.f.IOStreams
	if len(list) == 0 {
		fmt.Fprintln(ios.ErrOut, "No sessions recorded yet.")
		return nil
	}
	tw := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SESSION\tSTARTED\tKIND\tMODE\tANSWERS\tRIGHT\tSTATUS\tPACKS")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", s.ID, s.Started.Local().Format("2006-01-02 15:04"), s.Kind, s.Mode,
			s.Attempts, s.Correct, s.Status, strings.Join(s.Packs, ","))
	}
	return tw.Flush()
}

// packOrder is the pack's own order of q's choices.
func packOrder(q *quiz.Question) []int {
	order := make([]int, len(q.Choices))
	for i := range order {
		order[i] = i
	}
	return order
}

// shownOrder reads a recorded order ("c,a,d,b") for a question of n
// choices; false when there is none or it no longer fits the question.
func shownOrder(s string, n int) ([]int, bool) {
	if s == "" {
		return nil, false
	}
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, false
	}
	order := make([]int, n)
	seen := make([]bool, n)
	for i, l := range parts {
		c := quiz.LetterIndex(l)
		if c < 0 || c >= n || seen[c] {
			return nil, false
		}
		seen[c] = true
		order[i] = c
	}
	return order, true
}
