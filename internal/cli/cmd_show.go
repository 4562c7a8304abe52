package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/verify"
	"github.com/pyquiz/pyquiz/quiz"
)

// ShowOptions are the flags of pyquiz show.
type ShowOptions struct {
	f      *Factory
	ID     string
	Packs  []string
	Answer bool
	JSON   bool
	Python string
}

func newShowCmd(f *Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{f: f}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one question as the quiz shows it",
		Long: `Show one question as the quiz shows it. ID is pack/question, or just the
question id when only one pack has it. --answer adds the key, the
explanation, the per-answer feedback and the versions verify proved it on.`,
		Example: `  pyquiz show europython-2014/new-before-init
  pyquiz show mutable-default-append --answer`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Answer, "answer", false, "also show the answer, explanation and feedback")
	cmd.Flags().StringSliceVar(&opts.Packs, "pack", nil, "also load this pack `FILE` or folder")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the question as JSON")
	cmd.Flags().StringVar(&opts.Python, "python", "", "show it as asked on Python `VER` (output questions)")
	return cmd
}

func showRun(opts *ShowOptions) error {
	sel, err := opts.f.SelectPacks(opts.Packs)
	if err != nil {
		return err
	}
	q, err := sel.Library.Question(opts.ID)
	if err != nil {
		return &InputError{err}
	}
	out := opts.f.IOStreams.Out
	if opts.JSON {
		j := q.JSON()
		if !opts.Answer {
			j.Answer, j.Explanation, j.Feedback, j.Expect = nil, "", nil, nil
		}
		return writeJSON(out, j)
	}
	var want *quiz.Version
	if opts.Python != "" {
		v, err := quiz.ParseVersion(opts.Python)
		if err != nil {
			return FlagErrorf("--python: %v", err)
		}
		want = &v
	}
	// The quiz's own renderer, so show prints exactly what play asks.
	item := quiz.NewSession([]*quiz.Question{q}, quiz.SessionConfig{Python: want}).Items[0]
	ios := opts.f.IOStreams
	r := render.New(out, ios.ColorEnabled(), ios.TerminalWidth())
	r.Fold = ios.IsStdoutTTY()
	r.Question(item, render.Status{N: 1, Total: 1})
	if !opts.Answer {
		return nil
	}
	fmt.Fprintln(out)
	if text := render.Escape(answerText(q)); strings.HasPrefix(text, "\n") {
		fmt.Fprintf(out, "Answer:%s\n", text)
	} else {
		fmt.Fprintf(out, "Answer: %s\n", text)
	}
	if q.Explanation != "" {
		fmt.Fprintf(out, "\n%s\n", strings.TrimRight(render.Escape(q.Explanation), "\n"))
	}
	if len(q.Feedback) > 0 {
		fmt.Fprintln(out, "\nFeedback:")
		for _, k := range sortedKeys(q.Feedback) {
			fmt.Fprintf(out, "  %s: %s\n", render.Escape(k), render.Escape(strings.TrimSpace(q.Feedback[k])))
		}
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, verifiedLine(opts.f, q))
	return nil
}

// answerText is the key in words: "b) __new__", "true", the output.
func answerText(q *quiz.Question) string {
	switch q.Type {
	case quiz.Single, quiz.Multi, quiz.TrueFalse:
		return quiz.KeyText(q, q.Answer)
	case quiz.Short:
		return strings.Join(q.Answer.Texts, " | ")
	}
	if q.Answer.Set {
		return "\n" + indent(q.Answer.Texts[0])
	}
	var parts []string
	for _, o := range q.Expect {
		label := "every version"
		if !o.Python.IsZero() {
			label = "Python " + o.Python.String()
		}
		parts = append(parts, fmt.Sprintf("\n  on %s:\n%s", label, indent(quiz.OutcomeAnswer(o))))
	}
	return strings.Join(parts, "")
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// verifiedLine says on which interpreters pyquiz verify proved the key,
// from the cache verify keeps in the state folder; it never runs code.
func verifiedLine(f *Factory, q *quiz.Question) string {
	if q.Code == "" {
		return "Verified on: nothing to run (no code)"
	}
	if len(q.Expect) == 0 && q.Type != quiz.Output { // verify checks an output question's answer
		return "Verified on: cannot be verified (no expect)"
	}
	cache, err := verify.LoadCache(f.StateDir())
	if err != nil {
		fmt.Fprintf(f.IOStreams.ErrOut, "pyquiz: %v\n", err)
	}
	if vs := cache.VerifiedOn(q); len(vs) > 0 {
		return "Verified on: Python " + strings.Join(vs, ", ")
	}
	return "Verified on: not yet (run pyquiz verify)"
}
