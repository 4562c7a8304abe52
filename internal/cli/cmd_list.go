package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// ListOptions are the flags of pyquiz list.
type ListOptions struct {
	f *Factory
}

// STUB: replaced by the real command.
func newListCmd(f *Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{f: f}
	return &cobra.Command{
		Use:   "list",
		Short: "not written yet",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return errors.New("list: not written yet")
		},
	}
}
