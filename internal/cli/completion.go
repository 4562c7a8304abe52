package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pyquiz/pyquiz/quiz"
)

// completionShells are the shells `pyquiz completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// setupCompletion completes what a user types most: pack ids for --pack,
// the tags and difficulties of the chosen packs, question ids for --question
// and `show ID`, and file names for --report. It goes by flag name over the
// whole command tree, so a new command with a --pack flag completes it too.
// It also makes `pyquiz completion tcsh` a usage error that lists the shells.
func setupCompletion(root *cobra.Command, f *Factory) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Args = cobra.ArbitraryArgs
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) == 0 {
					return cmd.Help()
				}
				return FlagErrorf("no completion for %q: pyquiz writes completion scripts for %s", args[0], strings.Join(completionShells, ", "))
			}
		}
	}
	c := &completer{f: f}
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		register := func(name string, fn cobra.CompletionFunc) {
			if cmd.Flags().Lookup(name) == nil {
				return
			}
			if _, ok := cmd.GetFlagCompletionFunc(name); ok {
				return // the command's own completion wins
			}
			_ = cmd.RegisterFlagCompletionFunc(name, fn)
		}
		register("pack", c.packs)
		register("tag", c.tags)
		register("difficulty", c.difficulties)
		register("question", c.questions)
		register("report", cobra.FixedCompletions([]string{"md", "html", "json"}, cobra.ShellCompDirectiveFilterFileExt))
		if cmd.Name() == "show" && cmd.ValidArgsFunction == nil {
			cmd.ValidArgsFunction = c.showArgs
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

type completer struct{ f *Factory }

// library loads the installed packs and any pack files already given with
// --pack on the line being completed. Nothing is printed: stderr would land
// in the middle of the user's command line.
func (c *completer) library(cmd *cobra.Command) (*quiz.Library, []string) {
	var paths, ids []string
	if fl := cmd.Flags().Lookup("pack"); fl != nil {
		for _, v := range flagValues(fl) {
			if strings.ContainsAny(v, `/\`) || strings.HasSuffix(v, ".yaml") || strings.HasSuffix(v, ".yml") {
				paths = append(paths, v)
			} else {
				ids = append(ids, v)
			}
		}
	}
	res, err := c.f.LoadPacks(nil, false)
	if err != nil {
		return nil, nil
	}
	lib := res.Library
	if len(paths) > 0 {
		if more, err := c.f.LoadPacks(paths, true); err == nil {
			for _, p := range more.Library.Packs {
				ids = append(ids, p.ID)
			}
			lib, _ = quiz.NewLibrary(append(slices.Clone(more.Library.Packs), withoutIDs(lib.Packs, more.Library.Packs)...))
		}
	}
	return lib, ids
}

func withoutIDs(packs, drop []*quiz.Pack) []*quiz.Pack {
	var out []*quiz.Pack
	for _, p := range packs {
		if !slices.ContainsFunc(drop, func(d *quiz.Pack) bool { return d.ID == p.ID }) {
			out = append(out, p)
		}
	}
	return out
}

// chosen is the questions of the packs named with --pack, or of all packs.
func (c *completer) chosen(cmd *cobra.Command) []*quiz.Question {
	lib, ids := c.library(cmd)
	if lib == nil {
		return nil
	}
	if len(ids) == 0 {
		return lib.Questions()
	}
	var qs []*quiz.Question
	for _, id := range ids {
		if p := lib.Pack(id); p != nil {
			qs = append(qs, p.Questions...)
		}
	}
	return qs
}

// packs offers pack ids, with the title as the description; file names too,
// since --pack also takes a file or folder.
func (c *completer) packs(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	res, err := c.f.LoadPacks(nil, false)
	if err != nil {
		return nil, cobra.ShellCompDirectiveDefault
	}
	var out []cobra.Completion
	for _, p := range res.Library.Packs {
		out = append(out, cobra.CompletionWithDesc(p.ID, oneLine(p.Title, 60)))
	}
	return out, cobra.ShellCompDirectiveDefault
}

func (c *completer) tags(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var tags []string
	for _, q := range c.chosen(cmd) {
		for _, t := range q.Tags {
			if !slices.Contains(tags, t) {
				tags = append(tags, t)
			}
		}
	}
	slices.Sort(tags)
	return listCompletions(tags, toComplete), cobra.ShellCompDirectiveNoFileComp
}

func (c *completer) difficulties(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	all := []string{string(quiz.Easy), string(quiz.Medium), string(quiz.Hard)}
	return listCompletions(all, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// questions offers full question ids (pack/question) with the prompt.
func (c *completer) questions(cmd *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, q := range c.chosen(cmd) {
		out = append(out, cobra.CompletionWithDesc(q.FullID(), oneLine(q.Prompt, 60)))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func (c *completer) showArgs(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return c.questions(cmd, args, toComplete)
}

// listCompletions completes the last item of a comma-separated list
// (--tag a,b,...): each candidate carries the items already typed.
func listCompletions(all []string, toComplete string) []cobra.Completion {
	prefix, typed := "", []string(nil)
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		prefix = toComplete[:i+1]
		typed = strings.Split(toComplete[:i], ",")
	}
	var out []cobra.Completion
	for _, s := range all {
		if !slices.Contains(typed, s) {
			out = append(out, prefix+s)
		}
	}
	return out
}

// flagValues are the values a flag was given so far, whatever its type.
func flagValues(fl *pflag.Flag) []string {
	if sv, ok := fl.Value.(pflag.SliceValue); ok {
		return sv.GetSlice()
	}
	if v := fl.Value.String(); v != "" {
		return []string{v}
	}
	return nil
}
