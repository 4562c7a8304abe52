package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// PlayOptions are the flags of pyquiz play.
type PlayOptions struct {
	f *Factory
}

// STUB: replaced by the real command.
func newPlayCmd(f *Factory, runF func(*PlayOptions) error) *cobra.Command {
	opts := &PlayOptions{f: f}
	return &cobra.Command{
		Use:   "play",
		Short: "not written yet",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return errors.New("play: not written yet")
		},
	}
}
