package pyrun

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/sandbox"
)

// sandboxed returns a runner whose sandbox has namespaces, or skips.
func sandboxed(t *testing.T, lim Limits) (*Runner, Interpreter) {
	t.Helper()
	pys := pythons(t)
	py := pys[len(pys)-1]
	if py.Version.Major < 3 {
		t.Skip("no Python 3 interpreter")
	}
	r := NewRunner(Env(os.Getenv), lim)
	t.Cleanup(func() { r.Close() })
	if level, why := r.Sandbox(); level != sandbox.LevelNamespaces {
		t.Skipf("namespaces refused here (%s): the weaker sandbox is tested by TestSandbox", why)
	}
	return r, py
}

// modes run a snippet forked from the server, as a plain run (the
// snippet mentions "inspect", which NeedsPlain sends to a plain run), and
// in the server's shared worker, whatever the scan says of it (a hostile
// snippet can get past the scan; see runIn).
var modes = map[string]string{"fork": "", "plain": "\n# inspect\n", "shared": "\n# shared\n"}

// runIn runs code as its mode says: a snippet that ends with "# shared"
// goes to the worker of group "contain" even though NeedsOwnProcess would
// keep it out, as a snippet that gets past the scan would.
func runIn(ctx context.Context, r *Runner, py Interpreter, code string) (Result, error) {
	if strings.HasSuffix(code, "\n# shared\n") {
		return r.runOn(ctx, py, 0, code, "contain", nil)
	}
	return r.Run(ctx, py, code, 0)
}

