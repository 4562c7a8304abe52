package report

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pyquiz/pyquiz/quiz"
)

// Check tells before a session starts whether its report can be written to
// path, so that a typo in a folder name does not cost a finished session
// its report. Without force an existing file or symbolic link is never
// replaced; with force it is (a link is replaced by the report, its target
// is left alone). Anything that is not a file is refused either way.
func Check(path string, force bool) error {
	if _, err := FormatOf(path); err != nil {
		return err
	}
	fi, err := os.Lstat(path)
	switch {
	case err == nil && fi.Mode()&fs.ModeSymlink != 0 && !force:
		return fmt.Errorf("%s is a symbolic link; pyquiz does not write through links (use --force to replace the link with the report, or another name)", path)
	case err == nil && fi.Mode()&fs.ModeSymlink == 0 && !fi.Mode().IsRegular():
		return fmt.Errorf("%s exists and is not a file", path)
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

// unwrapPath drops the *PathError wrapper whose message repeats the temporary name.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// createTemp makes a new, empty file in dir with mode 0644 less the umask,
// as any file a user writes gets (os.CreateTemp makes 0600 files, which a
// report shared with a teacher must not be).
func createTemp(dir string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, ".pyquiz-report-"+strconv.FormatUint(rand.Uint64()%1e12, 36))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("no free temporary name in %s", dir)
}

// WriteFile writes the report in the format its extension names. The file
// is written whole under a temporary name, then moved into place, so a
// reader never sees half a report. Without force a file that appeared at
// path meanwhile is not replaced: the report stays under the temporary
// name, which the error gives.
func WriteFile(path string, force bool, s *quiz.Session, info Info) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	tmp, err := createTemp(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	keep := false
	defer func() {
		if !keep {
			os.Remove(tmp.Name())
		}
	}()
	if err := Write(tmp, format, s, info); err != nil {
		tmp.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if force {
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		keep = true
		return nil
	}
	// A hard link puts the file in place only if nothing is there yet.
	err = os.Link(tmp.Name(), path)
	if errors.Is(err, fs.ErrExist) {
		keep = true
		return fmt.Errorf("write report: %s appeared during the session; the report is in %s", path, tmp.Name())
	}
	if err != nil {
		// No hard links on this file system: check, then rename.
		if _, lerr := os.Lstat(path); lerr == nil {
			keep = true
			return fmt.Errorf("write report: %s appeared during the session; the report is in %s", path, tmp.Name())
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		keep = true
	}
	return nil
}
