package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// ShowOptions are the flags of pyquiz show.
type ShowOptions struct {
	f *Factory
}

// STUB: replaced by the real command.
func newShowCmd(f *Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{f: f}
	return &cobra.Command{
		Use:   "show",
		Short: "not written yet",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return errors.New("show: not written yet")
		},
	}
}
