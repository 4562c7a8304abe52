package pyrun

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

var (
	discoverOnce sync.Once
	discovered   []Interpreter
)

// pythons returns the interpreters on this machine, or skips the test.
func pythons(t testing.TB) []Interpreter {
	t.Helper()
	discoverOnce.Do(func() {
		discovered, _ = Discover(context.Background(), DiscoverOptions{})
	})
	if len(discovered) == 0 {
		t.Skip("no Python interpreter found on PATH or in pyenv")
	}
	return discovered
}

// trickySnippets are the cases where a forked child could differ from a
// fresh interpreter if the driver got a detail wrong.
var trickySnippets = map[string]string{
	"file":            "import os, sys\nprint(os.path.isabs(__file__), os.path.basename(__file__), sys.argv)\nprint(__name__, __package__, __doc__)\n",
	"globals":         "print(sorted(k for k in globals()))\nprint(type(__builtins__).__name__)\n",
	"docstring":       "'''doc'''\nprint(__doc__)\n",
	"exit3":           "print('before')\nimport sys\nsys.exit(3)\n",
	"exitmsg":         "import sys\nprint('x')\nsys.exit('bye')\n",
	"exit0":           "import sys\nprint('x')\nsys.exit(0)\n",
	"exitnone":        "raise SystemExit\n",
	"threads":         "import threading\nmain_done = threading.Event()\ndef w():\n    main_done.wait()\n    print('thread done')\nthreading.Thread(target=w).start()\nprint('main done')\nmain_done.set()\n",
	"nonewline":       "import sys\nsys.stdout.write('no newline')\n",
	"atexit-raise":    "import atexit\ndef bye():\n    print('bye')\n    raise ValueError('in atexit')\natexit.register(bye)\nprint('main')\n",
	"atexit-order":    "import atexit\natexit.register(lambda: print('second'))\natexit.register(lambda: print('first'))\nprint('main')\n",
	"stderr":          "import sys\nsys.stderr.write('err\\n')\nprint('out')\n",
	"warnings":        "import warnings\nwarnings.warn('careful')\nprint('after')\n",
	"input":           "print('asking')\ninput()\n",
	"getcwd":          "import os\nprint(os.listdir(os.getcwd()), os.getcwd() == os.path.dirname(os.path.abspath(__file__)))\n",
	"env":             "import os\nprint(os.environ.get('SECRET'), sorted(os.environ))\n",
	"flush":           "import sys\nprint('a', end='', flush=True)\nsys.stderr.write('e')\nprint('b')\n",
	"recursion":       "def f(n):\n    return f(n + 1)\nf(0)\n",
	"recursion-depth": "import sys\ndef f(n):\n    try:\n        return f(n + 1)\n    except RecursionError:\n        return n\nprint(f(0) > 100, sys.getrecursionlimit())\n",
	"unicode":         "print(u'h\\u00e9llo \\u2713 \\U0001F600')\n",
	"zerodiv":         "print(1)\n1/0\n",
	"custom-exc":      "class Oops(Exception):\n    pass\nraise Oops('x')\n",
	"chained":         "try:\n    1/0\nexcept ZeroDivisionError:\n    raise KeyError('k')\n",
	"syntax":          "print('never'\nx = \n",
	"modules":         "import sys\nprint('select' in sys.modules, 'errno' in sys.modules, 'json' in sys.modules)\n",
	"main-module":     "import sys\nprint(sys.modules['__main__'].__name__, sys.modules['__main__'] is __import__('__main__'))\nx = 5\nprint(sys.modules['__main__'].x)\n",
	"sys-path":        "import os, sys\nprint(sys.path[1:], sys.path[0] == os.getcwd())\n",
	"fd":              "f = open('out.txt', 'w')\nprint(f.fileno())\nf.close()\n",
	"unclosed-file":   "f = open('/dev/stdout', 'w')\nf.write('via dev stdout\\n')\nprint('direct')\n",
	"stdout-props":    "import sys\nprint(sys.stdout.isatty(), sys.stdout.encoding, sys.stdin.read() == '', sys.flags.isolated)\n",
	"os-exit":         "import os\nprint('lost?')\nos._exit(4)\n",
	"c-level-write":   "import os\nos.write(1, b'raw\\n')\nprint('buffered')\n",
	"pgrp":            "import os\nprint(os.getpgrp() == os.getpid())\n",
	"excepthook":      "import sys\ndef hook(t, v, tb):\n    print('hooked', t.__name__)\nsys.excepthook = hook\nraise ValueError\n",
	"future":          "from __future__ import division\nprint(1/2)\n",
	"print-stmt":      "print 'py2 only'\n",
	"coding":          "# -*- coding: latin-1 -*-\nprint(repr('\xe9'))\n",
	"set-order":       "print(sorted({3, 1, 2}))\n",
	"int-hash-order":  "print(list({1: 'a', 2: 'b', 100: 'c'}))\n",
	"daemon-thread":   "import threading, time\nthreading.Thread(target=time.sleep, args=(10,), daemon=True).start()\nprint('daemon left')\n",
	"annotations":     "x: int = 3\nprint(__annotations__)\n",
	// What shared workers take since they set state back between runs
	// (the pool runs them in any order, in one worker per interpreter).
	"thread-exception": "import threading\ndef boom():\n    raise ValueError('in thread')\nt = threading.Thread(target=boom)\nt.start()\nt.join()\nprint('main')\n",
	"timer-thread":     "import threading\nthreading.Timer(0.2, print, args=('timer',)).start()\nprint('main')\n",
	"random-seeded":    "import random\nrandom.seed(7)\nprint(random.random())\n",
	"random-fresh":     "import random\nprint(0 <= random.random() < 1)\n",
	"asyncio-set-loop": "import asyncio\nloop = asyncio.new_event_loop()\nasyncio.set_event_loop(loop)\nprint(loop.run_until_complete(asyncio.sleep(0, 'slept')))\nloop.close()\n",
	"asyncio-get-loop": "import asyncio\nasync def f():\n    return 'got'\nprint(asyncio.get_event_loop().run_until_complete(f()))\n",
	"asyncio-pending":  "import asyncio\nasync def forever():\n    await asyncio.sleep(3600)\nloop = asyncio.new_event_loop()\ntask = loop.create_task(forever())\nloop.run_until_complete(asyncio.sleep(0))\nloop.close()\nprint('left pending')\n",
	"own-module-1":     ownModule(1),
	"own-module-2":     ownModule(2),
	"tempdir-left":     "import os, tempfile\nd = tempfile.TemporaryDirectory()\nprint(os.path.isdir(d.name))\n",
	"sqlite-left-open": "import sqlite3\ndb = sqlite3.connect(':memory:')\ndb.execute('create table t (x)')\ndb.execute('insert into t values (1)')\nprint(db.execute('select count(*) from t').fetchone())\n",
	"stderr-print":     "import sys\nprint('to err', file=sys.stderr)\nsys.stdout.write('to out\\n')\n",
	"shadow-random":    "import os, random, sys, tempfile\nd = tempfile.mkdtemp()\nsys.path.insert(0, d)\ndel sys.modules['random']\n" + "with open(os.path.join(d, 'random.py'), 'w') as f:\n    f.write('x = 1\\n')\nimport random\nprint(random.x)\n",
	"shadow-mine":      "import os, sys, tempfile\nd = tempfile.mkdtemp()\nsys.path.insert(0, d)\nwith open(os.path.join(d, 'random.py'), 'w') as f:\n    f.write('x = 1\\n')\nimport random\nprint(getattr(random, 'x', 'stdlib'))\n",
}

