package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/jsonout"
	"github.com/pyquiz/pyquiz/internal/outfile"
	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/store"
)

// ProgressOptions are the flags of pyquiz progress export|import|reset.
type ProgressOptions struct {
	f   *Factory
	ctx context.Context

	Output string // export: file to write ("" or "-": stdout)
	Force  bool   // export: -o may replace an existing file
	File   string // import: file to read ("-": stdin)
	Pack   string // reset: only this pack
	Yes    bool   // reset: do not ask
}

func newProgressCmd(f *Factory, runF func(string, *ProgressOptions) error) *cobra.Command {
	run := func(name string, opts *ProgressOptions) error {
		if runF != nil {
			return runF(name, opts)
		}
		switch name {
		case "export":
			return progressExport(opts)
		case "import":
			return progressImport(opts)
		}
		return progressReset(opts)
	}
	cmd := &cobra.Command{
		Use:   "progress",
		Short: "Export, import or reset your answer history",
		Long: `Progress moves the learner's history between machines and starts it afresh.

export writes every recorded answer as JSON Lines, one attempt per line:
{"question","pack_version","session","mode","given","correct","points",
"max","hints","seconds","at"} (at in RFC 3339, UTC), plus status, rating and
content_hash. import merges such a file: attempts already recorded (same
session, question and time) are skipped, so importing twice changes
nothing, and each question's review schedule is rebuilt from its whole
history. reset deletes the history (of one pack with --pack) after asking.`,
		Args: cobra.NoArgs,
	}

	// sub makes one subcommand with options of its own; import's FILE
	// argument is its only positional one.
	sub := func(use, short, example string, args cobra.PositionalArgs) (*cobra.Command, *ProgressOptions) {
		o := &ProgressOptions{f: f}
		name, _, _ := strings.Cut(use, " ")
		return &cobra.Command{
			Use: use, Short: short, Example: example, Args: args,
			RunE: func(cmd *cobra.Command, args []string) error {
				o.ctx = cmd.Context()
				if len(args) == 1 {
					o.File = args[0]
				}
				return run(name, o)
			},
		}, o
	}
	export, eo := sub("export", "Write every recorded answer as JSON Lines",
		"  pyquiz progress export > progress.jsonl\n  pyquiz progress export -o backup.jsonl", cobra.NoArgs)
	export.Flags().StringVarP(&eo.Output, "output", "o", "", "write to `FILE` instead of stdout")
	export.Flags().BoolVar(&eo.Force, "force", false, "let -o replace an existing file or symbolic link")
	imp, _ := sub("import FILE", "Merge a progress file, skipping the answers already recorded",
		"  pyquiz progress import progress.jsonl\n  ssh laptop pyquiz progress export | pyquiz progress import -", cobra.ExactArgs(1))
	reset, ro := sub("reset", "Delete the answer history (of one pack with --pack), after asking",
		"  pyquiz progress reset --pack pitfalls\n  pyquiz progress reset --yes", cobra.NoArgs)
	reset.Flags().StringVar(&ro.Pack, "pack", "", "delete only this pack's history (a pack id)")
	reset.Flags().BoolVarP(&ro.Yes, "yes", "y", false, "do not ask")

	cmd.AddCommand(export, imp, reset)
	return cmd
}

