package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/adrg/xdg"

	"github.com/pyquiz/pyquiz/internal/iostreams"
	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

// Version is the pyquiz version, set at build time with
// -ldflags "-X github.com/pyquiz/pyquiz/internal/cli.Version=v1.2.3".
var Version = "0.1.0-dev"

// Factory holds what commands need, as fields a test can replace.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Getenv    func(string) string
	Now       func() time.Time
	// After is time.After on Now's clock (nil: time.After). The quiz
	// loop's timers wait on it, so they follow an injected clock.
	After func(time.Duration) <-chan time.Time
	// StepClock moves the clock of PYQUIZ_NOW on (nil on the real clock);
	// Main calls it on SIGUSR1, so a test drives a timed session.
	StepClock func(time.Duration)
	Builtin   fs.FS // the built-in packs
	// DataDir is pyquiz's data folder ($XDG_DATA_HOME/pyquiz); packs live in DataDir/packs.
	DataDir func() string
	// StateDir is where progress lives ($PYQUIZ_HOME or $XDG_STATE_HOME/pyquiz).
	StateDir func() string
	// Store opens the progress database in StateDir once per process.
	Store func() (*store.Store, error)
	// ClockErr is set when PYQUIZ_NOW cannot be read; commands refuse to run.
	ClockErr error

	openStore *store.Store
}

// NewFactory returns the production factory.
func NewFactory() *Factory {
	f := &Factory{
		Getenv:  os.Getenv,
		Builtin: questions.FS,
	}
	f.Now, f.After = time.Now, time.After
	c, err := parseClock(f.Getenv("PYQUIZ_NOW"))
	if c != nil {
		f.Now, f.After, f.StepClock = c.Now, c.After, c.Step
	}
	f.ClockErr = err
	f.IOStreams = iostreams.System(f.Getenv)
	f.DataDir = func() string {
		if d := f.Getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "pyquiz")
		}
		return filepath.Join(xdg.DataHome, "pyquiz")
	}
	f.StateDir = func() string {
		if d := f.Getenv("PYQUIZ_HOME"); d != "" {
			return d
		}
		if d := f.Getenv("XDG_STATE_HOME"); d != "" {
			return filepath.Join(d, "pyquiz")
		}
		return filepath.Join(xdg.StateHome, "pyquiz")
	}
	f.Store = f.storeOnce()
	return f
}

// storeOnce opens the progress database on first use, marks the sessions
// a killed pyquiz left running, and hands out the same store after that.
func (f *Factory) storeOnce() func() (*store.Store, error) {
	var err error
	done := false
	return func() (*store.Store, error) {
		if !done {
			done = true
			f.openStore, err = store.OpenDir(f.StateDir())
			if err == nil {
				err = f.openStore.ReapKilled(context.Background())
			}
		}
		return f.openStore, err
	}
}

// openProgress is how a command that cannot work without the progress
// database starts (report, stats, review, progress): the database, and the
// command's context to read it under (see orBackground).
func (f *Factory) openProgress(ctx context.Context, cmd string) (*store.Store, context.Context, error) {
	if f.Store == nil {
		return nil, nil, fmt.Errorf("%s needs the progress database", cmd)
	}
	st, err := f.Store()
	return st, orBackground(ctx), err
}

// orBackground is a command's context, or the background one for a command
// run without cobra (a test calling its run function directly).
func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// CloseStore closes the progress database if a command opened it.
func (f *Factory) CloseStore() {
	if f.openStore != nil {
		f.openStore.Close()
		f.openStore = nil
	}
}

// UserPackDir is the folder `pack add` installs into and discovery reads.
func (f *Factory) UserPackDir() string { return filepath.Join(f.DataDir(), "packs") }

// LoadPacks loads the built-in packs, the user's pack folder, PYQUIZ_PACKS
// and the extra paths. With only set, just the paths are read. The
// built-in packs come from the code generated from their YAML
// (questions.Parsed), which spares every command the parse.
func (f *Factory) LoadPacks(paths []string, only bool) (*packs.Result, error) {
	return f.loadPacks(paths, only, questions.Parsed)
}

// ParsePacks is LoadPacks parsing the built-in packs' YAML too, for the
// commands whose job is to check pack files (validate, verify): what they
// report comes from the files and the loader as they are, even in a build
// whose generated code is stale (TestParsedIsFresh fails then).
func (f *Factory) ParsePacks(paths []string, only bool) (*packs.Result, error) {
	return f.loadPacks(paths, only, nil)
}

