package cli

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStdoutWriteErrors: a full or closed stdout is reported on stderr and
// gives a non-zero exit, once, instead of a silent success.
func TestStdoutWriteErrors(t *testing.T) {
	run := func(out *os.File, args ...string) (string, int) {
		f := testFactory(t)
		var errOut bytes.Buffer
		f.IOStreams.Out, f.IOStreams.ErrOut = out, &errOut
		code := Run(context.Background(), f, args)
		return errOut.String(), code
	}

	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full here")
	}
	defer full.Close()
	for _, args := range [][]string{{"list"}, {"list", "questions", "--json"}, {"show", "--json", "classes/classmethod-sees-subclass"}, {"validate", "--json"}} {
		stderr, code := run(full, args...)
		assert.Equal(t, ExitFindings, code, args)
		assert.Equal(t, "pyquiz: cannot write to stdout: no space left on device\n", stderr, args)
	}

	r, w, err := os.Pipe()
	require.NoError(t, err)
	r.Close() // the reader went away, as with `pyquiz list | head -0`
	stderr, code := run(w, "list", "questions")
	assert.Equal(t, ExitBrokenPipe, code)
	assert.Empty(t, stderr, "a reader that went away (| head -1) is no error to report")
	w.Close()

	stderr, code = run(w, "list") // closed stdout
	assert.Equal(t, ExitFindings, code)
	assert.Equal(t, "pyquiz: cannot write to stdout: it is closed\n", stderr)
}
