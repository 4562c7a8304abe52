package pyrun

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTracebackReadsAsPlain wants a forked run's traceback to read as a
// plain run's, on every interpreter: no line of the fork server's own
// frame (3.13 used to show a stray "~~~~^^^^"). A snippet that may act at
// teardown is a plain run.
func TestTracebackReadsAsPlain(t *testing.T) {
	env := Env(os.Getenv)
	lim := Limits{}
	snippets := map[string]string{
		"quick":    "x = {}\nx['k']\n",
		"teardown": "def g():\n    yield 1\nx = {}\nx['k']\n",
		"nested":   "def f(d):\n    return d['k']\nf({})\n",
		"chained":  "try:\n    1/0\nexcept ZeroDivisionError:\n    raise KeyError('k')\n",
	}
	for _, py := range pythons(t) {
		r := NewRunner(env, lim)
		for name, code := range snippets {
			plain, err := RunPlain(context.Background(), py, env, code, lim)
			require.NoError(t, err)
			fast, err := r.Run(context.Background(), py, code, 0)
			require.NoError(t, err)
			require.Equal(t, name == "teardown", fast.Plain, "%s on %s: plain run", name, py.Version)
			assert.Equal(t, string(plain.Stderr), string(fast.Stderr), "%s on %s", name, py.Version)
		}
		r.Close()
	}
}
