package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// SchemaOptions are the flags of pyquiz schema.
type SchemaOptions struct {
	f *Factory
}

// STUB: replaced by the real command.
func newSchemaCmd(f *Factory, runF func(*SchemaOptions) error) *cobra.Command {
	opts := &SchemaOptions{f: f}
	return &cobra.Command{
		Use:   "schema",
		Short: "not written yet",
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return errors.New("schema: not written yet")
		},
	}
}