func progressExport(o *ProgressOptions) error {
	if o.Output != "" && o.Output != "-" {
		if err := checkOutput("-o", o.Output, o.Force); err != nil {
			return err
		}
	}
	st, ctx, err := o.f.openProgress(o.ctx, "progress")
	if err != nil {
		return err
	}
	write := func(w io.Writer) (int, error) {
		bw := bufio.NewWriter(w)
		enc := json.NewEncoder(jsonout.Escaping(bw)) // C1 controls as \u009b
		enc.SetEscapeHTML(false)
		n := 0
		err := st.EachAttempt(ctx, func(a store.Attempt) error {
			n++
			return enc.Encode(store.LineOf(a))
		})
		if err != nil {
			return n, err
		}
		return n, bw.Flush()
	}
	if o.Output == "" || o.Output == "-" {
		n, err := write(o.f.IOStreams.Out)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		fmt.Fprintf(o.f.IOStreams.ErrOut, "Exported %s.\n", plural(n, "answer"))
		return nil
	}
	// An existing file (or a symbolic link) is replaced only on request:
	// a backup written over by mistake is history lost. Whole file or
	// nothing, 0644 less the umask (outfile).
	var n int
	err = outfile.Write(o.Output, o.Force, func(w io.Writer) (err error) {
		n, err = write(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("export to %s: %w", o.Output, err)
	}
	fmt.Fprintf(o.f.IOStreams.ErrOut, "Exported %s to %s.\n", plural(n, "answer"), render.Escape(o.Output))
	return nil
}

func progressImport(o *ProgressOptions) error {
	var r io.Reader
	name := o.File
	if o.File == "-" {
		r, name = o.f.IOStreams.In, "stdin"
	} else {
		// Refused before opening unless a file: a FIFO would hang.
		fh, err := packs.OpenRegular(o.File)
		if err != nil {
			return fmt.Errorf("import: %s: %w", o.File, err)
		}
		defer fh.Close()
		r = fh
	}
	as, err := store.ReadJSONL(r, name)
	if err != nil {
		var les store.LineErrors
		if errors.As(err, &les) {
			fmt.Fprintln(o.f.IOStreams.ErrOut, render.Escape(les.Error()))
			fmt.Fprintf(o.f.IOStreams.ErrOut, "pyquiz: nothing imported: %s has %s (see pyquiz progress --help for the format)\n", render.Escape(name), plural(len(les), "bad line"))
			return ErrFindings
		}
		return err
	}
	st, ctx, err := o.f.openProgress(o.ctx, "progress")
	if err != nil {
		return err
	}
	added, err := st.Import(ctx, as)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.f.IOStreams.ErrOut, "Imported %s from %s (%d already recorded).\n", plural(added, "answer"), render.Escape(name), len(as)-added)
	return nil
}

func progressReset(o *ProgressOptions) error {
	st, ctx, err := o.f.openProgress(o.ctx, "progress")
	if err != nil {
		return err
	}
	n, sessions, err := st.Count(ctx, o.Pack)
	if err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	ios := o.f.IOStreams
	what := "all your progress"
	if o.Pack != "" {
		what = "your progress on pack " + o.Pack
	}
	if n == 0 {
		fmt.Fprintf(ios.ErrOut, "Nothing to delete: no answers recorded for %s.\n", strings.TrimPrefix(what, "your progress on "))
		return nil
	}
	if !o.Yes {
		fmt.Fprintf(ios.ErrOut, "Delete %s: %s in %d session(s), from %s? This cannot be undone (pyquiz progress export first keeps a copy). [y/N] ",
			what, plural(n, "answer"), sessions, st.Path())
		line, err := readAnswer(ios.In)
		if !ios.IsStdinTTY() && line != "" {
			fmt.Fprintln(ios.ErrOut) // a piped answer is not echoed
		}
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			if err != nil && line == "" {
				fmt.Fprintln(ios.ErrOut, "\npyquiz: nothing deleted: no answer (--yes deletes without asking)")
				return ErrFindings
			}
			fmt.Fprintln(ios.ErrOut, "Nothing deleted.")
			return nil
		}
	}
	deleted, err := st.Reset(ctx, o.Pack)
	if err != nil {
		return err
	}
	fmt.Fprintf(ios.ErrOut, "Deleted %s.\n", plural(deleted, "answer"))
	return nil
}

// readAnswer reads one line byte by byte (a buffered reader could hold
// input meant for someone else).
func readAnswer(in io.Reader) (string, error) {
	var line []byte
	buf := make([]byte, 1)
	for {
		n, err := in.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return string(line), nil
			}
			line = append(line, buf[0])
		}
		if err != nil {
			return string(line), err
		}
	}
}
