package pyrun

import (
	"context"
	"fmt"
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
	res, err := r.runOn(context.Background(), py, 0, "import os\nprint(os.getpid())\n", groupID(group), nil)
	require.NoError(t, err)
	require.True(t, res.Shared)
	require.Empty(t, string(res.Stderr))
	return strings.TrimSpace(string(res.Stdout))
}

// sharedRun runs code, which the scan must let into a worker, as a shared
// run of group in slot 0.
func sharedRun(t *testing.T, r *Runner, py Interpreter, group, code string) Result {
	t.Helper()
	require.False(t, NeedsOwnProcess(code), code)
	res, err := r.RunShared(context.Background(), py, code, 0, group)
	require.NoError(t, err)
	require.True(t, res.Shared, code)
	return res
}

// TestSharedRunsStartFresh: snippets that share a worker each start from
// what a fresh interpreter would give them: their own __main__, folder,
// __file__ and argv, nothing a run before them defined or printed, and
// each run's output and outcome its own.
func TestSharedRunsStartFresh(t *testing.T) {
	r, py := sandboxed(t, Limits{Timeout: 10 * time.Second})
	run := func(code string) Result {
		t.Helper()
		return sharedRun(t, r, py, "fresh", code)
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

	res, err := r.runOn(context.Background(), py, 0, "while True:\n    pass\n", "b", nil)
	require.NoError(t, err)
	assert.True(t, res.TimedOut, "%+v %s", res, res.Stderr)
	next := workerPid(t, r, py, "b")
	assert.NotEqual(t, w, next, "a worker that timed out was kept")
	w = next

	res, err = r.runOn(context.Background(), py, 0, "while True:\n    print('x' * 100)\n", "b", nil)
	require.NoError(t, err)
	assert.True(t, res.Flooded, "%+v %s", res, res.Stderr)
	next = workerPid(t, r, py, "b")
	assert.NotEqual(t, w, next, "a worker that flooded was kept")
	w = next

	res, err = r.runOn(context.Background(), py, 0, "import os, time\nif os.fork() == 0:\n    time.sleep(300)\nprint('left one')\n", "b", nil)
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
// not count as the run's doing), and after one that started a thread and
// joined it.
func TestWorkerLivesOnEveryInterpreter(t *testing.T) {
	r, _ := sandboxed(t, Limits{Timeout: 10 * time.Second})
	threads := "import random, threading\nout = []\nt = threading.Thread(target=out.append, args=(random.random(),))\n" +
		"t.start()\nt.join()\nprint(len(out))\n"
	for _, py := range pythons(t) {
		first := workerPid(t, r, py, "every")
		assert.Equal(t, first, workerPid(t, r, py, "every"), "%s: a new worker for the second run", py.Version)
		res, err := r.RunShared(context.Background(), py, threads, 0, "every")
		require.NoError(t, err)
		assert.Equal(t, "1\n", string(res.Stdout), "%s: %s", py.Version, res.Stderr)
		assert.Equal(t, first, workerPid(t, r, py, "every"), "%s: a new worker after a run with a thread", py.Version)
	}
}

// TestWorkerSetsStateAfresh: what a shared run may change in the modules
// a worker keeps, the next run finds as a fresh process would: random
// seeded anew, no asyncio event loop, the import path as it was and no
// module the last run wrote and imported; exit handlers a run registered
// have run at its end. The worker lives on through all of it.
func TestWorkerSetsStateAfresh(t *testing.T) {
	r, py := sandboxed(t, Limits{Timeout: 10 * time.Second})
	run := func(code string) string {
		t.Helper()
		res := sharedRun(t, r, py, "afresh", code)
		require.Zero(t, res.ExitCode, "%s\n%s", code, res.Stderr)
		return string(res.Stdout)
	}
	w := workerPid(t, r, py, "afresh")
	same := func(after string) {
		t.Helper()
		assert.Equal(t, w, workerPid(t, r, py, "afresh"), "the worker did not live on after %s", after)
	}

	seeded := run("import random\nrandom.seed(1)\nprint(random.random())\n")
	run("import random\nrandom.seed(1)\n")
	assert.NotEqual(t, seeded, run("import random\nprint(random.random())\n"), "the generator went on from the last run's seed")
	same("random")

	run("import asyncio\nloop = asyncio.new_event_loop()\nasyncio.set_event_loop(loop)\nloop.close()\n")
	assert.Equal(t, "ran\n", run("import asyncio\nasync def f():\n    return 'ran'\n"+
		"print(asyncio.get_event_loop().run_until_complete(f()))\n"), "the last run's closed loop was still set")
	assert.Equal(t, "hi\n", run("import asyncio\nasync def main():\n    print('hi')\nasyncio.run(main())\n"))
	same("asyncio")

	// Two runs write and import a module of the same name, each its own.
	module := func(value int) string {
		return "import importlib, os, shutil, sys, tempfile\nfolder = tempfile.mkdtemp()\nsys.path.insert(0, folder)\n" +
			"with open(os.path.join(folder, 'config.py'), 'w') as f:\n" +
			fmt.Sprintf("    f.write(\"print('loading')\\nvalue = %d\\n\")\n", value) +
			"importlib.invalidate_caches()\nimport config\nprint(config.value)\nshutil.rmtree(folder)\n"
	}
	path := func() string {
		res, err := r.runOn(context.Background(), py, 0, "import sys\nprint(len(sys.path), 'config' in sys.modules)\n", groupID("afresh"), nil)
		require.NoError(t, err)
		return string(res.Stdout)
	}
	before := path()
	assert.Equal(t, "loading\n1\n", run(module(1)))
	assert.Equal(t, "loading\n2\n", run(module(2)), "the last run's module was still imported")
	assert.Equal(t, before, path(), "the import path is not what it was")
	same("its own modules")

	// Exit handlers: those a run registers run at its end, and only then.
	res, err := r.runOn(context.Background(), py, 0, "import atexit\natexit.register(print, 'bye')\nprint('hi')\n", groupID("afresh"), nil)
	require.NoError(t, err)
	assert.Equal(t, "hi\nbye\n", string(res.Stdout))
	assert.Equal(t, "next\n", run("print('next')\n"))
	same("atexit")

	// Thread names, numbered per process, start at 1 again.
	for i := 0; i < 2; i++ {
		assert.Equal(t, "Thread-1\n", run("import threading\nt = threading.Thread(target=print)\nprint(t.name.split()[0])\n"), "run %d", i+1)
	}

	// Threads that were joined leave the worker as it was.
	assert.Equal(t, "[0, 1, 4, 9]\n", run("import threading\nout = []\n"+
		"ts = [threading.Thread(target=lambda n=n: out.append(n * n)) for n in range(4)]\n"+
		"for x in ts:\n    x.start()\nfor x in ts:\n    x.join()\nprint(sorted(out))\n"))
	same("threads")
}

// TestWorkerEndsWithWhatOutlivesARun: a thread still running when the
// snippet ends is joined, as Python does at exit, and the worker ends
// after that run; so does one whose run replaced sys.stdout or left an
// exit handler it could not run alone.
func TestWorkerEndsWithWhatOutlivesARun(t *testing.T) {
	r, py := sandboxed(t, Limits{Timeout: 10 * time.Second})
	w := workerPid(t, r, py, "outlive")
	code := "import threading, time\ndef late():\n    time.sleep(0.3)\n    print('late')\n" +
		"threading.Thread(target=late).start()\nprint('main done')\n"
	require.False(t, NeedsOwnProcess(code))
	res, err := r.RunShared(context.Background(), py, code, 0, "outlive")
	require.NoError(t, err)
	require.True(t, res.Shared)
	assert.Equal(t, "main done\nlate\n", string(res.Stdout), "the thread was not joined at the end of the run")
	next := workerPid(t, r, py, "outlive")
	assert.NotEqual(t, w, next, "a worker whose run left a thread running was kept")
	w = next

	res, err = r.runOn(context.Background(), py, 0, "import io, sys\nsys.stdout = io.StringIO()\n", groupID("outlive"), nil)
	require.NoError(t, err)
	res, err = r.RunShared(context.Background(), py, "print('shown')\n", 0, "outlive")
	require.NoError(t, err)
	assert.Equal(t, "shown\n", string(res.Stdout), "the last run's sys.stdout was still in place")
	next = workerPid(t, r, py, "outlive")
	assert.NotEqual(t, w, next, "a worker whose run replaced sys.stdout was kept")
}

// TestWorkerAfterATraceback: a run whose traceback is printed leaves the
// modules as they were for the next run, whatever the runs before it
// imported. (3.13's worker once put back the fork server's own
// collections.abc, printing a traceback, under a collections a SyntaxWarning
// had imported afresh: "module 'collections' has no attribute 'abc'" in
// every later run that imported sqlite3 or collections.abc.)
func TestWorkerAfterATraceback(t *testing.T) {
	r, _ := sandboxed(t, Limits{Timeout: 10 * time.Second})
	for _, py := range pythons(t) {
		if py.Version.Major < 3 {
			continue
		}
		for _, code := range []string{"print(5 * 10 is 50)\n", "{}['k']\n"} {
			_, err := r.RunShared(context.Background(), py, code, 0, "traceback")
			require.NoError(t, err)
		}
		res, err := r.RunShared(context.Background(), py, "import collections.abc\nprint(collections.abc.Sequence.__name__)\n", 0, "traceback")
		require.NoError(t, err)
		assert.True(t, res.Shared)
		assert.Equal(t, "Sequence\n", string(res.Stdout), "%s: %s", py.Version, res.Stderr)
	}
}

// TestWorkerClearsWhatARunLeaves: what a shared snippet leaves behind is
// released at the end of its run, as at a plain run's exit, so that what
// it says then (asyncio's "Task was destroyed but it is pending!") is on
// that run's stderr, not a later run's.
func TestWorkerClearsWhatARunLeaves(t *testing.T) {
	r, py := sandboxed(t, Limits{Timeout: 10 * time.Second})
	code := "import asyncio\nasync def forever():\n    await asyncio.sleep(3600)\n" +
		"loop = asyncio.new_event_loop()\ntask = loop.create_task(forever())\n" +
		"loop.run_until_complete(asyncio.sleep(0))\nloop.close()\nprint('done')\n"
	require.False(t, NeedsOwnProcess(code))
	plain, err := RunPlain(context.Background(), py, r.Env, code, r.Limits)
	require.NoError(t, err)
	require.Contains(t, string(plain.Stderr), "Task was destroyed but it is pending!")
	res, err := r.RunShared(context.Background(), py, code, 0, "leaves")
	require.NoError(t, err)
	require.True(t, res.Shared)
	assert.Equal(t, "done\n", string(res.Stdout))
	assert.Contains(t, string(res.Stderr), "Task was destroyed but it is pending!")
	next, err := r.RunShared(context.Background(), py, "print(1)\n", 0, "leaves")
	require.NoError(t, err)
	assert.Empty(t, string(next.Stderr))
}

// TestWorkerShowsWarningsAgain: a warning shown once per place (the
// default) is shown again in the next run, as in a fresh process, even
// when the place is in a module the worker keeps.
func TestWorkerShowsWarningsAgain(t *testing.T) {
	r, _ := sandboxed(t, Limits{Timeout: 10 * time.Second})
	code := "import json, warnings\nwarnings.warn_explicit('boo', UserWarning, 'lib.py', 1, module='json', " +
		"registry=json.__dict__.setdefault('__warningregistry__', {}))\n"
	for _, py := range pythons(t) {
		for i := 0; i < 2; i++ {
			res, err := r.runOn(context.Background(), py, 0, code, groupID("warnings"), nil)
			require.NoError(t, err)
			require.True(t, res.Shared)
			assert.Contains(t, string(res.Stderr), "UserWarning: boo", "%s, run %d", py.Version, i+1)
		}
	}
}

// TestWorkerFinalizersAfterExitHandlers: once a run's exit handlers ran
// (weakref.finalize's among them, which shut finalizers down as at
// exit), the next run's finalizers work as in a fresh process. (Forced
// into the worker: a snippet naming weakref is a plain run.)
func TestWorkerFinalizersAfterExitHandlers(t *testing.T) {
	r, py := sandboxed(t, Limits{Timeout: 10 * time.Second})
	run := func(code string) string {
		t.Helper()
		res, err := r.runOn(context.Background(), py, 0, code, groupID("finalize"), nil)
		require.NoError(t, err)
		require.True(t, res.Shared)
		return string(res.Stdout)
	}
	assert.Equal(t, "one\ngone\n", run("import weakref\nclass A(object):\n    pass\na = A()\nweakref.finalize(a, print, 'gone')\nprint('one')\n"))
	assert.Equal(t, "gone\ntwo\n", run("import weakref\nclass A(object):\n    pass\na = A()\nf = weakref.finalize(a, print, 'gone')\n"+
		"f.atexit = False\ndel a\nprint('two')\n"), "a finalizer did not run: still shut down")
}
