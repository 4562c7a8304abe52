package pyrun

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExceptionFromStderr(t *testing.T) {
	for _, tc := range []struct {
		name, stderr string
		exit         int
		want         string
	}{
		{"normal", "", 0, ""},
		{"simple", "Traceback (most recent call last):\n  File \"snippet.py\", line 1, in <module>\n    1/0\nZeroDivisionError: division by zero\n", 1, "ZeroDivisionError"},
		{"module", "Traceback (most recent call last):\n  File \"s.py\", line 3, in <module>\nmypkg.errors.Oops: x\n", 1, "Oops"},
		{"no message", "Traceback (most recent call last):\n  File \"s.py\", line 1, in <module>\nStopIteration\n", 1, "StopIteration"},
		{"syntax", "  File \"snippet.py\", line 1\n    print 'x'\n          ^\nSyntaxError: invalid syntax\n", 1, "SyntaxError"},
		{"chained", "Traceback (most recent call last):\n  File \"s.py\", line 2, in <module>\nZeroDivisionError: division by zero\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"s.py\", line 4, in <module>\nKeyError: 'k'\n", 1, "KeyError"},
		{"sys.exit(3)", "", 3, "SystemExit"},
		{"sys.exit(msg)", "bye\n", 1, "SystemExit"},
		{"atexit error after exit", "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\n  File \"s.py\", line 3, in bye\nValueError: x\n", 2, "SystemExit"},
		{"signal", "", -9, ""},
	} {
		assert.Equal(t, tc.want, ExceptionFromStderr(tc.stderr, tc.exit), tc.name)
	}
}

func TestSplitSpecs(t *testing.T) {
	assert.Equal(t, []string{"2.7", "3.11", "/usr/bin/python3"}, SplitSpecs(" 2.7, 3.11,,/usr/bin/python3 "))
}

func TestDiscoverRejectsBadSpecs(t *testing.T) {
	for _, spec := range []string{"4.2", "banana", "3.x"} {
		_, err := Discover(context.Background(), DiscoverOptions{Specs: []string{spec}, SpecSource: "--python", Getenv: func(string) string { return "" }})
		assert.ErrorContains(t, err, "--python "+spec, "want an error naming it")
	}
}

// TestSandbox checks what holds in every sandbox, the weaker one (where
// namespaces are refused) included, fast and plain.
func TestSandbox(t *testing.T) {
	pys := pythons(t)
	py := pys[len(pys)-1]
	env := Env(func(k string) string {
		if k == "SECRET" {
			return "hunter2"
		}
		return os.Getenv(k)
	})
	// Long enough for an interpreter to start on a loaded machine.
	lim := Limits{Timeout: 5 * time.Second, MaxOutput: 4096}
	r := NewRunner(env, lim)
	defer r.Close()
	weak := NewRunner(env, lim)
	weak.NoNamespaces = true
	defer weak.Close()
	runs := map[string]func(code string) (Result, error){
		"fast": func(code string) (Result, error) { return r.Run(context.Background(), py, code, 0) },
		// "# inspect" makes it a plain run of a fresh interpreter (NeedsPlain).
		"plain":      func(code string) (Result, error) { return r.Run(context.Background(), py, code+"\n# inspect\n", 0) },
		"weak fast":  func(code string) (Result, error) { return weak.Run(context.Background(), py, code, 0) },
		"weak plain": func(code string) (Result, error) { return weak.Run(context.Background(), py, code+"\n# inspect\n", 0) },
		// The naive reference, outside any sandbox: the limits still hold.
		"reference": func(code string) (Result, error) { return RunPlain(context.Background(), py, env, code, lim) },
	}
	for name, run := range runs {
		t.Run(name, func(t *testing.T) {
			res, err := run("import os\nprint(os.environ.get('SECRET'), sorted(os.environ))\n")
			require.NoError(t, err)
			assert.NotContains(t, string(res.Stdout), "hunter2", "environment")
			assert.True(t, strings.HasPrefix(string(res.Stdout), "None ['LANG', 'PATH']"), "environment: got %q", res.Stdout)

			start := time.Now()
			res, err = run("import subprocess, sys, time\nprint('started')\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)'])\nwhile True:\n    time.sleep(0.01)\n")
			require.NoError(t, err)
			assert.True(t, res.TimedOut, "loop: not timed out")
			assert.LessOrEqual(t, time.Since(start), lim.Timeout+killGrace+hardDeadline, "loop: ended late")
			assert.Contains(t, string(res.Stdout), "started", "loop: output before the time-out is lost")

			res, err = run("while True:\n    print('y' * 100)\n")
			require.NoError(t, err)
			assert.True(t, res.Flooded, "flood (timed out %v)", res.TimedOut)
			assert.Len(t, res.Stdout, 4096, "flood")

			res, err = run("import sys\nprint(repr(sys.stdin.read()))\n")
			require.NoError(t, err)
			assert.Equal(t, "''\n", string(res.Stdout), "stdin")
		})
	}
}
