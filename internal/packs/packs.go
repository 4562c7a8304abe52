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
	"syscall"

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
	// Parsed, when set, returns what quiz.Parse(name, data) would for a
	// built-in pack file parsed ahead of time (questions.Parsed), or false
	// for a file that must be parsed. Built-in files only.
	Parsed func(name string, data []byte) (*quiz.Pack, quiz.Problems, bool)
}

// File is one pack file that was read.
type File struct {
	Name     string // as shown in messages
	Pack     *quiz.Pack
	Explicit bool // named by the user rather than found
	// ReadErr says why a file found in a pack folder could not be read
	// (permission, a dangling symlink, a FIFO); such a file is in Broken,
	// with the reason also in Problems.
	ReadErr error
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

// Replacement is an installed pack replaced by one the user named, or a
// built-in pack replaced by a pack with its id in a pack folder (installed
// there with pack add --force).
type Replacement struct {
	Old, New *quiz.Pack
	// Installed is set when New comes from a pack folder rather than the
	// command line: the user chose it once, commands need not say so again.
	Installed bool
}

// Load reads every pack file the options name. Files with errors are left
// out of the library and listed in Broken; their problems are in Problems.
// The error is for a path that cannot be read at all.
func Load(opts Options) (*Result, error) {
	res := &Result{}
	var builtin, found, named []*quiz.Pack
	add := func(name string, data []byte, explicit bool) {
		p, probs, ok := (*quiz.Pack)(nil), quiz.Problems(nil), false
		if opts.Parsed != nil && !explicit && strings.HasPrefix(name, BuiltinPrefix) {
			p, probs, ok = opts.Parsed(name, data)
		}
		if !ok {
			p, probs = quiz.Parse(name, data)
		}
		res.Problems = append(res.Problems, probs...)
		f := File{Name: name, Pack: p, Explicit: explicit}
		res.Files = append(res.Files, f)
		if p == nil || len(probs.Errors()) > 0 {
			res.Broken = append(res.Broken, f)
			return
		}
		switch {
		case explicit:
			named = append(named, p)
		case strings.HasPrefix(name, BuiltinPrefix):
			builtin = append(builtin, p)
		default:
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
		// A file in a pack folder that cannot be read (unreadable, a
		// dangling or looping symlink, a FIFO) must not stop every command:
		// it is left out with its reason, like a pack with errors.
		skip := func(name string, err error) {
			f := File{Name: name, ReadErr: err}
			res.Files = append(res.Files, f)
			res.Broken = append(res.Broken, f)
			res.Problems = append(res.Problems, quiz.Problem{Pos: quiz.Pos{File: name}, Message: err.Error()})
		}
		for _, d := range opts.Dirs {
			files, err := packFiles(d, skip)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				skip(d, err)
				continue
			}
			for _, f := range files {
				data, err := ReadFile(f)
				if err != nil {
					skip(f, err)
					continue
				}
				add(f, data, false)
			}
		}
	}
	for _, p := range opts.Paths {
		files, err := packFiles(p, nil)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no pack files (*.yaml, *.yml) in this folder", p)
		}
		for _, f := range files {
			data, err := ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			add(f, data, true)
		}
	}
	// A pack the user names replaces an installed pack with the same id
	// (an instructor trying an edited copy of a built-in pack), and a pack
	// in a pack folder replaces a built-in one (pack add --force); two
	// packs found in the same way with one id are an error.
	packs := named
	var kept []*quiz.Pack
	for _, p := range found {
		if by := byID(named, p.ID); by != nil {
			res.Replaced = append(res.Replaced, Replacement{Old: p, New: by})
			continue
		}
		kept = append(kept, p)
	}
	packs = append(packs, kept...)
	for _, p := range builtin {
		if by := byID(named, p.ID); by != nil {
			res.Replaced = append(res.Replaced, Replacement{Old: p, New: by})
			continue
		}
		if by := byID(kept, p.ID); by != nil {
			res.Replaced = append(res.Replaced, Replacement{Old: p, New: by, Installed: true})
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

// ReadFile reads one pack file without ever holding more than the size
// limit, and refuses anything but a regular file (a symlink to one is fine)
// before reading from it: a FIFO or a terminal device would block the read
// forever, /dev/zero would never end. The error says what is wrong without
// the file's name, which the caller puts in front.
func ReadFile(name string) ([]byte, error) {
	f, err := openRegular(name, " as a pack")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, quiz.MaxFileSize+1))
	if err != nil {
		return nil, readError(name, err)
	}
	return data, nil
}

// ReadRegular reads a file the user named (what says as what: "an answer
// sheet") with ReadFile's checks, at most limit+1 bytes, so the caller
// sees a file past the limit by its length. The buffer is the file's size
// from the start: io.ReadAll would grow it by copying, many times over for
// a file of tens of MiB.
func ReadRegular(name string, limit int64, what string) ([]byte, error) {
	f, err := openRegular(name, " as "+what)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(0)
	if st, err := f.Stat(); err == nil {
		size = max(st.Size(), 0)
	}
	r := io.LimitReader(f, limit+1)
	data := make([]byte, 0, min(size, limit)+512)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, readError(name, err)
		}
	}
}

