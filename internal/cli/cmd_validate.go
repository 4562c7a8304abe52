package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

// ValidateOptions are the flags and arguments of pyquiz validate.
type ValidateOptions struct {
	f      *Factory
	Paths  []string
	Strict bool
	JSON   bool
}

func newValidateCmd(f *Factory, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "validate [PATH...]",
		Short: "Check pack files for mistakes",
		Long: `Check pack files and report every problem as file:line:col: message.

With no PATH, every installed pack is checked (built-in, the user pack folder
and PYQUIZ_PACKS). A PATH is a pack file or a folder of them.
Errors exit 1. Warnings (a missing explanation, tags or hints) exit 0
unless --strict is given.`,
		Example: `  pyquiz validate
  pyquiz validate mypack.yaml --strict
  pyquiz validate packs/ --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if runF != nil {
				return runF(opts)
			}
			return validateRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "treat warnings as errors")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the findings as JSON")
	return cmd
}

type problemJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

type validateJSON struct {
	Packs     int           `json:"packs"`
	Questions int           `json:"questions"`
	Errors    []problemJSON `json:"errors"`
	Warnings  []problemJSON `json:"warnings"`
}

func validateRun(opts *ValidateOptions) error {
	io := opts.f.IOStreams
	res, err := opts.f.ParsePacks(opts.Paths, len(opts.Paths) > 0)
	if err != nil {
		return err
	}
	nPacks, nQuestions := 0, 0
	for _, file := range res.Files {
		if file.Pack != nil {
			nPacks++
			nQuestions += len(file.Pack.Questions)
		}
	}
	errs, warns := res.Problems.Errors(), res.Problems.Warnings()
	if opts.JSON {
		out := validateJSON{Packs: nPacks, Questions: nQuestions, Errors: toJSON(errs), Warnings: toJSON(warns)}
		if err := writeJSON(io.Out, out); err != nil {
			return err
		}
	} else {
		for _, p := range res.Problems {
			// The message quotes pack text already; the file name is raw.
			fmt.Fprintln(io.Out, render.Escape(p.Error()))
		}
		fmt.Fprintf(io.ErrOut, "%s, %s: %s, %s\n", plural(nPacks, "pack"), plural(nQuestions, "question"),
			plural(len(errs), "error"), plural(len(warns), "warning"))
	}
	if len(errs) > 0 || opts.Strict && len(warns) > 0 {
		return ErrFindings
	}
	return nil
}

func toJSON(ps quiz.Problems) []problemJSON {
	out := make([]problemJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, problemJSON{File: p.Pos.File, Line: p.Pos.Line, Col: p.Pos.Col, Message: p.Message})
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
