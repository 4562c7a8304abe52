package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// NewOptions are the flags of pyquiz new.
type NewOptions struct {
	f *Factory
}

// STUB: replaced by the real command.
func newNewCmd(f *Factory, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{f: f}
	return &cobra.Command{
		Use:   "new",
		Short: "not written yet",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return errors.New("new: not written yet")
		},
	}
}