// ownModule writes a module named mine to a folder it puts on the path
// and imports it: two snippets with other values must each see their own.
func ownModule(value int) string {
	return "import importlib, os, shutil, sys, tempfile\nfolder = tempfile.mkdtemp()\nsys.path.insert(0, folder)\n" +
		"with open(os.path.join(folder, 'mine.py'), 'w') as f:\n" +
		fmt.Sprintf("    f.write('VALUE = %d\\n')\n", value) +
		"if hasattr(importlib, 'invalidate_caches'):\n    importlib.invalidate_caches()\nimport mine\nprint(mine.VALUE)\nshutil.rmtree(folder)\n"
}

// parityCase is one snippet and where it came from.
type parityCase struct {
	name, code string
	python     quiz.Constraint // the question's; zero for the tricky ones
}

func parityCases(t testing.TB) []parityCase {
	var cases []parityCase
	names, _ := fs.Glob(questions.FS, "*.yaml")
	for _, n := range names {
		data, err := fs.ReadFile(questions.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := quiz.Parse(n, data)
		if p == nil {
			continue
		}
		for _, q := range p.Questions {
			if q.Code != "" {
				cases = append(cases, parityCase{q.FullID(), q.Code, q.Python})
			}
		}
	}
	var keys []string
	for k := range trickySnippets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cases = append(cases, parityCase{name: "tricky/" + k, code: trickySnippets[k]})
	}
	return cases
}

