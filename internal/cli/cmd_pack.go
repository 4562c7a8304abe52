package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/jsonout"
	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

// PackOptions are the flags and arguments of pyquiz pack add|remove|list.
type PackOptions struct {
	f      *Factory
	Action string // add, remove, list
	Arg    string // add: the file; remove: the pack id
	Force  bool
	JSON   bool
}

func newPackCmd(f *Factory, runF func(*PackOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "pack",
		Short: "Install, remove and list packs",
		Long: `Manage the packs in your pack folder ($XDG_DATA_HOME/pyquiz/packs).

pack add FILE validates a pack and copies it there, so every command finds it.
pack remove ID deletes an installed pack. pack list shows every pack and where
it comes from: built in, your pack folder, PYQUIZ_PACKS.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return FlagErrorf("say what to do: pack add FILE, pack remove ID or pack list")
		},
	}
	run := func(opts *PackOptions) error {
		if runF != nil {
			return runF(opts)
		}
		return packRun(opts)
	}
	add := &PackOptions{f: f, Action: "add"}
	addCmd := &cobra.Command{
		Use:   "add FILE",
		Short: "Validate a pack and install it in your pack folder",
		Long: `Validate a pack file and copy it into your pack folder as ID.yaml. A pack whose
id is already installed from another file is refused unless --force is given;
with --force your copy replaces it (a built-in pack stays in the binary and
comes back with pack remove ID).`,
		Example: `  pyquiz pack add decorators.yaml
  pyquiz pack add pitfalls-edited.yaml --force`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			add.Arg = args[0]
			return run(add)
		},
	}
	addCmd.Flags().BoolVar(&add.Force, "force", false, "replace an installed pack with the same id")
	remove := &PackOptions{f: f, Action: "remove"}
	removeCmd := &cobra.Command{
		Use:   "remove ID",
		Short: "Remove a pack from your pack folder",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			remove.Arg = args[0]
			return run(remove)
		},
	}
	list := &PackOptions{f: f, Action: "list"}
	listCmd := &cobra.Command{
		Use:   "list",
		Short: "List every pack and where it comes from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return run(list)
		},
	}
	listCmd.Flags().BoolVar(&list.JSON, "json", false, "print as JSON")
	cmd.AddCommand(addCmd, removeCmd, listCmd)
	return cmd
}

func packRun(opts *PackOptions) error {
	switch opts.Action {
	case "add":
		return packAdd(opts)
	case "remove":
		return packRemove(opts)
	}
	return packList(opts)
}

// installed is a pack file found by discovery, with where it comes from.
type installed struct {
	file   packs.File
	source string // "built-in", "pack folder", "PYQUIZ_PACKS"
	active bool   // false when another pack with its id is used instead
	broken bool   // left out for errors
}

func (f *Factory) installedPacks() ([]installed, error) {
	res, err := f.LoadPacks(nil, false)
	if err != nil {
		return nil, err
	}
	user := f.UserPackDir()
	replaced := map[*quiz.Pack]bool{}
	for _, r := range res.Replaced {
		replaced[r.Old] = true
	}
	broken := map[string]bool{}
	for _, b := range res.Broken {
		broken[b.Name] = true
	}
	var out []installed
	for _, file := range res.Files {
		in := installed{file: file, source: "PYQUIZ_PACKS", broken: broken[file.Name]}
		switch {
		case strings.HasPrefix(file.Name, packs.BuiltinPrefix):
			in.source = "built-in"
		case within(file.Name, user):
			in.source = "pack folder"
		}
		in.active = file.Pack != nil && !replaced[file.Pack] && res.Library.Pack(file.Pack.ID) == file.Pack
		out = append(out, in)
	}
	return out, nil
}

func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func packAdd(opts *PackOptions) error {
	io := opts.f.IOStreams
	// packs.ReadFile refuses a FIFO or a device before reading it.
	data, err := packs.ReadFile(opts.Arg)
	if errors.Is(err, fs.ErrNotExist) {
		return FlagErrorf("%s: no such file", opts.Arg)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", opts.Arg, err)
	}
	p, probs := quiz.Parse(opts.Arg, data)
	if errs := probs.Errors(); p == nil || len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(io.ErrOut, render.Escape(e.Error()))
		}
		return fmt.Errorf("%s has errors; nothing was installed (see pyquiz validate %s)", opts.Arg, opts.Arg)
	}
	all, err := opts.f.installedPacks()
	if err != nil {
		return err
	}
	dir := opts.f.UserPackDir()
	dest := filepath.Join(dir, p.ID+".yaml")
	var replace []string // files in the pack folder that hold this id
	for _, in := range all {
		if in.file.Pack == nil || in.file.Pack.ID != p.ID {
			continue
		}
		if same, _ := sameFile(in.file.Name, data); same && in.source == "pack folder" {
			fmt.Fprintf(io.ErrOut, "pack %s is already installed, unchanged (%s)\n", p.ID, render.Escape(in.file.Name))
			return nil
		}
		if !opts.Force {
			return fmt.Errorf("pack id %q is already installed from %s (%s); use --force to replace it with %s", p.ID, in.file.Name, in.source, opts.Arg)
		}
		if in.source == "PYQUIZ_PACKS" {
			return fmt.Errorf("pack id %q is also in %s, a PYQUIZ_PACKS folder; remove or rename it there first", p.ID, in.file.Name)
		}
		if in.source == "pack folder" {
			replace = append(replace, in.file.Name)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create the pack folder: %w", err)
	}
	if err := writeAtomic(dest, data); err != nil {
		return err
	}
	for _, old := range replace {
		if old != dest {
			if err := os.Remove(old); err != nil {
				return fmt.Errorf("installed %s, but could not remove the copy it replaces: %w", dest, err)
			}
		}
	}
	fmt.Fprintf(io.ErrOut, "installed pack %s (%s) as %s\n", p.ID, plural(len(p.Questions), "question"), render.Escape(dest))
	if w := len(probs.Warnings()); w > 0 {
		fmt.Fprintf(io.ErrOut, "it has %s: see pyquiz validate %s\n", plural(w, "warning"), render.Escape(dest))
	}
	return nil
}

func sameFile(name string, data []byte) (bool, error) {
	if strings.HasPrefix(name, packs.BuiltinPrefix) {
		return false, nil
	}
	old, err := os.ReadFile(name)
	if err != nil {
		return false, err
	}
	return bytes.Equal(old, data), nil
}

// writeAtomic writes a file through a temporary file in the same folder,
// so that a pack folder never holds half a pack.
func writeAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".pyquiz-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

func packRemove(opts *PackOptions) error {
	io := opts.f.IOStreams
	all, err := opts.f.installedPacks()
	if err != nil {
		return err
	}
	var removed []string
	var elsewhere []installed
	for _, in := range all {
		if in.file.Pack == nil || in.file.Pack.ID != opts.Arg {
			continue
		}
		if in.source != "pack folder" {
			elsewhere = append(elsewhere, in)
			continue
		}
		if err := os.Remove(in.file.Name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", in.file.Name, err)
		}
		removed = append(removed, in.file.Name)
	}
	for _, name := range removed {
		fmt.Fprintf(io.ErrOut, "removed pack %s (%s)\n", render.Escape(opts.Arg), render.Escape(name))
	}
	for _, in := range elsewhere {
		switch {
		case len(removed) > 0 && in.source == "built-in":
			fmt.Fprintf(io.ErrOut, "the built-in pack %s is used again\n", opts.Arg)
		case len(removed) == 0 && in.source == "built-in":
			return fmt.Errorf("pack %s is built into pyquiz and cannot be removed (select others with --pack)", opts.Arg)
		case len(removed) == 0:
			return fmt.Errorf("pack %s comes from %s, a PYQUIZ_PACKS folder; remove the file there", opts.Arg, in.file.Name)
		}
	}
	if len(removed) == 0 {
		return fmt.Errorf("no installed pack %q (see pyquiz pack list)", opts.Arg)
	}
	return nil
}

type packListJSON struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Version   string `json:"version"`
	Questions int    `json:"questions"`
	Source    string `json:"source"`
	File      string `json:"file"`
	Status    string `json:"status"` // "ok", "replaced", "errors"
}

func packList(opts *PackOptions) error {
	io := opts.f.IOStreams
	all, err := opts.f.installedPacks()
	if err != nil {
		return err
	}
	rows := make([]packListJSON, 0, len(all))
	for _, in := range all {
		r := packListJSON{Source: in.source, File: in.file.Name, Status: "ok"}
		if p := in.file.Pack; p != nil {
			r.ID, r.Title, r.Version, r.Questions = p.ID, p.Title, p.Version, len(p.Questions)
		}
		switch {
		case in.broken:
			r.Status = "errors"
		case !in.active:
			r.Status = "replaced"
		}
		rows = append(rows, r)
	}
	if opts.JSON {
		return jsonout.Write(io.Out, struct {
			Packs []packListJSON `json:"packs"`
		}{rows})
	}
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PACK\tQUESTIONS\tVERSION\tFROM\tFILE")
	for _, r := range rows {
		id, from := r.ID, r.Source
		if id == "" {
			id = "?"
		}
		switch r.Status {
		case "errors":
			from += " (has errors: pyquiz validate it)"
		case "replaced":
			from += " (replaced by another with its id)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", oneLine(id, 30), r.Questions, oneLine(r.Version, 12), from, oneLine(r.File, 200))
	}
	return tw.Flush()
}
