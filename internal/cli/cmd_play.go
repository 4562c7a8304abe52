package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/report"
	"github.com/pyquiz/pyquiz/quiz"
)

// PlayOptions are the flags of pyquiz play.
type PlayOptions struct {
	f   *Factory
	ctx context.Context

	Packs        []string
	Tags         []string
	Difficulties []string
	Python       string
	N            int
	Seed         string
	NoShuffle    bool
	Mode         string
	TimeLimit    time.Duration
	QuestionTime time.Duration
	Penalty      float64
	Multi        string
	Report       string
	Student      string

	// builtinOnly limits the quiz to the built-in packs (bare `pyquiz`).
	builtinOnly bool

	// Parsed by validate.
	mode    quiz.Mode
	multi   quiz.MultiRule
	python  *quiz.Version
	seed    uint64
	seedSet bool
	diffs   []quiz.Difficulty
}

func newPlayCmd(f *Factory, runF func(*PlayOptions) error) *cobra.Command {
	opts := &PlayOptions{f: f}
	cmd := &cobra.Command{
		Use:   "play",
		Short: "Take a quiz: study mode with feedback, or a timed exam",
		Long: `Play serves questions from the packs in a quiz loop.

Answer with a letter (b), letters for several answers (a,c), t or f, or
the text asked for, on one line. h shows a hint, s skips, q quits with the
summary, ? shows help. Study mode (the default) explains every answer;
exam mode says nothing until the end, then reviews every question.
A file of answer lines piped in drives a whole session.`,
		Example: `  pyquiz play
  pyquiz play --pack pitfalls --tag closures -n 5
  pyquiz play --mode exam --time-limit 20m --penalty 0.25 --report exam.json
  pyquiz play --pack py2-vs-py3 --python 2.7 --seed 7 < answers.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ctx = cmd.Context()
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return playRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Packs, "pack", nil, "pack id, file or folder (repeatable; default: all installed packs)")
	fl.StringSliceVar(&opts.Tags, "tag", nil, "only questions with one of these tags (repeatable or comma-separated)")
	fl.StringSliceVar(&opts.Difficulties, "difficulty", nil, "only these difficulties: easy, medium, hard")
	fl.StringVar(&opts.Python, "python", "", "ask about this Python version (e.g. 2.7); keeps the questions valid on it")
	fl.IntVarP(&opts.N, "number", "n", 0, "ask at most `N` questions (default: all)")
	fl.StringVar(&opts.Seed, "seed", "", "seed for a reproducible order (a number; default: random, shown at the start)")
	fl.BoolVar(&opts.NoShuffle, "no-shuffle", false, "keep the packs' order of questions and choices")
	fl.StringVar(&opts.Mode, "mode", "study", "study (feedback after each answer) or exam (review at the end)")
	fl.DurationVar(&opts.TimeLimit, "time-limit", 0, "time for the whole session, e.g. 20m")
	fl.DurationVar(&opts.QuestionTime, "question-time", 0, "time per question, e.g. 90s; a question that runs out counts as unanswered")
	fl.Float64Var(&opts.Penalty, "penalty", 0, "exam mode: share of a question's points lost for a wrong answer (0-1), e.g. 0.25")
	fl.StringVar(&opts.Multi, "multi", "partial", "scoring of several-answer questions: partial or all-or-nothing")
	fl.StringVar(&opts.Report, "report", "", "write the result to `FILE` (.json, .md or .html)")
	fl.StringVar(&opts.Student, "student", "", "name recorded in the report (default: your user name)")
	return cmd
}

func (o *PlayOptions) validate() error {
	m, err := quiz.ParseMode(o.Mode)
	if err != nil {
		return FlagErrorf("--mode %s: %v", o.Mode, err)
	}
	o.mode = m
	if o.multi, err = quiz.ParseMultiRule(o.Multi); err != nil {
		return FlagErrorf("--multi %s: want partial or all-or-nothing", o.Multi)
	}
	if o.N < 0 {
		return FlagErrorf("-n %d: want a number of questions, 1 or more (0 for all)", o.N)
	}
	if o.TimeLimit < 0 {
		return FlagErrorf("--time-limit %s: want a positive duration such as 20m", o.TimeLimit)
	}
	if o.QuestionTime < 0 {
		return FlagErrorf("--question-time %s: want a positive duration such as 90s", o.QuestionTime)
	}
	if o.Penalty < 0 || o.Penalty > 1 {
		return FlagErrorf("--penalty %g: want a share of the points between 0 and 1, e.g. 0.25", o.Penalty)
	}
	if o.Penalty > 0 && o.mode != quiz.Exam {
		return FlagErrorf("--penalty is negative marking for exams; add --mode exam")
	}
	if o.Python != "" {
		v, err := quiz.ParseVersion(o.Python)
		if err != nil || v.Major != 2 && v.Major != 3 {
			return FlagErrorf("--python %s: want a Python version such as 2.7 or 3.12", o.Python)
		}
		o.python = &v
	}
	if o.Seed != "" {
		s, err := strconv.ParseUint(o.Seed, 10, 64)
		if err != nil {
			return FlagErrorf("--seed %s: want a whole number such as 42", o.Seed)
		}
		o.seed, o.seedSet = s, true
	}
	o.diffs = nil
	for _, d := range o.Difficulties {
		d = strings.ToLower(strings.TrimSpace(d))
		if d != string(quiz.Easy) && d != string(quiz.Medium) && d != string(quiz.Hard) {
			return FlagErrorf("--difficulty %s: want easy, medium or hard", d)
		}
		o.diffs = append(o.diffs, quiz.Difficulty(d))
	}
	if o.Report != "" {
		if _, err := report.FormatOf(o.Report); err != nil {
			return FlagErrorf("--report %v", err)
		}
	}
	return nil
}

// playQuestions resolves the packs and filters into the questions to ask.
func playQuestions(o *PlayOptions) ([]*quiz.Question, map[string]*quiz.Pack, error) {
	sel, err := o.f.SelectPacks(o.Packs)
	if err != nil {
		return nil, nil, err
	}
	all := sel.Questions()
	if o.builtinOnly {
		all = nil
		for _, p := range sel.Library.Packs {
			if strings.HasPrefix(p.File, packs.BuiltinPrefix) {
				all = append(all, p.Questions...)
			}
		}
	}
	packByID := map[string]*quiz.Pack{}
	for _, p := range sel.Library.Packs {
		packByID[p.ID] = p
	}
	var tags []string
	for _, t := range o.Tags {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	qs := quiz.Select(all, quiz.Filter{Tags: tags, Difficulties: o.diffs, Python: o.python})
	if len(qs) == 0 {
		what := []string{}
		if len(o.Packs) > 0 {
			what = append(what, "--pack "+strings.Join(o.Packs, ","))
		}
		if len(tags) > 0 {
			what = append(what, "--tag "+strings.Join(tags, ","))
		}
		if len(o.diffs) > 0 {
			what = append(what, "--difficulty "+strings.Join(o.Difficulties, ","))
		}
		if o.python != nil {
			what = append(what, "--python "+o.python.String())
		}
		if len(all) == 0 {
			return nil, nil, errors.New("no questions to ask: the packs chosen are empty (see pyquiz list)")
		}
		return nil, nil, fmt.Errorf("no question matches %s (see pyquiz list questions for tags and difficulties)", strings.Join(what, " "))
	}
	return qs, packByID, nil
}

type inputLine struct {
	text string
	err  error
}

// readLines feeds stdin to a channel line by line, so the loop can wait
// for a line, a timer and Ctrl-C at once. The goroutine outlives the
// session when it ends on a timer; it is blocked on a read and harmless.
func readLines(in io.Reader) <-chan inputLine {
	ch := make(chan inputLine)
	go func() {
		r := bufio.NewReader(in)
		for {
			s, err := r.ReadString('\n')
			if s != "" {
				ch <- inputLine{text: s}
			}
			if err != nil {
				ch <- inputLine{err: err}
				return
			}
		}
	}()
	return ch
}

// command recognises the loop's own keys. On a choice question a single
// letter that names a choice is an answer, never a command (a question
// with eight choices has an h); the words hint, skip, quit and help work
// there always. On output and short questions only the one-key forms are
// commands, since "help" or "quit" may well be an answer.
func command(line string, it *quiz.Item) string {
	s := strings.ToLower(strings.TrimSpace(line))
	words := map[string]string{"h": "hint", "s": "skip", "q": "quit", "?": "help", "hint": "hint", "skip": "skip", "quit": "quit", "help": "help"}
	cmd, ok := words[s]
	if !ok {
		return ""
	}
	q := it.Question
	switch q.Type {
	case quiz.Single, quiz.Multi:
		if len(s) == 1 && s != "?" && quiz.LetterIndex(s) < len(q.Choices) {
			return ""
		}
	case quiz.Output, quiz.Short:
		if len(s) > 1 {
			return ""
		}
	}
	return cmd
}

func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero() || a.Before(b):
		return a
	}
	return b
}

func playRun(o *PlayOptions) error {
	f := o.f
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	qs, packByID, err := playQuestions(o)
	if err != nil {
		return err
	}
	seed := o.seed
	if !o.seedSet {
		seed = uint64(f.Now().UnixNano()) % 1_000_000
	}
	sess := quiz.NewSession(qs, quiz.SessionConfig{
		Mode:    o.mode,
		Rules:   quiz.Rules{Multi: o.multi, Penalty: o.Penalty, HintPenalty: -1},
		Seed:    seed,
		Shuffle: !o.NoShuffle,
		N:       o.N,
		Python:  o.python,
		Packs:   packByID,
	})

	ios := f.IOStreams
	interactive := ios.IsStdinTTY()
	r := render.New(ios.Out, ios.ColorEnabled(), ios.TerminalWidth())
	r.Echo = !interactive

	intro := fmt.Sprintf("%d question(s), %s mode, seed %d", sess.Len(), o.mode, seed)
	if o.TimeLimit > 0 {
		intro += ", " + render.Duration(o.TimeLimit) + " in all"
	}
	if o.QuestionTime > 0 {
		intro += ", " + render.Duration(o.QuestionTime) + " per question"
	}
	r.Note(intro + ". Type ? for help, q to stop.")

	started := f.Now()
	wallStart := time.Now()
	var sessionEnd time.Time
	if o.TimeLimit > 0 {
		sessionEnd = wallStart.Add(o.TimeLimit)
	}
	lines := readLines(ios.In)
	interrupted := false

loop:
	for !sess.Done() {
		it := sess.Current()
		sum := sess.Summary()
		r.Question(it, render.Status{N: sess.Index() + 1, Total: sess.Len(), Score: sum.Total.Points, Max: sum.Total.Max, ShowScore: o.mode == quiz.Study && sess.Index() > 0})
		qStart := time.Now()
		var qEnd time.Time
		if o.QuestionTime > 0 {
			qEnd = qStart.Add(o.QuestionTime)
		}
		deadline := earliest(qEnd, sessionEnd)
		for {
			left := ""
			if interactive && !deadline.IsZero() {
				left = render.Clock(time.Until(deadline))
			}
			r.Prompt(left)
			var timeout <-chan time.Time
			var timer *time.Timer
			if !deadline.IsZero() {
				timer = time.NewTimer(time.Until(deadline))
				timeout = timer.C
			}
			var in inputLine
			select {
			case <-ctx.Done():
				fmt.Fprintln(ios.Out)
				interrupted = true
				break loop
			case <-timeout:
				fmt.Fprintln(ios.Out)
				rec, _ := sess.Timeout(time.Since(qStart))
				if o.mode == quiz.Study {
					r.Feedback(rec)
				} else {
					r.Note("Time is up for this question.")
				}
				if !sessionEnd.IsZero() && !time.Now().Before(sessionEnd) {
					r.Note("The session's time limit is up.")
					break loop
				}
				continue loop
			case in = <-lines:
			}
			if timer != nil {
				timer.Stop()
			}
			if in.err != nil {
				fmt.Fprintln(ios.Out)
				if !errors.Is(in.err, io.EOF) {
					fmt.Fprintf(ios.ErrOut, "pyquiz: read answers: %v\n", in.err)
				}
				r.Note("End of input.")
				break loop
			}
			r.Echoed(in.text)
			switch command(in.text, it) {
			case "help":
				r.Help(it)
				continue
			case "hint":
				n := sess.HintsUsed()
				h, ok := sess.Hint()
				switch {
				case ok:
					r.Hint(n+1, len(it.Question.Hints), h, quiz.HintFactor(packByID[it.Question.PackID], n, quiz.DefaultRules)-quiz.HintFactor(packByID[it.Question.PackID], n+1, quiz.DefaultRules))
				case len(it.Question.Hints) == 0:
					r.Note("This question has no hints.")
				default:
					r.Note("No more hints for this question.")
				}
				continue
			case "skip":
				rec, _ := sess.Skip(time.Since(qStart))
				if o.mode == quiz.Study {
					r.Feedback(rec)
				}
				continue loop
			case "quit":
				break loop
			}
			resp, err := quiz.ParseResponse(it.Question, strings.TrimRight(in.text, "\r\n"), it.Order)
			if err != nil {
				r.Invalid(err.Error())
				continue
			}
			rec, _ := sess.Answer(resp, time.Since(qStart))
			if o.mode == quiz.Study {
				r.Feedback(rec)
			}
			continue loop
		}
	}

	sess.Finish()
	elapsed := f.Now().Sub(started)
	r.Summary(sess, sess.Summary(), elapsed, o.mode == quiz.Exam)
	if o.Report != "" {
		student := o.Student
		if student == "" {
			student = f.Getenv("USER")
			if student == "" {
				if u, err := user.Current(); err == nil {
					student = u.Username
				}
			}
		}
		info := report.Info{Student: student, Started: started, Duration: elapsed, Seed: seed}
		if err := report.WriteFile(o.Report, sess, info); err != nil {
			return err
		}
		fmt.Fprintf(ios.ErrOut, "Report written to %s\n", o.Report)
	}
	if interrupted {
		return ErrInterrupted
	}
	return nil
}

// offerQuiz is what bare `pyquiz` does on a terminal: ask, then play ten
// questions from the built-in packs.
func offerQuiz(ctx context.Context, f *Factory) error {
	ios := f.IOStreams
	fmt.Fprint(ios.Out, "Start a 10-question quiz on the built-in packs? [Y/n] ")
	// Read byte by byte: a buffered reader here would swallow input the
	// quiz loop's own reader needs.
	var line []byte
	buf := make([]byte, 1)
	for {
		n, err := ios.In.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			line = append(line, buf[0])
		}
		if err != nil {
			fmt.Fprintln(ios.Out)
			return nil
		}
	}
	switch strings.ToLower(strings.TrimSpace(string(line))) {
	case "", "y", "yes":
	default:
		fmt.Fprintln(ios.Out, "Run pyquiz --help to see what pyquiz does.")
		return nil
	}
	o := &PlayOptions{f: f, ctx: ctx, Mode: "study", Multi: "partial", N: 10, builtinOnly: true}
	if err := o.validate(); err != nil {
		return err
	}
	return playRun(o)
}