// survivors lists the processes on this machine whose command line holds
// marker: what a run left behind.
func survivors(marker string) []string {
	var out []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.Contains(b, []byte(marker)) {
			out = append(out, e.Name()+": "+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return out
}

// TestContainment runs the probe's reproducers (issue 13) and wants each
// contained: no secret, file, connection or process escapes a run.
func TestContainment(t *testing.T) {
	// Long enough for a fork bomb to hit the process limit on a loaded
	// machine; the time-out tests below use a short one.
	r, py := sandboxed(t, Limits{Timeout: 30 * time.Second})
	short, _ := sandboxed(t, Limits{Timeout: 2 * time.Second})
	t.Setenv("PYQUIZ_TEST_SECRET", "hunter2-secret")
	outside := t.TempDir()
	cwd, err := os.Getwd()
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	accepted := make(chan struct{}, 10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- struct{}{}
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	me := os.Getpid()

	runOn := func(t *testing.T, r *Runner, code string) Result {
		t.Helper()
		res, err := runIn(context.Background(), r, py, code)
		require.NoError(t, err)
		return res
	}
	run := func(t *testing.T, code string) Result { return runOn(t, r, code) }
	try := func(stmt string) string {
		return fmt.Sprintf("try:\n    %s\n    print('ESCAPED')\nexcept Exception as e:\n    print('contained', type(e).__name__)\n", stmt)
	}

	for mode, extra := range modes {
		t.Run(mode, func(t *testing.T) {
			t.Run("caller's environment", func(t *testing.T) {
				res := run(t, fmt.Sprintf(`import os
found = []
for p in os.listdir('/proc'):
    if p.isdigit():
        try:
            if b'hunter2' in open('/proc/%%s/environ' %% p, 'rb').read():
                found.append(p)
        except Exception:
            pass
print('pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))
print('found', found)
`+try("open('/proc/%d/environ', 'rb').read()"), me)+extra)
				out := string(res.Stdout)
				assert.NotContains(t, out, "hunter2")
				assert.Contains(t, out, "found []")
				assert.NotContains(t, out, "ESCAPED")
				assert.NotContains(t, out, " "+strconv.Itoa(me)+",", "the caller's pid is visible")
			})
			t.Run("files outside the run folder", func(t *testing.T) {
				res := run(t, try(fmt.Sprintf("open('/proc/%d/cwd/pwned-cwd', 'w').write('x')", me))+
					try(fmt.Sprintf("open(%q, 'w').write('x')", filepath.Join(outside, "pwned-abs")))+
					try(fmt.Sprintf("open(%q, 'w').write('x')", filepath.Join(os.Getenv("HOME"), "pwned-home-pyquiz")))+
					"open('here.txt', 'w').write('the run folder is writable')\nprint(open('here.txt').read())\n"+extra)
				out := string(res.Stdout)
				assert.NotContains(t, out, "ESCAPED")
				assert.Equal(t, 3, strings.Count(out, "contained"), out)
				assert.Contains(t, out, "the run folder is writable")
				for _, p := range []string{filepath.Join(cwd, "pwned-cwd"), filepath.Join(outside, "pwned-abs"), filepath.Join(os.Getenv("HOME"), "pwned-home-pyquiz")} {
					_, err := os.Stat(p)
					if !assert.True(t, os.IsNotExist(err), "%s was written", p) {
						os.Remove(p)
					}
				}
			})
			t.Run("network", func(t *testing.T) {
				res := run(t, "import socket\n"+
					try(fmt.Sprintf("socket.create_connection(('127.0.0.1', %d), timeout=1)", port))+
					try("socket.create_connection(('1.1.1.1', 80), timeout=1)")+extra)
				assert.NotContains(t, string(res.Stdout), "ESCAPED")
				select {
				case <-accepted:
					t.Error("the snippet connected to the caller's 127.0.0.1")
				default:
				}
			})
			t.Run("memory", func(t *testing.T) {
				res := run(t, "x = bytearray(8 << 30)\nprint('allocated')\n"+extra)
				assert.NotContains(t, string(res.Stdout), "allocated")
				assert.Equal(t, "MemoryError", res.Exception)
			})
			t.Run("dev shm", func(t *testing.T) {
				name := fmt.Sprintf("pyquiz-shm-%d-%s", me, mode)
				res := run(t, fmt.Sprintf(`n = 0
try:
    with open('/dev/shm/%s', 'wb') as f:
        for i in range(1024):
            f.write(b'x' * (1 << 20))
            n += 1
except Exception as e:
    print('contained', type(e).__name__)
print('MiB', n)
`, name)+extra)
				out := string(res.Stdout)
				assert.Contains(t, out, "contained")
				var n int
				fmt.Sscanf(out[strings.Index(out, "MiB"):], "MiB %d", &n)
				assert.LessOrEqual(t, n, 64, out)
				_, err := os.Stat("/dev/shm/" + name)
				assert.True(t, os.IsNotExist(err), "the caller's /dev/shm was written")
				// The next run finds /dev/shm and /tmp empty again.
				res = run(t, "import os\nprint(os.listdir('/dev/shm'), os.listdir('/tmp'))\n"+extra)
				assert.Equal(t, "[] ['pyquiz-run-", string(res.Stdout)[:len("[] ['pyquiz-run-")])
			})
			t.Run("processes outlive the run", func(t *testing.T) {
				marker := fmt.Sprintf("pyquiz-survivor-%d-%s", me, mode)
				res := run(t, fmt.Sprintf(`import os, subprocess, sys, time
sleeper = [sys.executable, '-c', 'import time; time.sleep(300)', '%s']
subprocess.Popen(sleeper, start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, sleeper)
    os._exit(0)
n = 0
for i in range(200):
    try:
        if os.fork() == 0:
            time.sleep(300)
            os._exit(0)
        n += 1
    except OSError:
        break
print('forked', n)
`, marker)+extra)
				out := string(res.Stdout)
				require.Contains(t, out, "forked", "%+v %s", res, res.Stderr)
				var n int
				fmt.Sscanf(out[strings.Index(out, "forked"):], "forked %d", &n)
				assert.Less(t, n, MaxProcesses, "the process limit did not hold")
				// The next run on the same server starts only when the last
				// one's processes are dead.
				run(t, "print(1)\n"+extra)
				assert.Empty(t, survivors(marker))
			})
			t.Run("a setsid grandchild holds stdout", func(t *testing.T) {
				marker := fmt.Sprintf("pyquiz-holder-%d-%s", me, mode)
				start := time.Now()
				res := runOn(t, short, fmt.Sprintf(`import subprocess, sys
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)', '%s'], start_new_session=True)
print('parent done')
`, marker)+extra)
				assert.Less(t, time.Since(start), 2*time.Second, "waited on the grandchild's pipe")
				assert.Equal(t, "parent done\n", string(res.Stdout))
				assert.False(t, res.TimedOut)

				start = time.Now()
				res = runOn(t, short, fmt.Sprintf(`import signal, subprocess, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
subprocess.Popen([sys.executable, '-c', 'import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(300)', '%s'], start_new_session=True)
print('looping', flush=True)
while True:
    time.sleep(0.01)
`, marker)+extra)
				assert.True(t, res.TimedOut)
				assert.Less(t, time.Since(start), WallLimit(short.Limits.Timeout)+killGrace+hardDeadline, "the time-out is not a hard deadline")
				assert.Equal(t, "looping\n", string(res.Stdout))
				runOn(t, short, "print(1)\n"+extra)
				assert.Empty(t, survivors(marker))
			})
		})
	}
}

// TestInterruptStopsAHoldout wants a cancelled run (Ctrl-C, SIGTERM) to
// return at once, whatever the snippet ignores or holds, and nothing of it
// to survive the runner.
func TestInterruptStopsAHoldout(t *testing.T) {
	r, py := sandboxed(t, Limits{Timeout: 60 * time.Second})
	marker := fmt.Sprintf("pyquiz-interrupt-%d", os.Getpid())
	for mode, extra := range modes {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		start := time.Now()
		_, err := runIn(ctx, r, py, fmt.Sprintf(`import signal, subprocess, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)', '%s'], start_new_session=True)
while True:
    time.sleep(0.01)
`, marker)+extra)
		cancel()
		assert.ErrorIs(t, err, context.DeadlineExceeded, mode)
		assert.Less(t, time.Since(start), 5*time.Second, mode)
	}
	r.Close()
	assert.Empty(t, survivors(marker))
}

// TestCallerFilesHidden wants the caller's files out of a snippet's sight:
// its home, its working folder (and the folders next to it), /var/tmp,
// /run; the interpreter's own installation stays readable.
func TestCallerFilesHidden(t *testing.T) {
	home, err := os.MkdirTemp("/var/tmp", "pyquiz-home-")
	if err != nil {
		t.Skipf("no /var/tmp to make a home in: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	require.NoError(t, os.Chmod(home, 0o755))
	secret := filepath.Join(home, "id_rsa")
	require.NoError(t, os.WriteFile(secret, []byte("hunter2-home-secret\n"), 0o644))
	t.Setenv("HOME", home) // read when the runner starts its first server
	r, py := sandboxed(t, Limits{Timeout: 30 * time.Second})
	cwd, err := os.Getwd()
	require.NoError(t, err)
	mine := filepath.Join(cwd, "contain_test.go")
	for mode, extra := range modes {
		t.Run(mode, func(t *testing.T) {
			res, err := runIn(context.Background(), r, py, fmt.Sprintf(`import os, sys
def peek(what, p):
    try:
        data = open(p, 'rb').read()
        print(what, 'READ', data[:40])
    except Exception as e:
        print(what, 'hidden', type(e).__name__)
def ls(what, p):
    try:
        print(what, 'LISTED', sorted(os.listdir(p)))
    except Exception as e:
        print(what, 'hidden', type(e).__name__)
peek('home', %q)
peek('cwd', %q)
ls('cwd-parent', %q)
ls('var-tmp', '/var/tmp')
ls('run', '/run')
print('prefix', os.path.isdir(sys.prefix) and len(os.listdir(sys.prefix)) > 0)
`, secret, mine, filepath.Dir(cwd))+extra)
			require.NoError(t, err)
			out := string(res.Stdout)
			assert.NotContains(t, out, "hunter2")
			assert.NotContains(t, out, "READ", out)
			assert.NotContains(t, out, "package pyrun")
			assert.NotContains(t, out, filepath.Base(home))
			assert.NotContains(t, out, "'pyrun'", "the folders next to the working folder are visible")
			assert.Contains(t, out, "prefix True", "%s %s", out, res.Stderr)
		})
	}
}

// TestRootOnlyFilesRefused: when pyquiz runs as root (CI, a container),
// a snippet must not run as root too: it reads only what everyone may
// read, so /etc/shadow and a root-only file under a visible system folder
// are refused.
func TestRootOnlyFilesRefused(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("not root: a snippet already has only the caller's permissions")
	}
	f, err := os.CreateTemp("/etc", "pyquiz-root-only-")
	if err != nil {
		t.Skipf("cannot make a root-only file in /etc: %v", err)
	}
	t.Cleanup(func() { os.Remove(f.Name()) })
	_, err = f.WriteString("hunter2-root-only\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.NoError(t, os.Chmod(f.Name(), 0o600))
	r, py := sandboxed(t, Limits{Timeout: 30 * time.Second})
	for mode, extra := range modes {
		t.Run(mode, func(t *testing.T) {
			res, err := runIn(context.Background(), r, py, fmt.Sprintf(`import os
for p in [%q, '/etc/shadow']:
    if os.path.exists(p):
        try:
            print(p, 'READ', open(p).read()[:20])
        except Exception as e:
            print(p, 'refused', type(e).__name__)
print('uid', os.getuid(), os.geteuid(), os.getgid(), os.getgroups())
`, f.Name())+extra)
			require.NoError(t, err)
			out := string(res.Stdout)
			assert.NotContains(t, out, "READ", "%s %s", out, res.Stderr)
			assert.NotContains(t, out, "hunter2")
			assert.Contains(t, out, f.Name()+" refused PermissionError", "%s %s", out, res.Stderr)
			assert.NotContains(t, out, "uid 0", "the snippet runs as root")
		})
	}
}

// TestServerOutOfReach: /dev/pyquiz (the fork server's script and the
// folder where a run leaves its exit status) and the fork server itself
// are out of a snippet's reach: it cannot ptrace or read the server, nor
// leave anything in /dev/pyquiz that changes the outcome of the next run
// on the same server.
func TestServerOutOfReach(t *testing.T) {
	r, py := sandboxed(t, Limits{Timeout: 10 * time.Second})
	for mode, extra := range modes {
		t.Run(mode, func(t *testing.T) {
			res, err := runIn(context.Background(), r, py, `import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
if libc.ptrace(16, 1, 0, 0) == 0:  # PTRACE_ATTACH to the server
    print('ATTACHED')
    os.waitpid(1, 0x40000000)  # __WALL
    libc.ptrace(17, 1, 0, 0)  # PTRACE_DETACH
else:
    print('ptrace refused', ctypes.get_errno())
for p in ['/proc/1/environ', '/proc/1/mem', '/proc/1/fd/3', '/proc/1/fd/4']:
    try:
        open(p, 'rb').read(1)
        print(p, 'READ')
    except Exception as e:
        print(p, 'refused', type(e).__name__)
try:
    open('/dev/pyquiz/pyquiz_driver.py', 'a').write('x')
    print('WROTE the driver')
except Exception as e:
    print('driver', 'refused', type(e).__name__)
`+extra)
			require.NoError(t, err)
			out := string(res.Stdout)
			assert.Contains(t, out, "ptrace refused", "%s %s", out, res.Stderr)
			assert.NotContains(t, out, "ATTACHED")
			assert.NotContains(t, out, "READ")
			assert.NotContains(t, out, "WROTE")
			for _, plant := range []string{"os.mkdir(p)", "os.mkfifo(p)", "open(p, 'w').write('KeyError\\n0')"} {
				res, err := runIn(context.Background(), r, py, fmt.Sprintf(`import os
n = 0
for d in ['/dev/pyquiz/run', '/dev/pyquiz', '/tmp']:
    for i in range(1, 300):
        p = os.path.join(d, 'status-%%d' %% i)
        try:
            %s
            n += 1
        except Exception:
            pass
print('planted', n > 0)
`, plant)+extra)
				require.NoError(t, err)
				assert.Contains(t, string(res.Stdout), "planted")
				start := time.Now()
				res, err = runIn(context.Background(), r, py, "print(1)\n"+extra)
				require.NoError(t, err)
				assert.Equal(t, "1\n", string(res.Stdout), "after %s: %s", plant, res.Stderr)
				assert.Empty(t, string(res.Stderr), plant)
				assert.Equal(t, "", res.Raised(), plant)
				assert.False(t, res.TimedOut, plant)
				assert.Less(t, time.Since(start), 5*time.Second, plant)
			}
		})
	}
}

// TestSummedMemoryBounded: --memory bounds each process, and, where a
// cgroup can be made, all of a sandbox's processes together: four children
// of 400 MB each under --memory 1GiB are stopped (out of memory) and the
// run ends, it does not hang. Forked and plain runs share their server's
// sandbox and its cgroup; the forked run is tried (touching 1.6 GB of
// memory takes a while on a loaded machine).
func TestSummedMemoryBounded(t *testing.T) {
	r, py := sandboxed(t, Limits{Timeout: 120 * time.Second, Memory: 1 << 30})
	if ok, why := r.Cgroups(); !ok {
		t.Skipf("no cgroup can be made here (%s): memory is bounded per process only", why)
	}
	res, err := r.Run(context.Background(), py, `import os, sys, time
pids = []
for i in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            b = b'x' * (400 << 20)
            time.sleep(1)
        except MemoryError:
            os._exit(3)
        os._exit(0)
    pids.append(pid)
ok = 0
for pid in pids:
    _, st = os.waitpid(pid, 0)
    ok += st == 0
print('children that held 400 MB to the end:', ok)
`, 0)
	require.NoError(t, err)
	out := string(res.Stdout)
	assert.Contains(t, out, "to the end:", "%s %s", out, res.Stderr)
	assert.NotContains(t, out, "to the end: 4", "%s %s", out, res.Stderr)
	assert.False(t, res.TimedOut)
	assert.True(t, res.OutOfMemory, "%s %s", out, res.Stderr)
	assert.Contains(t, string(res.Stderr), "pyquiz: out of memory")
	// The server is still usable.
	res, err = r.Run(context.Background(), py, "print(1)\n", 0)
	require.NoError(t, err)
	assert.Equal(t, "1\n", string(res.Stdout))
	// An interrupted run (Ctrl-C cancels verify's context), then Close:
	// no cgroup is left behind.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = r.Run(ctx, py, "import time\ntime.sleep(60)\n", 0)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotEmpty(t, sandbox.OwnGroups())
	require.NoError(t, r.Close())
	assert.Empty(t, sandbox.OwnGroups())
}
