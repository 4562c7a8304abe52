package cli

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/grade"
	"github.com/pyquiz/pyquiz/quiz"
)

// GradeOptions are the flags of pyquiz grade.
type GradeOptions struct {
	f *Factory

	Pack      string
	Sheets    []string
	Format    string
	Pass      float64
	FailUnder float64
	Multi     string
	Penalty   float64
	Python    string

	// Parsed by validate.
	format grade.Format
	multi  quiz.MultiRule
	// penaltySet and multiSet: the flag was given, so it wins over a report's rules
	penaltySet, multiSet bool
	python               *quiz.Version
	failUnder            bool
}

func newGradeCmd(f *Factory, runF func(*GradeOptions) error) *cobra.Command {
	opts := &GradeOptions{f: f}
	cmd := &cobra.Command{
		Use:   "grade --pack P SHEET...",
		Short: "Grade answer sheets and analyse the questions",
		Long: `Grade a class's answer sheets against one pack, with the rules play scores by,
and analyse the questions as Moodle's quiz statistics do.

A SHEET is a file or a folder of them:
  YAML or JSON   student, pack, answers: {question-id: answer}
  CSV            a header row of question ids, the student column first,
                 then one row per student; several letters as "a,c"
  play's report  the JSON that play --report writes
Answers are the pack's own letters (a, "a,c"), true/false, or the text.
A question missing from a sheet is unanswered.

The report gives each sheet's score, percent and pass/fail; per question
the facility (share of the points earned), the discrimination (facility
in the upper third of the class minus the lower third), the item-rest
correlation, the most chosen wrong answer and who chose each option; for
the test the mean, median, SD, Cronbach's alpha (KR-20 for right/wrong
questions) and the standard error of measurement. Questions with facility
below 0.2 or above 0.95, or a negative discrimination, are flagged.

A sheet with a problem (a letter past the choices, an unknown question,
another pack, a duplicate student, a file that cannot be read) is named
in the report with the reason; the other sheets are graded all the same.
Exit status 1 when there is a problem, or with --fail-under when a sheet
is below that percent.`,
		Example: `  pyquiz grade --pack europython-2014 class.csv
  pyquiz grade --pack mypack.yaml sheets/ --format html > grades.html
  pyquiz grade --pack pitfalls --multi all-or-nothing --penalty 0.25 *.json --format json
  pyquiz grade --pack pitfalls class.csv --pass 50 --fail-under 50`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Sheets = args
			opts.failUnder = cmd.Flags().Changed("fail-under")
			opts.penaltySet = cmd.Flags().Changed("penalty")
			opts.multiSet = cmd.Flags().Changed("multi")
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return gradeRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Pack, "pack", "", "the pack the sheets answer: an id, or a pack file (default: the one the sheets name)")
	fl.StringVar(&opts.Format, "format", "table", "output: table, csv, json, md or html")
	fl.Float64Var(&opts.Pass, "pass", grade.DefaultPass, "pass mark in percent")
	fl.Float64Var(&opts.FailUnder, "fail-under", 0, "exit 1 when any sheet scores below this percent")
	fl.StringVar(&opts.Multi, "multi", "partial", "scoring of several-answer questions: partial or all-or-nothing")
	fl.Float64Var(&opts.Penalty, "penalty", 0, "share of a question's points lost for a wrong answer (0-1), e.g. 0.25")
	fl.StringVar(&opts.Python, "python", "", "grade output questions keyed per version on this Python (default: the newest each allows)")
	return cmd
}

func (o *GradeOptions) validate() error {
	if len(o.Sheets) == 0 {
		return FlagErrorf("no sheets to grade: name the sheet files or folders, e.g. pyquiz grade --pack P class.csv")
	}
	var err error
	if o.format, err = grade.ParseFormat(o.Format); err != nil {
		return FlagErrorf("--format %s: want table, csv, json, md or html", o.Format)
	}
	if o.multi, err = quiz.ParseMultiRule(o.Multi); err != nil {
		return FlagErrorf("--multi %s: want partial or all-or-nothing", o.Multi)
	}
	if o.Pass < 0 || o.Pass > 100 {
		return FlagErrorf("--pass %g: want a percent between 0 and 100, e.g. 60", o.Pass)
	}
	if o.FailUnder < 0 || o.FailUnder > 100 {
		return FlagErrorf("--fail-under %g: want a percent between 0 and 100, e.g. 60", o.FailUnder)
	}
	if o.Penalty < 0 || o.Penalty > 1 {
		return FlagErrorf("--penalty %g: want a share of the points between 0 and 1, e.g. 0.25", o.Penalty)
	}
	if o.Python != "" {
		v, err := quiz.ParseVersion(o.Python)
		if err != nil || v.Major != 2 && v.Major != 3 {
			return FlagErrorf("--python %s: want a Python version such as 2.7 or 3.12", o.Python)
		}
		o.python = &v
	}
	return nil
}

