package report

import (
	"fmt"
	"io"

	"github.com/pyquiz/pyquiz/internal/outfile"
	"github.com/pyquiz/pyquiz/quiz"
)

// Check tells before a session starts whether its report can be written to
// path, so that a typo in a folder name does not cost a finished session
// its report: the format must be known and outfile.Check must pass (an
// existing file or symbolic link is replaced only with force).
func Check(path string, force bool) error {
	if _, err := FormatOf(path); err != nil {
		return err
	}
	return outfile.Check(path, force)
}

// WriteFile writes the report in the format its extension names, whole and
// atomically (see outfile.Write). Without force a file that appeared at
// path meanwhile is not replaced: the report stays under the temporary
// name, which the error gives.
func WriteFile(path string, force bool, s *quiz.Session, info Info) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	return outfile.Write(path, force, func(w io.Writer) error {
		if err := Write(w, format, s, info); err != nil {
			return fmt.Errorf("write report %s: %w", path, err)
		}
		return nil
	})
}
