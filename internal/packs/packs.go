// Package packs finds pack files (built-in, the user's pack folder,
// PYQUIZ_PACKS and paths given on the command line) and loads them into a
// quiz.Library.
package packs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pyquiz/pyquiz/quiz"
)

// BuiltinPrefix starts the file name of every built-in pack in messages.
const BuiltinPrefix = "builtin:"

// Options says where to look for packs.
type Options struct {
	Builtin fs.FS    // built-in packs at the root of the FS; nil for none
	Dirs    []string // folders searched quietly: the user folder, PYQUIZ_PACKS
	Paths   []string // files or folders named by the user (--pack, arguments)
	// Only skips Builtin and Dirs: just the named Paths are loaded.
	Only bool
}

// File is one pack file that was read.
type File struct {
	Name     string // as shown in messages
	Pack     *quiz.Pack
	Explicit bool // named by the user rather than found
}

// Result is what Load found.
type Result struct {
	Files    []File
	Library  *quiz.Library // packs without errors, unique ids
	Problems quiz.Problems // every error and warning of every file, sorted
	// Broken lists the files left out of Library because of errors.
	Broken []File
	// Replaced lists installed packs set aside for a named pack with the same id.
	Replaced []Replacement
}

// Replacement is an installed pack replaced by one the user named.
type Replacement struct{ Old, New *quiz.Pack }

// Load reads every pack file the options name. Files with errors are left
// out of the library and listed in Broken; their problems are in Problems.
// The error is for a path that cannot be read at all.
func Load(opts Options) (*Result, error) {
	res := &Result{}
	var found, named []*quiz.Pack
	add := func(name string, data []byte, explicit bool) {
		p, probs := quiz.Parse(name, data)
		res.Problems = append(res.Problems, probs...)
		f := File{Name: name, Pack: p, Explicit: explicit}
		res.Files = append(res.Files, f)
		if p == nil || len(probs.Errors()) > 0 {
			res.Broken = append(res.Broken, f)
			return
		}
		if explicit {
			named = append(named, p)
		} else {
			found = append(found, p)
		}
	}
	if !opts.Only {
		if opts.Builtin != nil {
			names, _ := fs.Glob(opts.Builtin, "*.yaml")
			sort.Strings(names)
			for _, n := range names {
				data, err := fs.ReadFile(opts.Builtin, n)
				if err != nil {
					return nil, fmt.Errorf("read built-in pack %s: %w", n, err)
				}
				add(BuiltinPrefix+n, data, false)
			}
		}
		for _, d := range opts.Dirs {
			files, err := packFiles(d)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				if err := readInto(f, false, add, res); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, p := range opts.Paths {
		files, err := packFiles(p)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no pack files (*.yaml, *.yml) in this folder", p)
		}
		for _, f := range files {
			if err := readInto(f, true, add, res); err != nil {
				return nil, err
			}
		}
	}
	// A pack the user names replaces an installed pack with the same id
	// (an instructor trying an edited copy of a built-in pack); two packs
	// found in the same way with one id are an error.
	packs := named
	for _, p := range found {
		if by := byID(named, p.ID); by != nil {
			res.Replaced = append(res.Replaced, Replacement{Old: p, New: by})
			continue
		}
		packs = append(packs, p)
	}
	lib, dups := quiz.NewLibrary(packs)
	res.Library = lib
	res.Problems = append(res.Problems, dups...)
	res.Problems.Sort()
	return res, nil
}

func byID(packs []*quiz.Pack, id string) *quiz.Pack {
	for _, p := range packs {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// readInto reads one file without ever holding more than the size limit.
func readInto(name string, explicit bool, add func(string, []byte, bool), res *Result) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("open pack: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, quiz.MaxFileSize+1))
	if err != nil {
		return fmt.Errorf("read pack %s: %w", name, err)
	}
	add(name, data, explicit)
	return nil
}

// packFiles lists the pack files of a path: the file itself, or every
// *.yaml and *.yml below a folder, sorted.
func packFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file or folder: %w", path, fs.ErrNotExist)
		}
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != path && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