func (f *Factory) loadPacks(paths []string, only bool, parsed func(string, []byte) (*quiz.Pack, quiz.Problems, bool)) (*packs.Result, error) {
	opts := packs.Options{Builtin: f.Builtin, Paths: paths, Only: only, Parsed: parsed}
	opts.Dirs = append(opts.Dirs, f.UserPackDir())
	for _, d := range strings.Split(f.Getenv("PYQUIZ_PACKS"), string(os.PathListSeparator)) {
		if d != "" {
			opts.Dirs = append(opts.Dirs, d)
		}
	}
	return packs.Load(opts)
}

// PackSelection is what the --pack flags of a command resolve to.
type PackSelection struct {
	Library *quiz.Library
	// IDs are the packs the user chose (by id or by path); empty means all.
	IDs []string
}

// SelectPacks resolves --pack values: an existing file or folder is loaded
// and chosen; any other value names a pack id. Packs with errors are left
// out with a note on stderr; a broken pack the user named is an error.
func (f *Factory) SelectPacks(values []string) (*PackSelection, error) {
	return f.selectPacks(values, "--pack ")
}

// SelectPackArgs is SelectPacks for packs given as arguments (export's
// PACK...): a message names the value as typed, not a flag never given.
func (f *Factory) SelectPackArgs(values []string) (*PackSelection, error) {
	return f.selectPacks(values, "")
}

func (f *Factory) selectPacks(values []string, flag string) (*PackSelection, error) {
	var paths, ids []string
	for _, v := range values {
		if _, err := os.Stat(v); err == nil {
			paths = append(paths, v)
		} else if strings.ContainsAny(v, `/\`) || strings.HasSuffix(v, ".yaml") || strings.HasSuffix(v, ".yml") {
			return nil, FlagErrorf("%s%s: no such file or folder", flag, v)
		} else {
			ids = append(ids, v)
		}
	}
	res, err := f.LoadPacks(paths, false)
	if err != nil {
		return nil, err
	}
	// File names come from the user's folders and may hold any byte but
	// NUL and '/': they are escaped like pack text before reaching stderr.
	errOut := f.IOStreams.ErrOut
	for _, b := range res.Broken {
		if b.Explicit {
			return nil, fmt.Errorf("%s has errors:\n%w", b.Name, res.Problems.Errors())
		}
		name := render.Escape(b.Name)
		if b.ReadErr != nil {
			fmt.Fprintf(errOut, "pyquiz: skipping %s: %s\n", name, render.Escape(b.ReadErr.Error()))
			continue
		}
		fmt.Fprintf(errOut, "pyquiz: skipping %s: it has errors (run pyquiz validate %s)\n", name, name)
	}
	for _, d := range res.Problems.Errors() {
		if strings.Contains(d.Message, "is also used by") {
			fmt.Fprintf(errOut, "pyquiz: %s\n", render.Escape(d.Error()))
		}
	}
	for _, r := range res.Replaced {
		if r.Installed {
			continue // pack add --force put it there on purpose
		}
		fmt.Fprintf(errOut, "pyquiz: note: %s replaces the installed pack %s (%s)\n", render.Escape(r.New.File), r.Old.ID, render.Escape(r.Old.File))
	}
	sel := &PackSelection{Library: res.Library}
	for _, file := range res.Files {
		if file.Explicit && file.Pack != nil && res.Library.Pack(file.Pack.ID) != nil {
			sel.IDs = append(sel.IDs, file.Pack.ID)
		}
	}
	for _, id := range ids {
		if res.Library.Pack(id) == nil {
			var known []string
			for _, p := range res.Library.Packs {
				known = append(known, p.ID)
			}
			return nil, FlagErrorf("%s%s: no such pack (installed: %s)", flag, id, strings.Join(known, ", "))
		}
		sel.IDs = append(sel.IDs, id)
	}
	return sel, nil
}

// Questions returns the questions of the chosen packs (all packs when none
// was chosen), in pack order.
func (s *PackSelection) Questions() []*quiz.Question {
	if len(s.IDs) == 0 {
		return s.Library.Questions()
	}
	var qs []*quiz.Question
	seen := map[string]bool{}
	for _, id := range s.IDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		qs = append(qs, s.Library.Pack(id).Questions...)
	}
	return qs
}
