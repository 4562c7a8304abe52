//go:build unix

package packs

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadRefusesNonRegular: a FIFO blocks a reader until a writer comes, so
// a pack named or found as one used to hang every command. It is refused
// without being opened for a blocking read.
func TestLoadRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	write(t, dir, "good.yaml", pack("good", "fine"))

	done := make(chan struct{})
	var named, found *Result
	var namedErr, foundErr error
	go func() {
		defer close(done)
		_, namedErr = Load(Options{Paths: []string{fifo}})
		named, _ = Load(Options{Paths: []string{dir}})
		found, foundErr = Load(Options{Dirs: []string{dir}})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		// Unblock the reader so the test ends, then fail.
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.Close()
		}
		t.Fatal("Load hangs on a FIFO")
	}
	require.Error(t, namedErr)
	assert.Equal(t, fifo+": cannot read it as a pack: it is a named pipe (FIFO), not a file", namedErr.Error())
	assert.Nil(t, named, "a FIFO in a folder named on the command line is an error too")

	require.NoError(t, foundErr)
	assert.NotNil(t, found.Library.Pack("good"), "the other packs of the folder still load")
	require.Len(t, found.Broken, 1)
	assert.Equal(t, fifo, found.Broken[0].Name)
	assert.ErrorContains(t, found.Broken[0].ReadErr, "named pipe")

	_, err := Load(Options{Paths: []string{"/dev/null"}})
	assert.EqualError(t, err, "/dev/null: cannot read it as a pack: it is a device, not a file")
}

// TestLoadSkipsUnreadable: an unreadable file, a dangling symlink and a
// symlink loop in a pack folder are left out with a reason; the rest loads.
func TestLoadSkipsUnreadable(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "good.yaml", pack("good", "fine"))
	secret := write(t, dir, "secret.yaml", pack("secret", "x"))
	require.NoError(t, os.Chmod(secret, 0))
	require.NoError(t, os.Symlink(filepath.Join(dir, "gone.txt"), filepath.Join(dir, "dangling.yaml")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "loop.yaml"), filepath.Join(dir, "loop.yaml")))
	locked := filepath.Join(dir, "locked")
	write(t, locked, "inner.yaml", pack("inner", "x"))
	require.NoError(t, os.Chmod(locked, 0))
	t.Cleanup(func() { os.Chmod(locked, 0o755) })

	res, err := Load(Options{Dirs: []string{dir}})
	require.NoError(t, err)
	assert.NotNil(t, res.Library.Pack("good"))
	reasons := map[string]string{}
	for _, b := range res.Broken {
		require.Error(t, b.ReadErr, b.Name)
		reasons[filepath.Base(b.Name)] = b.ReadErr.Error()
	}
	want := map[string]string{
		"dangling.yaml": "cannot read it: a symlink to nothing (no such file or directory)",
		"loop.yaml":     "cannot read it: a symlink loop (too many levels of symbolic links)",
	}
	if os.Geteuid() != 0 { // root reads anything
		want["secret.yaml"] = "cannot read it: permission denied"
		want["locked"] = "cannot read it: permission denied"
	}
	assert.Equal(t, want, reasons)
	assert.Len(t, res.Problems.Errors(), len(want), "each one is an error validate reports")

	// Named on the command line, the same file stops the command.
	_, err = Load(Options{Paths: []string{filepath.Join(dir, "loop.yaml")}})
	assert.EqualError(t, err, filepath.Join(dir, "loop.yaml")+": cannot read it: a symlink loop (too many levels of symbolic links)")
}
