package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

// NewOptions are the flags of pyquiz new.
type NewOptions struct {
	f      *Factory
	ID     string
	Output string
	Title  string
	Force  bool

	outputSet bool // -o was given (else Output is ID.yaml)
}

func newNewCmd(f *Factory, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{f: f}
	cmd := &cobra.Command{
		Use:   "new ID",
		Short: "Write a new pack to start from",
		Long: `Write ID.yaml, a pack with one question of each type that validates, and a
schema line so editors check it as you type. Edit it, then run
pyquiz validate ID.yaml and pyquiz verify ID.yaml.`,
		Example: `  pyquiz new decorators
  pyquiz new decorators -o packs/decorators.yaml --title "Decorators in depth"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if !quizID(opts.ID) {
				return FlagErrorf("pack id %q: use lower-case letters, digits and dashes (like my-pack)", opts.ID)
			}
			opts.outputSet = opts.Output != ""
			if opts.Output == "" {
				opts.Output = opts.ID + ".yaml"
			}
			if runF != nil {
				return runF(opts)
			}
			return newRun(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to `FILE` (default ID.yaml)")
	cmd.Flags().StringVar(&opts.Title, "title", "", "the pack's title")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing file or symbolic link")
	return cmd
}

func quizID(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func newRun(opts *NewOptions) error {
	flag := "-o"
	if !opts.outputSet {
		flag = "" // ID.yaml
	}
	if err := checkOutput(flag, opts.Output, opts.Force); err != nil {
		return err
	}
	schema, err := writeSchemaFile(opts.f)
	if err != nil {
		return err
	}
	title := opts.Title
	if title == "" {
		title = strings.ReplaceAll(opts.ID, "-", " ")
	}
	text := NewPackText(opts.ID, title, schema)
	if _, probs := quiz.Parse(opts.Output, []byte(text)); len(probs) > 0 {
		return fmt.Errorf("bug: the new pack does not validate:\n%w", probs)
	}
	if err := writeOutput(opts.Output, []byte(text), opts.Force); err != nil {
		return err
	}
	fmt.Fprintf(opts.f.IOStreams.ErrOut, "wrote %[1]s; check it with: pyquiz validate %[1]s\n", render.Escape(opts.Output))
	return nil
}

// NewPackText is the pack `pyquiz new` writes.
func NewPackText(id, title, schemaPath string) string {
	return fmt.Sprintf(`# yaml-language-server: $schema=%s
format: 1
pack:
  id: %s
  title: %q
  version: 0.1.0
  description: What this pack teaches, in a sentence or two.
  authors: [your name]
  license: CC-BY-4.0
  python: ">=3.8"          # the Python versions the snippets are written for
  tags: [python]
questions:
  - id: first-method-called
    type: single
    prompt: Which method runs first when an object is created?
    choices: [__init__, __new__, __call__, __enter__]
    answer: b
    explanation: |
      __new__ is a static method that creates and returns the instance;
      __init__ then receives that instance and initialises it.
    feedback:
      a: __init__ gets self, so the object must already exist when it runs.
    tags: [objects]
    difficulty: easy

  - id: default-list-shared
    type: output
    prompt: What does this print?
    code: |
      def add(item, bucket=[]):
          bucket.append(item)
          return bucket
      add(1)
      print(add(2))
    expect:
      stdout: "[1, 2]\n"
    explanation: |
      The default list is built once, when def runs, and every call that
      omits bucket shares it.
    feedback:
      "[2]": That would need a fresh list per call; use bucket=None instead.
    hints: ["When is the default value evaluated?"]
    tags: [functions, defaults]
    difficulty: medium
`, schemaPath, id, title)
}
