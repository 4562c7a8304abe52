package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// VerifyOptions are the flags of pyquiz verify.
type VerifyOptions struct {
	f *Factory
}

// STUB: replaced by the real command.
func newVerifyCmd(f *Factory, runF func(*VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{f: f}
	return &cobra.Command{
		Use:   "verify",
		Short: "not written yet",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return errors.New("verify: not written yet")
		},
	}
}
