package pyrun

import (
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNeedsOwnProcess: what the scan keeps out of a shared worker, and
// what it lets in.
func TestNeedsOwnProcess(t *testing.T) {
	shared := []string{
		"print(1)\n",
		"class A(object):\n    def __init__(self):\n        super().__init__()\nprint(type(A()).__name__, A.__dict__ is not None)\n",
		"from functools import lru_cache, reduce as r\nimport dataclasses\nimport collections.abc, itertools as it  # ok\n",
		"def f():\n    from math import pi\n    return pi\nprint(f())\n",
		"x = {'a': 1}\nprint(sorted(x), getattr(x, 'get')('a'))\n",
		"print(eval('1 + 1'), hash(-1), sorted(globals())[:2], vars(type('A', (), {'x': 1}))['x'])\n",
		"with open('notes.txt', 'w') as f:\n    f.write('hi')\n",
		"handlers = []\ndef register(f):\n    handlers.append(f)\n    return f\n",
		"import math\nprint(math.pi == 3, math.pi <= 4, math.floor(2.5))\nx = math.pi\n",
		"from enum import Enum\nclass Color(Enum):\n    RED = 1\nColor.RED.label = 'r'\n",
		"import random\nprint(random.random())\n",
		"import functools, random\n",
		"from functools import (reduce,\n    partial)\n",
		"import math; print(math.pi)\n",
		"# import os\nprint(1)\n",
		"print('open', \"id\", '''exit''')  # input\n",
		"import threading\nt = threading.Thread(target=print)\nt.start()\nt.join()\n",
		"import asyncio\nasync def main():\n    print('hi')\nasyncio.run(main())\n",
		"import sys\ntry:\n    sys.exit(3)\nexcept:\n    print(sys.exc_info()[0].__name__, sys.version_info >= (3,))\n",
		"import os, shutil, sqlite3, tempfile\nd = tempfile.mkdtemp()\ndb = sqlite3.connect(os.path.join(d, 'x.db'))\ndb.close()\nshutil.rmtree(d)\n",
		"from os import path\nfrom os.path import join\nimport os.path\nprint(os.path.sep, os.sep, os.listdir('.'))\n",
		"import sys\nsys.stdout.write('a')\nprint('b', file=sys.stderr)\nsys.stderr.flush()\n",
		// A module of its own: written to a folder put on the path.
		"import importlib, os, shutil, sys, tempfile\nfolder = tempfile.mkdtemp()\nsys.path.insert(0, folder)\n" +
			"with open(os.path.join(folder, 'config.py'), 'w') as f:\n    f.write(\"import json\\nvalue = 1\\n\")\n" +
			"importlib.invalidate_caches()\nimport config\nconfig.value += 1\nfrom config import value\nprint(config.value)\nshutil.rmtree(folder)\n",
		"for name, source in [('a', \"import b\\n\"), ('b', \"from a import *\\n\")]:\n    pass\nimport sys\nsys.path.append('x')\nimport a\n",
		// The module it writes imports json; json is spelled, not written.
		"import os, sys\nsys.path.insert(0, '.')\nwith open('util.py', 'w') as f:\n    f.write('import json\\n')\nfrom util import *\nprint('json' in dir())\n",
	}
	own := []string{
		"from decimal import getcontext\n",
		"import decimal\n",
		"import functools, warnings\n",
		"import sys\nprint(sys.modules['os'])\n",
		"import sys\nsys.stdout.reconfigure(encoding='latin-1')\n",
		"import sys\nsys.stdout = open('x', 'w')\n",
		"import sys\nout = sys.stdout\n",
		"import sys\nsys.path[0] = 'x'\n",
		"import sys\nsys.version_info = (4,)\n",
		"import sys as s\nprint(s.modules)\n",
		"from sys import modules\n",
		"from os import environ\n",
		"import os\nos.environ['X'] = '1'\n",
		"import os\nos.chdir('/')\n",
		"import os.path as p\n",
		"import importlib\nm = importlib.import_module('decimal')\n",
		"import sqlite3\nsqlite3.register_adapter(int, str)\n",
		"import asyncio\nasyncio.get_event_loop().add_signal_handler(2, print)\n",
		"import threading\nthreading.stack_size(1 << 20)\n",
		"import asyncio\nasync def main():\n    print(asyncio.current_task().get_name())\nasyncio.run(main())\n",
		"with open('x.txt', 'w') as f:\n    print(f.fileno())\n",
		"import tempfile\nprint(tempfile.mkstemp()[0])\n",
		"import config\nprint('config.py')\n", // nothing on the path: not its own
		"import sys\nsys.path.insert(0, 'lib')\nimport config\n",
		"import random as r, ctypes\n",
		"print(eval('exit()'))\n",
		"print(f'{id(1)}')\n",
		// A module of its own named as one a worker may hold already.
		"import os, sys, tempfile\nd = tempfile.mkdtemp()\nsys.path.insert(0, d)\n" +
			"with open(os.path.join(d, 'random.py'), 'w') as f:\n    f.write('x = 1\\n')\nimport random\nprint(random.x)\n",
		"import os, sys\nsys.path.insert(0, '.')\nwith open('decimal.py', 'w') as f:\n    f.write('x = 1\\n')\nimport decimal\n",
		"x = 1\nprint(x)  # import os\nexit()\n",
		"__builtins__.len = lambda x: 0\n",
		"import builtins\n",
		"print(eval('__import__(\"os\").getpid()'))\n",
		"exec('import decimal')\n",
		"print(globals()['__builtins__'])\n",
		"print(id(object()))\n",
		"f = open('x.txt', 'w')\n",
		"exit(3)\n",
		"print(input())\n",
		"print(object.__subclasses__())\n",
		"print(len.__self__)\n",
		"def f(): pass\nprint(f.__globals__)\n",
		"from collections.abc import Sized\nSized.register(int)\n",
		"try:\n    1/0\nexcept Exception as e:\n    print(e.__traceback__.tb_frame)\n",
		"from .mod import x\n",
		"import functools\nfunctools.reduce = None\n",
		"import json as j\ndel j.loads\n",
		"from enum import Enum\nEnum.x = 1\n",
		"import math\nsetattr(math, 'tau', 6)\n",
		"import string\nstring.ascii_letters += 'x'\n",
		"import copy\ncopy._deepcopy_dispatch[int] = None\n",
		"import re\nre._cache.clear()\n",
		"from collections import *\n",
	}
	for _, c := range shared {
		assert.False(t, NeedsOwnProcess(c), "%q should be allowed to share a worker", c)
	}
	for _, c := range own {
		assert.True(t, NeedsOwnProcess(c), "%q needs a process of its own", c)
	}
}

// TestNeedsTeardown: what gets Python's full finalization in a forked run.
func TestNeedsTeardown(t *testing.T) {
	for _, c := range []string{
		"class A:\n    def __del__(self):\n        print('bye')\na = A()\n",
		"def g():\n    try:\n        yield 1\n    finally:\n        print('finally')\nnext(g())\n",
		"f = open('out.txt', 'w')\nf.write('x')\n",
		"with open('a.txt', 'w') as f, open('b.txt', 'w') as g:\n    pass\n",
		"import weakref\n",
	} {
		assert.True(t, NeedsTeardown(c), "%q needs the full finalization", c)
	}
	for _, c := range []string{
		"print(1)\n",
		"with open('config.py', 'w') as f:\n    f.write('x = 1\\n')\nimport config\n",
		"import asyncio\nasync def main():\n    print('hi')\nasyncio.run(main())\n",
		"import tempfile\nd = tempfile.mkdtemp()\n",
		"class C:\n    def __enter__(self): return self\n    def __exit__(self, *a): return True\n",
	} {
		assert.False(t, NeedsTeardown(c), "%q does not need the full finalization", c)
	}
}

// TestHeldModulesListed: every module a worker may hold that a fresh
// interpreter has not imported at start-up (what sharedModules import,
// and the traceback modules 3.13 prints with) is in heldModules, on every
// interpreter found, so that a snippet's own module of such a name (its
// random.py) is not mistaken for the one the worker holds.
func TestHeldModulesListed(t *testing.T) {
	var names []string
	for name := range sharedModules {
		names = append(names, name)
	}
	sort.Strings(names)
	script := "import sys\nstart = set(k.split('.')[0] for k in sys.modules)\n" +
		"for m in " + fmt.Sprintf("%q", strings.Join(append(names, "traceback"), " ")) + ".split():\n" +
		"    try:\n        __import__(m)\n    except ImportError:\n        pass\n" +
		"held = set(k.split('.')[0] for k in sys.modules if sys.modules[k] is not None)\n" +
		"print(' '.join(sorted(held - start)))\n"
	for _, py := range pythons(t) {
		args := append(Flags(py.Version), "-c", script)
		out, err := exec.Command(py.Path, args...).Output()
		require.NoError(t, err, py.Version.String())
		for _, name := range strings.Fields(string(out)) {
			assert.True(t, heldModules()[name], "%s: a worker may hold %s; add it to heldModules", py.Version, name)
		}
	}
}
