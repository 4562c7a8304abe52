package cli

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/export"
	"github.com/pyquiz/pyquiz/internal/gift"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

// ExportOptions are the flags and arguments of pyquiz export.
type ExportOptions struct {
	f      *Factory
	Packs  []string
	Format string
	Output string
	Key    string
	Force  bool
	Python string
}

var exportFormats = []string{"gift", "md", "json", "anki"}

func newExportCmd(f *Factory, runF func(*ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "export --format gift|md|json|anki [PACK...]",
		Short: "Write packs for Moodle, Anki, paper or scripts",
		Long: `Write packs in another format, to stdout or -o FILE. A PACK is an installed
pack's id or a pack file or folder; without one, every installed pack.

  gift  Moodle's GIFT, which Moodle's parser reads back to the same questions:
        multi questions get weights that score as pyquiz does, feedback and
        explanations are kept, code keeps its indentation in an <pre> block.
  md    a printable exam in Markdown; --key FILE writes the answer key with
        explanations beside it.
  json  the packs as JSON, each question in the shape of list questions --json.
  anki  Anki's text import (File > Import): one Basic note per question, with
        a stable GUID so importing an updated pack updates the notes.`,
		Example: `  pyquiz export --format gift pitfalls -o pitfalls.gift
  pyquiz export --format md pitfalls -o exam.md --key key.md
  pyquiz export --format anki -o pyquiz-anki.txt
  pyquiz export --format json mypack.yaml | jq '.packs[0].questions | length'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Packs = args
			if opts.Format == "" {
				opts.Format = formatFromName(opts.Output)
			}
			if opts.Format == "" {
				return FlagErrorf("say which format with --format: %s", strings.Join(exportFormats, ", "))
			}
			if !slices.Contains(exportFormats, opts.Format) {
				return FlagErrorf("--format %q: use %s", opts.Format, strings.Join(exportFormats, ", "))
			}
			if opts.Key != "" && opts.Format != "md" {
				return FlagErrorf("--key writes the answer key of a Markdown exam; it needs --format md")
			}
			if opts.Key != "" && opts.Key == opts.Output {
				return FlagErrorf("--key and -o name the same file")
			}
			if opts.Python != "" {
				if _, err := quiz.ParseVersion(opts.Python); err != nil {
					return FlagErrorf("--python %q: %v", opts.Python, err)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return exportRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "", "gift, md, json or anki (default: from the -o file's extension)")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to `FILE` (default stdout)")
	cmd.Flags().StringVar(&opts.Key, "key", "", "md: write the answer key to `FILE`")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "let -o and --key replace an existing file or symbolic link")
	cmd.Flags().StringVar(&opts.Python, "python", "", "ask output questions about Python `VER` and leave out the questions not valid on it (default: the newest each allows)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(exportFormats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func formatFromName(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".gift":
		return "gift"
	case ".md", ".markdown":
		return "md"
	case ".json":
		return "json"
	}
	return ""
}

func exportRun(opts *ExportOptions) error {
	io := opts.f.IOStreams
	if opts.Output != "" && opts.Output != "-" {
		if err := checkOutput("-o", opts.Output, opts.Force); err != nil {
			return err
		}
	}
	if opts.Key != "" {
		if err := checkOutput("--key", opts.Key, opts.Force); err != nil {
			return err
		}
	}
	sel, err := opts.f.SelectPackArgs(opts.Packs)
	if err != nil {
		return err
	}
	var packs []*quiz.Pack
	for _, p := range sel.Library.Packs {
		if len(sel.IDs) == 0 || slices.Contains(sel.IDs, p.ID) {
			packs = append(packs, p)
		}
	}
	if len(sel.IDs) > 0 {
		// keep the order the user named them in
		slices.SortStableFunc(packs, func(a, b *quiz.Pack) int {
			return slices.Index(sel.IDs, a.ID) - slices.Index(sel.IDs, b.ID)
		})
	}
	if len(packs) == 0 {
		return fmt.Errorf("no packs to export")
	}
	var python *quiz.Version
	if opts.Python != "" {
		v, _ := quiz.ParseVersion(opts.Python)
		python = &v
		packs = onVersion(io.ErrOut, packs, v)
		if len(packs) == 0 {
			return fmt.Errorf("no question of these packs is asked on Python %s", v)
		}
	}
	eopts := export.Options{Python: python}
	var out, key bytes.Buffer
	switch opts.Format {
	case "gift":
		notes, err := gift.Write(&out, packs, python)
		if err != nil {
			return err
		}
		printNotes(io.ErrOut, notes)
	case "md":
		err = export.Markdown(&out, packs, eopts)
		if err == nil && opts.Key != "" {
			err = export.MarkdownKey(&key, packs, eopts)
		}
	case "json":
		err = export.JSON(&out, packs)
	case "anki":
		err = export.Anki(&out, packs, eopts)
	}
	if err != nil {
		return err
	}
	if err := writeOut(opts, opts.Output, out.Bytes(), io.Out); err != nil {
		return err
	}
	if opts.Key != "" {
		if err := writeOutput(opts.Key, key.Bytes(), opts.Force); err != nil {
			return err
		}
	}
	n := 0
	for _, p := range packs {
		n += len(p.Questions)
	}
	if opts.Output != "" {
		fmt.Fprintf(io.ErrOut, "wrote %s of %s to %s", plural(n, "question"), plural(len(packs), "pack"), render.Escape(opts.Output))
		if opts.Key != "" {
			fmt.Fprintf(io.ErrOut, " and the key to %s", render.Escape(opts.Key))
		}
		fmt.Fprintln(io.ErrOut)
	}
	return nil
}

func writeOut(opts *ExportOptions, name string, data []byte, stdout io.Writer) error {
	if name == "" || name == "-" {
		_, err := stdout.Write(data)
		return err
	}
	return writeOutput(name, data, opts.Force)
}

// printNotes prints each kind of export note once, with the questions it
// concerns.
func printNotes(w io.Writer, notes []gift.ExportNote) {
	var order []string
	ids := map[string][]string{}
	for _, n := range notes {
		if _, ok := ids[n.Message]; !ok {
			order = append(order, n.Message)
		}
		ids[n.Message] = append(ids[n.Message], n.Question)
	}
	for _, m := range order {
		list := ids[m]
		shown := list
		more := ""
		if len(list) > 4 {
			shown, more = list[:3], fmt.Sprintf(" and %d more", len(list)-3)
		}
		fmt.Fprintf(w, "pyquiz: note: %s (%s%s)\n", m, strings.Join(shown, ", "), more)
	}
}

// onVersion keeps the questions asked on Python v (as play --python does),
// in copies of the packs, and says how many were left out.
func onVersion(w io.Writer, packs []*quiz.Pack, v quiz.Version) []*quiz.Pack {
	var out []*quiz.Pack
	left := 0
	for _, p := range packs {
		cp := *p
		cp.Questions = nil
		for _, q := range p.Questions {
			if _, ok := quiz.AskVersion(q, &v); ok {
				cp.Questions = append(cp.Questions, q)
			} else {
				left++
			}
		}
		if len(cp.Questions) > 0 {
			out = append(out, &cp)
		}
	}
	if left > 0 {
		fmt.Fprintf(w, "pyquiz: left out %s not asked on Python %s\n", plural(left, "question"), v)
	}
	return out
}
