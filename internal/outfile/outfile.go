// Package outfile writes the files a user names for output (play
// --report, report -o, export -o and --key, import -o, new, progress export
// -o) one way: an existing file or symbolic link is replaced only when the
// user asks (--force), the file appears whole or not at all (written under
// a temporary name in the same folder, then moved into place), and it gets
// mode 0644 less the umask, as a file made by any other program does.
//
// Check is meant to run before the work (a session, an export), so that a
// typo in a folder name costs nothing; Write runs at the end.
package outfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pyquiz/pyquiz/internal/packs"
)

// Check tells whether path can be written: without force an existing file
// or symbolic link is refused (with force a link is replaced by the new
// file, its target left alone); a folder is refused either way; the folder
// path is in must exist and take a new file. An existing FIFO or device
// (a pipe someone reads) is written into, with force, as it is.
func Check(path string, force bool) error {
	fi, err := os.Lstat(path)
	switch {
	case err == nil && special(path, fi) && !force:
		return fmt.Errorf("%s exists and is not a file; use --force to write into it, or another name", path)
	case err == nil && special(path, fi):
		return nil // written in place (Write)
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s is a folder, not a file", path)
	case err == nil && fi.Mode()&fs.ModeSymlink != 0 && !force:
		return fmt.Errorf("%s is a symbolic link; pyquiz does not write through links (use --force to replace the link, or another name)", path)
	case err == nil && !force:
		return fmt.Errorf("%s exists; use --force to replace it, or another name", path)
	}
	dir := filepath.Dir(path)
	f, err := createTemp(dir)
	if err != nil {
		if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
			return fmt.Errorf("%s: folder %s does not exist", path, dir)
		}
		return fmt.Errorf("%s: cannot write in folder %s: %w", path, dir, unwrapPath(err))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// special is an existing FIFO, device or socket, or a symbolic link to
// one (/dev/stdout): nothing can be renamed over it usefully (replacing
// /dev/stdout, as root, would break the system), so it is opened and
// written as it is.
func special(path string, fi fs.FileInfo) bool {
	if fi.Mode()&fs.ModeSymlink != 0 {
		var err error
		if fi, err = os.Stat(path); err != nil {
			return false // dangling: the link is replaced
		}
	}
	return !fi.Mode().IsRegular() && !fi.IsDir()
}

// Write calls write with the file's contents under a temporary name in
// path's folder, then moves it into place. Without force a file that
// appeared at path since Check is not replaced: what was written stays
// under the temporary name, which the error gives. An error from write
// leaves nothing behind.
func Write(path string, force bool, write func(io.Writer) error) error {
	if fi, err := os.Lstat(path); err == nil && special(path, fi) {
		if !force {
			return fmt.Errorf("%s exists and is not a file; use --force to write into it, or another name", path)
		}
		f, err := packs.Create(path, true) // a FIFO nobody reads is refused at once
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	tmp, err := createTemp(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("write %s: %w", path, unwrapPath(err))
	}
	keep := false
	defer func() {
		if !keep {
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if force {
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("write %s: %w", path, unwrapLink(err))
		}
		keep = true
		return nil
	}
	// A hard link puts the file in place only if nothing is there yet.
	err = os.Link(tmp.Name(), path)
	if errors.Is(err, fs.ErrExist) {
		keep = true
		return fmt.Errorf("%s appeared while pyquiz was working and is left as it is; the new file is in %s", path, tmp.Name())
	}
	if err != nil {
		// No hard links on this file system: check, then rename.
		if _, lerr := os.Lstat(path); lerr == nil {
			keep = true
			return fmt.Errorf("%s appeared while pyquiz was working and is left as it is; the new file is in %s", path, tmp.Name())
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("write %s: %w", path, unwrapLink(err))
		}
		keep = true
	}
	return nil
}

// createTemp makes a new, empty file in dir with mode 0644 less the umask,
// as any file a user writes gets (os.CreateTemp makes 0600 files, which a
// report shared with a teacher must not be).
func createTemp(dir string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, ".pyquiz-"+strconv.FormatUint(rand.Uint64()%1e12, 36)+".tmp")
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("no free temporary name in %s", dir)
}

// unwrapPath drops the *PathError wrapper whose message repeats the
// temporary name.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// unwrapLink drops the *LinkError wrapper of a rename, which names the
// temporary file.
func unwrapLink(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
