package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/gift"
	"github.com/pyquiz/pyquiz/internal/packfile"
	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

// ImportOptions are the flags and argument of pyquiz import.
type ImportOptions struct {
	f      *Factory
	File   string
	Output string
	ID     string
	Force  bool
	Strict bool
}

func newImportCmd(f *Factory, runF func(*ImportOptions) error) *cobra.Command {
	opts := &ImportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "import FILE.gift",
		Short: "Turn a Moodle GIFT file into a pack",
		Long: `Read a Moodle GIFT file as Moodle reads it and write a pack that validates.

Multiple choice with one right answer becomes single; with weights or several
right answers, multi; {T}/{F} become truefalse; {=a =b} becomes short. Per-answer
feedback, general feedback (####), names (::name::), $CATEGORY: lines and
[tag:] comments, formats and escapes are kept. What a pack cannot hold
(numerical, matching, essay and description questions, partial credit) is
listed on stderr with its line number. Without -o the pack goes to stdout.`,
		Example: `  pyquiz import bank.gift -o bank.yaml
  pyquiz import week1.gift -o week1.yaml --id python-week-1
  pyquiz import bank.gift | pyquiz validate /dev/stdin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if opts.ID != "" && !quizID(opts.ID) {
				return FlagErrorf("--id %q: use lower-case letters, digits and dashes (like my-pack)", opts.ID)
			}
			if runF != nil {
				return runF(opts)
			}
			return importRun(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write the pack to `FILE` (default stdout)")
	cmd.Flags().StringVar(&opts.ID, "id", "", "the pack's `ID` (default: from the file name)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "let -o replace an existing file or symbolic link")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "exit 1 when anything of the file was left out")
	return cmd
}

func importRun(opts *ImportOptions) error {
	io := opts.f.IOStreams
	if opts.Output != "" {
		if err := checkOutput("-o", opts.Output, opts.Force); err != nil {
			return err
		}
	}
	data, err := readLimited(opts.File)
	if err != nil {
		return err
	}
	pack, notes, err := gift.Import(data, gift.ImportOptions{File: opts.File, PackID: opts.ID})
	var enc *gift.ErrNotUTF8
	if errors.As(err, &enc) {
		return fmt.Errorf("%s:%w", opts.File, err)
	}
	for _, n := range notes {
		what := "note"
		if n.Skipped {
			what = "left out"
		}
		fmt.Fprintf(io.ErrOut, "%s:%d: %s: %s\n", render.Escape(opts.File), n.Line, what, render.Escape(n.Message))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", opts.File, err)
	}
	name := opts.Output
	if name == "" {
		name = "<stdout>"
	}
	text, err := packfile.Marshal(pack, "imported from "+render.Escape(opts.File)+" by pyquiz import; check it with pyquiz validate")
	if err != nil {
		return err
	}
	_, probs := quiz.Parse(name, text)
	if errs := probs.Errors(); len(errs) > 0 {
		return fmt.Errorf("bug: the imported pack does not validate (please report it with the GIFT file):\n%w", errs)
	}
	if opts.Output == "" {
		_, err = io.Out.Write(text)
	} else {
		err = writeOutput(opts.Output, text, opts.Force)
	}
	if err != nil {
		return err
	}
	skipped := 0
	for _, n := range notes {
		if n.Skipped {
			skipped++
		}
	}
	fmt.Fprintf(io.ErrOut, "imported %s into %s (pack %s)", plural(len(pack.Questions), "question"), render.Escape(name), pack.ID)
	if skipped > 0 {
		fmt.Fprintf(io.ErrOut, "; %d left out, listed above", skipped)
	}
	fmt.Fprintln(io.ErrOut)
	if w := len(probs.Warnings()); w > 0 {
		fmt.Fprintf(io.ErrOut, "the pack validates with %s (missing explanations, tags or difficulty): see pyquiz validate %s\n", plural(w, "warning"), render.Escape(name))
	}
	if opts.Strict && len(notes) > 0 {
		return ErrFindings
	}
	return nil
}

// readLimited reads an input file, refusing one past the pack size limit
// and, before opening it, anything but a file (a FIFO would hang the read).
func readLimited(name string) ([]byte, error) {
	file, err := packs.OpenRegular(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, FlagErrorf("%s: no such file", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, quiz.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > quiz.MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB; split it", name, quiz.MaxFileSize>>20)
	}
	return data, nil
}

// writeNew writes a pack file, refusing to replace one unless force is set.
