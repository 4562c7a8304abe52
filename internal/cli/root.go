package cli

import (
	"github.com/spf13/cobra"
)

// NewRootCmd builds the pyquiz command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	var noColor bool
	root := &cobra.Command{
		Use:   "pyquiz",
		Short: "A terminal trainer and grader for Python knowledge",
		Long: `pyquiz serves "what does this print?" questions from YAML packs in an
interactive quiz, proves every answer key on real Python interpreters,
and grades answer sheets.`,
		Version:       Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if noColor {
				f.IOStreams.SetColorEnabled(false)
			}
			return f.ClockErr
		},
		// Bare pyquiz: on a terminal offer a quiz, on a pipe print help.
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.IOStreams.IsStdinTTY() && f.IOStreams.IsStdoutTTY() {
				return offerQuiz(cmd.Context(), f)
			}
			return cmd.Help()
		},
	}
	root.PersistentFlags().BoolVar(&noColor, "no-color", false, "never print colour")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &FlagError{plainFlagError(err)} })
	root.AddCommand(
		newListCmd(f, nil),
		newShowCmd(f, nil),
		newValidateCmd(f, nil),
		newSchemaCmd(f, nil),
		newNewCmd(f, nil),
		newPlayCmd(f, nil),
		newReviewCmd(f, nil),
		newStatsCmd(f, nil),
		newProgressCmd(f, nil),
		newReportCmd(f, nil),
		newVerifyCmd(f, nil),
		newGradeCmd(f, nil),
		newImportCmd(f, nil),
		newServeCmd(f, nil),
		newExportCmd(f, nil),
		newPackCmd(f, nil),
	)
	setupCompletion(root, f)
	return root
}
