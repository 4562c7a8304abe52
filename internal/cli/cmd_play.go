package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pyquiz/pyquiz/internal/packs"
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
	Force        bool
	Student      string
	Questions    []string
	Choices      bool

	// nSet is true when -n was given (--question asks every question named
	// unless -n says otherwise).
	nSet bool

	// builtinOnly limits the quiz to the built-in packs (bare `pyquiz`).
	builtinOnly bool

	// Parsed by validate.
	mode    quiz.Mode
	multi   quiz.MultiRule
	python  *quiz.Version
	seed    uint64
	seedSet bool
	diffs   []quiz.Difficulty

	// Missed is --missed: the last session's misses (play_record.go).
	Missed bool
	// kind is the session kind recorded (play, review, missed).
	kind string
	// pick chooses and orders the questions after the selection flags
	// (review); keepOrder then asks them in that order.
	pick      func([]*quiz.Question) ([]*quiz.Question, error)
	keepOrder bool
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
  pyquiz play -n 0                      # every question
  pyquiz play --question pitfalls/mutable-default-append
  pyquiz play --mode exam --time-limit 20m --penalty 0.25 --report exam.json
  pyquiz play --pack py2-vs-py3 --python 2.7 --seed 7 < answers.txt`,
		Args: cobra.NoArgs,
		RunE: opts.runE(runF, func(cmd *cobra.Command) bool { return cmd.Flags().Changed("number") }),
	}
	fl := cmd.Flags()
	opts.sessionFlags(fl, sessionHelp{
		n:            defaultSessionN,
		number:       "ask `N` questions (0: all that match)",
		seed:         "seed for a reproducible order (a number; default: random, shown at the start)",
		noShuffle:    "keep the packs' order of questions and choices",
		questionTime: "time per question, e.g. 90s; a question that runs out counts as unanswered",
	})
	fl.Float64Var(&opts.Penalty, "penalty", 0, "exam mode: share of a question's points lost for a wrong answer (0-1), e.g. 0.25")
	fl.BoolVar(&opts.Choices, "choices", false, "offer output questions as multiple choice (where they have two or more likely wrong answers)")
	fl.StringArrayVar(&opts.Questions, "question", nil, "ask this question, by `ID` (pack/question or question; repeatable)")
	fl.BoolVar(&opts.Missed, "missed", false, "ask the questions missed (wrong, skipped, timed out) in the last session of these packs")
	return cmd
}

// runE is play's and review's RunE: check the flags, then run the
// session. nSet tells whether -n counts as given (review always sets it).
func (o *PlayOptions) runE(runF func(*PlayOptions) error, nSet func(*cobra.Command) bool) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		o.ctx = cmd.Context()
		o.nSet = nSet(cmd)
		if err := o.validate(); err != nil {
			return err
		}
		if runF != nil {
			return runF(o)
		}
		return quietNothing(playRun(o))
	}
}

// sessionHelp is what differs between play's and review's shared flags:
// the default of -n and the help of the flags whose meaning review bends
// (review orders by due date, so its seed and --no-shuffle concern only
// the choices and the new questions; its question time is also the budget
// past which a right answer counts as hard).
type sessionHelp struct {
	n                                     int
	number, seed, noShuffle, questionTime string
}

// sessionFlags binds the flags play and review share: which questions
// (--pack, --tag, --difficulty, --python, -n, --seed, --no-shuffle) and how
// the session runs (--mode, --time-limit, --question-time, --multi,
// --report, --force, --student). validate checks them all.
func (o *PlayOptions) sessionFlags(fl *pflag.FlagSet, h sessionHelp) {
	fl.IntVarP(&o.N, "number", "n", h.n, h.number)
	fl.StringVar(&o.Seed, "seed", "", h.seed)
	fl.BoolVar(&o.NoShuffle, "no-shuffle", false, h.noShuffle)
	fl.DurationVar(&o.QuestionTime, "question-time", 0, h.questionTime)
	fl.StringArrayVar(&o.Packs, "pack", nil, "pack id, file or folder (repeatable; default: all installed packs)")
	fl.StringSliceVar(&o.Tags, "tag", nil, "only questions with one of these tags (repeatable or comma-separated)")
	fl.StringSliceVar(&o.Difficulties, "difficulty", nil, "only these difficulties: easy, medium, hard")
	fl.StringVar(&o.Python, "python", "", "ask about this Python version (e.g. 2.7); keeps the questions valid on it")
	fl.StringVar(&o.Mode, "mode", "study", "study (feedback after each answer) or exam (review at the end)")
	fl.DurationVar(&o.TimeLimit, "time-limit", 0, "time for the whole session, e.g. 20m")
	fl.StringVar(&o.Multi, "multi", "partial", "scoring of several-answer questions: partial or all-or-nothing")
	fl.StringVar(&o.Report, "report", "", "write the result to `FILE` (.json, .md or .html)")
	fl.BoolVar(&o.Force, "force", false, "let --report replace an existing file or symbolic link")
	fl.StringVar(&o.Student, "student", "", "name recorded in the report (default: your user name)")
}

// defaultSessionN is the length of a session when -n is not given.
const defaultSessionN = 10

// sessionN is how many questions the session asks (0: all that match).
func (o *PlayOptions) sessionN() int {
	if len(o.Questions) > 0 && !o.nSet {
		return 0
	}
	return o.N
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
	if len(o.Questions) > 0 {
		if all, err = namedQuestions(sel.Library, all, o.Questions); err != nil {
			return nil, nil, err
		}
	}
	qs := quiz.Select(all, quiz.Filter{Tags: tags, Difficulties: o.diffs, Python: o.python})
	if len(qs) == 0 {
		what := []string{}
		if len(o.Packs) > 0 {
			what = append(what, "--pack "+strings.Join(o.Packs, ","))
		}
		if len(o.Questions) > 0 {
			what = append(what, "--question "+strings.Join(o.Questions, ","))
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
	if qs, err = o.narrow(qs); err != nil {
		return nil, nil, err
	}
	if o.Choices {
		qs = asChoices(qs, o.python)
	}
	return qs, packByID, nil
}

// asChoices offers the output questions that have enough likely wrong
// answers as multiple choice (--choices); the rest stay as they are.
func asChoices(qs []*quiz.Question, python *quiz.Version) []*quiz.Question {
	out := make([]*quiz.Question, len(qs))
	for i, q := range qs {
		out[i] = q
		if q.Type != quiz.Output {
			continue
		}
		if v, ok := quiz.AskVersion(q, python); ok {
			out[i], _ = quiz.AsChoices(q, v)
		}
	}
	return out
}

// namedQuestions keeps the questions --question names, in the order named.
// An id is pack/question or a question id that one pack alone has.
func namedQuestions(lib *quiz.Library, pool []*quiz.Question, ids []string) ([]*quiz.Question, error) {
	in := map[*quiz.Question]bool{}
	for _, q := range pool {
		in[q] = true
	}
	var out []*quiz.Question
	seen := map[*quiz.Question]bool{}
	for _, id := range ids {
		q, err := lib.Question(strings.TrimSpace(id))
		if err != nil {
			return nil, FlagErrorf("--question %s: %v", id, err)
		}
		if !in[q] {
			return nil, FlagErrorf("--question %s: the question is not in the packs chosen with --pack", id)
		}
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out, nil
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
	o := &PlayOptions{f: f, ctx: ctx, Mode: "study", Multi: "partial", N: defaultSessionN, builtinOnly: true}
	if err := o.validate(); err != nil {
		return err
	}
	return playRun(o)
}
