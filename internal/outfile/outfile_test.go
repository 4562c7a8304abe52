package outfile

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// A link to a file is replaced with --force (its target kept); a link to a
// device, such as /dev/stdout, is written through: replacing /dev/stdout
// (as root) would break the system.
func TestLinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	require.NoError(t, os.WriteFile(target, []byte("keep"), 0o644))
	toFile := filepath.Join(dir, "to-file")
	require.NoError(t, os.Symlink(target, toFile))
	toDev := filepath.Join(dir, "to-null")
	require.NoError(t, os.Symlink(os.DevNull, toDev))
	dangling := filepath.Join(dir, "dangling")
	require.NoError(t, os.Symlink(filepath.Join(dir, "nothing"), dangling))

	assert.ErrorContains(t, Check(toFile, false), "is a symbolic link")
	assert.ErrorContains(t, Check(dangling, false), "is a symbolic link")
	assert.ErrorContains(t, Check(toDev, false), "use --force to write into it")

	require.NoError(t, Check(toDev, true))
	require.NoError(t, Write(toDev, true, write("x")))
	fi, err := os.Lstat(toDev)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink, "the link to a device is kept")

	for _, link := range []string{toFile, dangling} {
		require.NoError(t, Check(link, true))
		require.NoError(t, Write(link, true, write("new")))
		fi, err := os.Lstat(link)
		require.NoError(t, err)
		assert.True(t, fi.Mode().IsRegular(), "%s: the link is replaced by the file", link)
	}
	data, _ := os.ReadFile(target)
	assert.Equal(t, "keep", string(data))

	assert.ErrorContains(t, Check(dir, true), "is a folder")
}
