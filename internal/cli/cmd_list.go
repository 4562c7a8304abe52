package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/jsonout"
	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

// ListOptions are the flags of pyquiz list.
type ListOptions struct {
	f          *Factory
	What       string // "packs" or "questions"
	Packs      []string
	Tags       []string
	Difficulty []string
	JSON       bool
}

func newListCmd(f *Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{f: f}
	cmd := &cobra.Command{
		Use:   "list [packs|questions]",
		Short: "List installed packs or questions",
		Long: `List the installed packs (the default) or their questions.

Questions can be filtered with --pack, --tag and --difficulty; each flag
may be repeated or given a comma-separated list.`,
		Example: `  pyquiz list
  pyquiz list questions --pack pitfalls --difficulty hard
  pyquiz list questions --tag closures --json`,
		Args:      cobra.MaximumNArgs(1),
		ValidArgs: []string{"packs", "questions"},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.What = "packs"
			if len(args) == 1 {
				opts.What = args[0]
			}
			if opts.What != "packs" && opts.What != "questions" {
				return FlagErrorf("list what? %q: say packs or questions", opts.What)
			}
			if err := checkDifficulties(opts.Difficulty); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
	cmd.Flags().StringSliceVar(&opts.Packs, "pack", nil, "only these packs (`ID` or pack file/folder)")
	cmd.Flags().StringSliceVar(&opts.Tags, "tag", nil, "only questions with one of these `TAGS`")
	cmd.Flags().StringSliceVar(&opts.Difficulty, "difficulty", nil, "only questions of these difficulties (easy, medium, hard)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print as JSON")
	return cmd
}

func checkDifficulties(ds []string) error {
	for _, d := range ds {
		switch quiz.Difficulty(d) {
		case quiz.Easy, quiz.Medium, quiz.Hard:
		default:
			return FlagErrorf("--difficulty %q: use easy, medium or hard", d)
		}
	}
	return nil
}

type packJSON struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Version     string   `json:"version"`
	Description string   `json:"description,omitempty"`
	Authors     []string `json:"authors,omitempty"`
	License     string   `json:"license,omitempty"`
	Python      string   `json:"python,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Questions   int      `json:"questions"`
	File        string   `json:"file"`
	Builtin     bool     `json:"builtin"`
}

func listRun(opts *ListOptions) error {
	sel, err := opts.f.SelectPacks(opts.Packs)
	if err != nil {
		return err
	}
	io := opts.f.IOStreams
	if opts.What == "packs" {
		var chosen []*quiz.Pack
		for _, p := range sel.Library.Packs {
			if len(sel.IDs) == 0 || slices.Contains(sel.IDs, p.ID) {
				chosen = append(chosen, p)
			}
		}
		if opts.JSON {
			out := struct {
				Packs []packJSON `json:"packs"`
			}{Packs: []packJSON{}}
			for _, p := range chosen {
				out.Packs = append(out.Packs, packJSON{ID: p.ID, Title: p.Title, Version: p.Version, Description: p.Description,
					Authors: p.Authors, License: p.License, Python: p.Python.String(), Tags: p.Tags,
					Questions: len(p.Questions), File: p.File, Builtin: strings.HasPrefix(p.File, packs.BuiltinPrefix)})
			}
			return writeJSON(io.Out, out)
		}
		tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "PACK\tQUESTIONS\tVERSION\tTITLE\tFROM")
		for _, p := range chosen {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", p.ID, len(p.Questions), p.Version, oneLine(p.Title, 50), render.Escape(p.File))
		}
		return tw.Flush()
	}
	filter := quiz.Filter{Tags: opts.Tags}
	for _, d := range opts.Difficulty {
		filter.Difficulties = append(filter.Difficulties, quiz.Difficulty(d))
	}
	qs := quiz.Select(sel.Questions(), filter)
	if opts.JSON {
		out := struct {
			Questions []quiz.QuestionJSON `json:"questions"`
		}{Questions: []quiz.QuestionJSON{}}
		for _, q := range qs {
			out.Questions = append(out.Questions, q.JSON())
		}
		return writeJSON(io.Out, out)
	}
	if len(qs) == 0 {
		fmt.Fprintln(io.ErrOut, "no questions match")
		return nil
	}
	width := io.TerminalWidth()
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tLEVEL\tTAGS\tPROMPT")
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", q.FullID(), q.Type, q.Difficulty, oneLine(strings.Join(q.Tags, ","), 24), oneLine(q.Prompt, max(width-80, 30)))
	}
	return tw.Flush()
}

// oneLine makes pack text safe for one table cell: whitespace folded,
// control characters escaped, cut to n runes.
func oneLine(s string, n int) string {
	s = render.Escape(strings.Join(strings.Fields(s), " "))
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// writeJSON is every command's --json output (see jsonout: C1 controls escaped).
func writeJSON(w io.Writer, v any) error { return jsonout.Write(w, v) }