// gradePack finds the pack: --pack (an id or a file), else the one pack
// every sheet names.
func gradePack(o *GradeOptions, inputs []grade.Input) (*quiz.Pack, error) {
	name := o.Pack
	if name == "" {
		named := map[string]bool{}
		for _, in := range inputs {
			if p := strings.TrimSpace(in.Sheet.Pack); p != "" {
				named[p] = true
			}
		}
		if len(named) != 1 {
			return nil, FlagErrorf("--pack: say which pack the sheets answer, e.g. --pack europython-2014")
		}
		for p := range named {
			name = p
		}
	}
	if st, err := os.Stat(name); err == nil && !st.IsDir() {
		// A pack file: read that file alone. The built-in and installed
		// packs are not needed to grade against it, and loading them was
		// a tenth of the time a class of 10,000 takes.
		res, err := o.f.LoadPacks([]string{name}, true)
		if err != nil {
			return nil, err
		}
		for _, b := range res.Broken {
			return nil, fmt.Errorf("%s has errors:\n%w", b.Name, res.Problems.Errors())
		}
		if len(res.Library.Packs) == 1 {
			return res.Library.Packs[0], nil
		}
	}
	// Several ids joined by commas ("a,b", as a served session over two
	// packs names itself): their questions as one pack, each question
	// keeping its own pack's hint penalty, as serve grades them.
	names := strings.Split(name, ",")
	sel, err := o.f.SelectPacks(names)
	if err != nil {
		return nil, err
	}
	if len(sel.IDs) != len(names) {
		return nil, FlagErrorf("--pack %s: want one pack (a pack id or a pack file), or pack ids joined by commas", name)
	}
	if len(names) == 1 {
		return sel.Library.Pack(sel.IDs[0]), nil
	}
	var qs []*quiz.Question
	var titles []string
	packs := map[string]*quiz.Pack{}
	for _, id := range sel.IDs {
		pk := sel.Library.Pack(id)
		packs[id] = pk
		qs = append(qs, pk.Questions...)
		titles = append(titles, pk.Title)
	}
	return quiz.Combine(strings.Join(titles, ", "), qs, packs), nil
}

func gradeRun(o *GradeOptions) error {
	ios := o.f.IOStreams
	gopts := grade.Options{
		Rules:  quiz.Rules{Multi: o.multi, Penalty: o.Penalty, HintPenalty: -1},
		Pass:   o.Pass,
		Python: o.python,
		// a play report's recorded rules count unless the flags are given
		PenaltySet: o.penaltySet,
		MultiSet:   o.multiSet,
	}
	var rep *grade.Report
	if o.Pack != "" {
		// Grade each sheet as it is read: a large class is held once.
		p, err := gradePack(o, nil)
		if err != nil {
			return err
		}
		rep = grade.GradePaths(p, o.Sheets, gopts)
	} else {
		inputs, probs := grade.ReadPaths(o.Sheets)
		p, err := gradePack(o, inputs)
		if err != nil {
			return err
		}
		rep = grade.Grade(p, inputs, probs, gopts)
	}
	out := bufio.NewWriterSize(ios.Out, 64<<10)
	if err := rep.Write(out, o.format, grade.WriteOptions{Width: ios.TerminalWidth()}); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	return gradeStatus(o, rep)
}

// gradeStatus prints the one-line status to stderr (and the problems, for
// the formats a person does not read in the terminal) and picks the exit.
func gradeStatus(o *GradeOptions, rep *grade.Report) error {
	errOut := o.f.IOStreams.ErrOut
	if o.format != grade.Table {
		for _, pr := range rep.Problems {
			fmt.Fprintf(errOut, "pyquiz: %s\n", pr.String())
		}
	}
	below := 0
	for _, s := range rep.Sheets {
		if o.failUnder && s.Percent < o.FailUnder-1e-9 {
			below++
		}
	}
	status := fmt.Sprintf("Graded %d sheet(s) of %s", len(rep.Sheets), rep.Pack)
	if n := len(rep.Problems); n > 0 {
		status += fmt.Sprintf("; %d problem(s)", n)
	}
	if below > 0 {
		status += fmt.Sprintf("; %d below %g%%", below, o.FailUnder)
	}
	fmt.Fprintln(errOut, status)
	if len(rep.Sheets) == 0 && len(rep.Problems) == 0 {
		return errors.New("no sheets found in the files given")
	}
	if len(rep.Problems) > 0 || below > 0 {
		return ErrFindings
	}
	return nil
}
