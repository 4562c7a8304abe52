package pyrun

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// workerPid runs, as a shared run of group in slot 0, a snippet that
// prints its process id (the shared path is forced: a snippet that imports
// os would get a process of its own).
func workerPid(t *testing.T, r *Runner, py Interpreter, group string) string {
	t.Helper()
	res, err := r.runOn(context.Background(), py, 0, "import os\nprint(os.getpid())\n", false, group, nil)
	require.NoError(t, err)
	require.True(t, res.Shared)
	require.Empty(t, string(res.Stderr))
	return strings.TrimSpace(string(res.Stdout))
}

// TestSharedRunsStartFresh: snippets that share a worker each start from
// what a fresh interpreter would give them: their own __main__, folder,
// __file__ and argv, nothing a run before them defined or printed, and
// each run's output and outcome its own.
func TestSharedRunsStartFresh(t *testing.T) {
	r, py := sandboxed(t, Limits{Timeout: 10 * time.Second})
	run := func(code string) Result {
		t.Helper()
		require.False(t, NeedsOwnProcess(code), code)
		res, err := r.RunShared(context.Background(), py, code, 0, "fresh")
		require.NoError(t, err)
		require.True(t, res.Shared, code)
		return res
	}
	first := run("x = 1\nclass A:\n    n = 0\nA.n += 1\nprint(__name__, __file__, A.n, end='')\n")
	assert.Equal(t, "__main__ "+ScriptName+" 1", trimDir(string(first.Stdout)))
	second := run("try:\n    print(x)\nexcept NameError as e:\n    print('fresh', type(e).__name__)\nclass A:\n    n = 0\nA.n += 1\nprint(A.n)\n")
	assert.Equal(t, "fresh NameError\n1\n", string(second.Stdout))
	third := run("print(sorted(dir()))\n")
	plain, err := RunPlain(context.Background(), py, r.Env, "print(sorted(dir()))\n", r.Limits)
	require.NoError(t, err)
	assert.Equal(t, string(plain.Stdout), string(third.Stdout))
	boom := run("print('before')\n{}['k']\n")
	assert.Equal(t, "before\n", string(boom.Stdout))
	assert.Equal(t, "KeyError", boom.Exception)
	assert.Equal(t, 1, boom.ExitCode)
	assert.Contains(t, string(boom.Stderr), "KeyError: 'k'")
	exit := run("print('bye')\nraise SystemExit(4)\n")
	assert.Equal(t, "bye\n", string(exit.Stdout))
	assert.Equal(t, 4, exit.ExitCode)
	after := run("print('clean')\n")
	assert.Equal(t, "clean\n", string(after.Stdout))
	assert.Empty(t, string(after.Stderr))
	assert.Equal(t, 0, after.ExitCode)
}

// trimDir drops the run folder from a printed __file__ (3.9+ prints it
// whole; it is new for every run).
func trimDir(s string) string {
	if i := strings.Index(s, "/tmp/"); i >= 0 {
		if j := strings.Index(s[i:], "/"+ScriptName); j >= 0 {
			return s[:i] + s[i+j+1:]
		}
	}
	return s
}

// TestWorkerLifetime: a worker lives on between the runs of its group; a
// run of another group, one that times out, one that floods and one that
// leaves a process behind each end it, so the next run gets a new one.
func TestWorkerLifetime(t *testing.T) {
	r, py := sandboxed(t, Limits{Timeout: 2 * time.Second, MaxOutput: 1 << 10})
	w := workerPid(t, r, py, "a")
	assert.Equal(t, w, workerPid(t, r, py, "a"), "the worker did not live on")

	assert.NotEqual(t, w, workerPid(t, r, py, "b"), "another group's snippet ran in the same process")
	w = workerPid(t, r, py, "b")

	res, err := r.runOn(context.Background(), py, 0, "while True:\n    pass\n", false, "b", nil)
	require.NoError(t, err)
	assert.True(t, res.TimedOut, "%+v %s", res, res.Stderr)
	next := workerPid(t, r, py, "b")
	assert.NotEqual(t, w, next, "a worker that timed out was kept")
	w = next

	res, err = r.runOn(context.Background(), py, 0, "while True:\n    print('x' * 100)\n", false, "b", nil)
	require.NoError(t, err)
	assert.True(t, res.Flooded, "%+v %s", res, res.Stderr)
	next = workerPid(t, r, py, "b")
	assert.NotEqual(t, w, next, "a worker that flooded was kept")
	w = next

	res, err = r.runOn(context.Background(), py, 0, "import os, time\nif os.fork() == 0:\n    time.sleep(300)\nprint('left one')\n", false, "b", nil)
	require.NoError(t, err)
	assert.Equal(t, "left one\n", string(res.Stdout))
	assert.False(t, res.TimedOut)
	next = workerPid(t, r, py, "b")
	assert.NotEqual(t, w, next, "a worker whose run left a process behind was kept")
	w = next

	// A fork run (its own process) between two shared runs leaves the
	// worker alone: they are on different servers.
	fork, err := r.Run(context.Background(), py, "import os\nprint(os.getpid())\n", 0)
	require.NoError(t, err)
	assert.False(t, fork.Shared)
	assert.Equal(t, w, workerPid(t, r, py, "b"))
}

// TestWorkerLivesOnEveryInterpreter: on every interpreter found, the
// second shared run of a group runs in the first one's worker (a worker
// that ended after every run would cost a fork per run again; one
// interpreter here imports threading and atexit at start-up, which must
// not count as the run's doing).
func TestWorkerLivesOnEveryInterpreter(t *testing.T) {
	r, _ := sandboxed(t, Limits{Timeout: 10 * time.Second})
	for _, py := range pythons(t) {
		first := workerPid(t, r, py, "every")
		assert.Equal(t, first, workerPid(t, r, py, "every"), "%s: a new worker for the second run", py.Version)
	}
}