// TestParity runs every built-in snippet and the tricky ones on every
// interpreter, as a plain `python -I snippet.py` and through the fork
// server (in a shared worker where NeedsOwnProcess allows), and wants the
// same stdout bytes, exception and exit code.
//
// Every (interpreter, snippet) pair is one job of a worker pool that keeps
// a few more runs going than there are CPUs (a plain run spends part of
// its time starting up, not computing); one Runner serves them all, so its
// fork servers stay warm across snippets.
func TestParity(t *testing.T) {
	pys := pythons(t)
	cases := parityCases(t)
	env := Env(func(k string) string {
		if k == "SECRET" {
			return "leaked"
		}
		return os.Getenv(k)
	})
	lim := Limits{Timeout: 20 * time.Second}
	r := NewRunner(env, lim)
	defer r.Close()
	type job struct {
		py Interpreter
		c  parityCase
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range 2 * runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if msg := parityOne(r, env, lim, j.py, j.c); msg != "" {
					t.Error(msg)
				}
			}
		}()
	}
	for _, c := range cases {
		for _, py := range pys {
			if c.python.Allows(py.Version) {
				jobs <- job{py, c}
			}
		}
	}
	close(jobs)
	wg.Wait()
}

// parityOne runs c on py both ways and says how they differ ("": they
// do not).
func parityOne(r *Runner, env []string, lim Limits, py Interpreter, c parityCase) string {
	plain, err := RunPlain(context.Background(), py, env, c.code, lim)
	if err != nil {
		return fmt.Sprintf("%s on %s: plain run: %v", c.name, py.Version, err)
	}
	// Shared where the scan allows (every snippet here in one group): a
	// worker runs one after another, in whatever order the pool takes them.
	fast, err := r.RunShared(context.Background(), py, c.code, 0, "parity")
	if err != nil {
		return fmt.Sprintf("%s on %s: fast run: %v", c.name, py.Version, err)
	}
	// A plain run's exception is read from its traceback; a custom
	// sys.excepthook leaves none to read.
	sameExc := plain.Raised() == fast.Raised() || len(plain.Stderr) == 0
	if bytes.Equal(maskAddr(plain.Stdout), maskAddr(fast.Stdout)) && sameExc && plain.ExitCode == fast.ExitCode {
		return ""
	}
	return fmt.Sprintf("%s on %s (plain fallback %v):\nplain: %q %q %d\nfast:  %q %q %d\nplain stderr: %s\nfast stderr: %s",
		c.name, py.Version, fast.Plain, plain.Stdout, plain.Exception, plain.ExitCode,
		fast.Stdout, fast.Exception, fast.ExitCode, tail(plain.Stderr), tail(fast.Stderr))
}

// maskAddr hides object addresses (<X object at 0x7f...>), which differ
// between any two runs.
func maskAddr(b []byte) []byte { return addrRE.ReplaceAll(b, []byte("0xADDR")) }

var addrRE = regexp.MustCompile(`0x[0-9a-f]{6,}`)

func tail(b []byte) string {
	s := string(b)
	if len(s) > 600 {
		s = "..." + s[len(s)-600:]
	}
	return strings.TrimSpace(s)
}