// OpenRegular opens a file the user named for reading (a GIFT file, a
// progress file) with ReadFile's checks: anything but a regular file is
// refused before it is opened, so a FIFO cannot hang the command. The error
// leaves out the name, as ReadFile's does; errors.Is(err, fs.ErrNotExist)
// holds for a missing file.
func OpenRegular(name string) (*os.File, error) {
	return openRegular(name, "")
}

func openRegular(name, as string) (*os.File, error) {
	// Stat first: opening a FIFO for reading blocks until a writer comes.
	st, err := os.Stat(name)
	if err != nil {
		return nil, readError(name, err)
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(st.Mode(), as)
	}
	// The file may have been swapped since; opening without blocking and
	// checking the open file closes that window (openFlags is O_NONBLOCK
	// where there is one, which changes nothing for a regular file).
	f, err := os.OpenFile(name, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, readError(name, err)
	}
	if st, err = f.Stat(); err != nil {
		f.Close()
		return nil, readError(name, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(st.Mode(), as)
	}
	return f, nil
}

// NotRegular words why a file of mode m is not read or written: "a named
// pipe (FIFO)", "a device", "a socket", "a folder".
func NotRegular(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a folder"
	}
	return "a special file"
}

// Create opens a pack file for writing: a new file, or with replace an
// existing one truncated. It opens without blocking, so a FIFO that nobody
// reads is refused at once instead of waiting for a reader forever; a
// FIFO or device that is being read (/dev/stdout) is written to as asked.
// An existing file without replace is an error that wraps fs.ErrExist.
func Create(name string, replace bool) (*os.File, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if replace {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(name, flags|openFlags, 0o644)
	if err != nil {
		if st, serr := os.Stat(name); serr == nil && st.Mode()&fs.ModeNamedPipe != 0 && errors.Is(err, syscall.ENXIO) {
			return nil, errors.New("cannot write to it: it is a named pipe (FIFO) that nobody reads")
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot write to it: %w", err)
	}
	return f, nil
}

func notRegular(m fs.FileMode, as string) error {
	return fmt.Errorf("cannot read it%s: it is %s, not a file", as, NotRegular(m))
}

// readError words an open or read failure of name for a one-line note. It
// wraps the cause, so errors.Is(err, fs.ErrNotExist) still holds.
func readError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if st, lerr := os.Lstat(name); lerr == nil && st.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("cannot read it: a symlink to nothing (%w)", err)
		}
		return fmt.Errorf("cannot read it: %w", err)
	case errors.Is(err, syscall.ELOOP):
		return fmt.Errorf("cannot read it: a symlink loop (%w)", err)
	}
	return fmt.Errorf("cannot read it: %w", err)
}

// packFiles lists the pack files of a path: the file itself, or every
// *.yaml and *.yml below a folder, sorted. With skip set, a subfolder that
// cannot be listed is passed to it and left out; without, it is an error.
func packFiles(path string, skip func(string, error)) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file or folder: %w", path, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("%s: %w", path, readError(path, err))
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if skip == nil || p == path {
				return fmt.Errorf("%s: %w", p, readError(p, err))
			}
			skip(p, readError(p, err))
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
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
