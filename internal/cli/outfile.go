package cli

import (
	"io"

	"github.com/pyquiz/pyquiz/internal/outfile"
)

// checkOutput is the check every command that writes a file the user names
// makes before its work: an existing file or symbolic link without --force,
// a folder, or a folder that does not exist is a usage error (exit 2) that
// names the flag (none for new's default ID.yaml) and the file.
func checkOutput(flag, path string, force bool) error {
	if err := outfile.Check(path, force); err != nil {
		if flag == "" {
			return FlagErrorf("%v", err)
		}
		return FlagErrorf("%s %v", flag, err)
	}
	return nil
}

// writeOutput writes data to path whole, with mode 0644 less the umask,
// replacing a file only with force (see outfile.Write).
func writeOutput(path string, data []byte, force bool) error {
	return outfile.Write(path, force, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
