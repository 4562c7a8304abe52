package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/quiz"
)

// SchemaOptions are the flags of pyquiz schema.
type SchemaOptions struct {
	f    *Factory
	Path bool
}

func newSchemaCmd(f *Factory, runF func(*SchemaOptions) error) *cobra.Command {
	opts := &SchemaOptions{f: f}
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the pack format",
		Long: `Print the JSON Schema of pack format 1, for editors that check YAML.

--path writes the schema into pyquiz's data folder and prints the file's
path instead, for the "# yaml-language-server: $schema=PATH" line at the top
of a pack (pyquiz new writes that line for you).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return schemaRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Path, "path", false, "write the schema to the data folder and print its path")
	return cmd
}

func schemaRun(opts *SchemaOptions) error {
	if !opts.Path {
		_, err := opts.f.IOStreams.Out.Write(quiz.Schema)
		return err
	}
	path, err := writeSchemaFile(opts.f)
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.f.IOStreams.Out, path)
	return nil
}

// writeSchemaFile puts the schema at DataDir/schema/pack-v1.json, leaving
// an identical file alone, and returns its path.
func writeSchemaFile(f *Factory) (string, error) {
	path := filepath.Join(f.DataDir(), "schema", "pack-v1.json")
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, quiz.Schema) {
		return path, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("write schema: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, quiz.Schema, 0o644); err != nil {
		return "", fmt.Errorf("write schema: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("write schema: %w", err)
	}
	return path, nil
}
