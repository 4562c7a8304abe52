package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// ValidateOptions are the flags of pyquiz validate.
type ValidateOptions struct {
	f *Factory
}

// STUB: replaced by the real command.
func newValidateCmd(f *Factory, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{f: f}
	return &cobra.Command{
		Use:   "validate",
		Short: "not written yet",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return errors.New("validate: not written yet")
		},
	}
}
