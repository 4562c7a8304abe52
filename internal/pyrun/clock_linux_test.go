package pyrun

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/sandbox"
)

// TestTimeoutNotChargedForALoadedMachine: --timeout does not count the
// time a run waits for a CPU, so a snippet that needs 0.3 s of CPU ends
// normally under a 1 s limit on a machine kept busy by other processes;
// one that sleeps is still stopped at its limit.
func TestTimeoutNotChargedForALoadedMachine(t *testing.T) {
	if _, err := os.Stat("/proc/self/schedstat"); err != nil {
		t.Skip("no /proc/PID/schedstat here: the time limit is a wall clock")
	}
	r, py := sandboxed(t, Limits{Timeout: time.Second})
	r.Run(context.Background(), py, "print(1)\n", 0) // the server starts before the load
	r.Run(context.Background(), py, "print(1)\n# inspect\n", 0)
	for i := 0; i < 16; i++ {
		busy := exec.Command("/bin/sh", "-c", "while :; do :; done")
		// A session each: with autogroup scheduling, processes of one
		// session share a CPU share.
		busy.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		require.NoError(t, busy.Start())
		t.Cleanup(func() { busy.Process.Kill(); busy.Wait() })
	}
	for mode, extra := range modes {
		t.Run(mode, func(t *testing.T) {
			start := time.Now()
			res, err := r.Run(context.Background(), py, `import time
t = time.process_time()
while time.process_time() - t < 0.3:
    pass
print('done')
`+extra, 0)
			require.NoError(t, err)
			t.Logf("0.3 s of CPU took %v", time.Since(start))
			assert.False(t, res.TimedOut, "%s %s", res.Stdout, res.Stderr)
			assert.Equal(t, "done\n", string(res.Stdout))

			res, err = r.Run(context.Background(), py, "import time\nprint('sleeping', flush=True)\ntime.sleep(60)\n"+extra, 0)
			require.NoError(t, err)
			assert.True(t, res.TimedOut)
			assert.Equal(t, "sleeping\n", string(res.Stdout))
			assert.Less(t, res.Duration, r.Limits.Timeout+killGrace+hardDeadline, "a sleeping snippet is stopped at its limit")
		})
	}
}

// TestTimeoutChargesARunsOwnLoad: a snippet whose own threads or child
// processes keep the CPUs busy makes its main process wait for a CPU as a
// loaded machine does; that wait is its own doing, so it is charged, and
// the run is stopped by its time limit, not by the wall-clock backstop
// (3x the limit plus 10 s). Forked and plain runs, with the run's CPU time
// read from the sandbox's cgroup and from its process tree. The bound is
// the backstop itself (13 s), which the old clock always reached here:
// everything runs on one CPU, where the main process gets 1/33 of what the
// run gets or less, some 30 s to use 1 s; the new one needs the run to get
// 1 s of CPU, so a machine busy with other work makes it slower but does
// not make the test fail.
func TestTimeoutChargesARunsOwnLoad(t *testing.T) {
	if _, err := os.Stat("/proc/self/schedstat"); err != nil {
		t.Skip("no /proc/PID/schedstat here: the time limit is a wall clock")
	}
	// Each thread may reserve address space for a malloc arena of its
	// own: more than the default --memory for 32 of them.
	lim := Limits{Timeout: time.Second, Memory: 4 << 30}
	snippets := map[string]string{
		// Threads busy in C with the GIL released (a key derivation of
		// 10^9 rounds), and a main thread busy in Python.
		"threads": `import hashlib, os, threading
os.sched_setaffinity(0, [min(os.sched_getaffinity(0))])
go = threading.Event()
def spin():
    go.wait()
    hashlib.pbkdf2_hmac('sha256', b'key', b'salt', 10**9)
for _ in range(32):
    threading.Thread(target=spin, daemon=True).start()
print('started', flush=True)
go.set()
while True:
    pass
`,
		// Busy processes and a busy main process: one child forks the
		// others, so that the main process spends no time of its own on it.
		"processes": `import os
os.sched_setaffinity(0, [min(os.sched_getaffinity(0))])
if os.fork() == 0:
    for _ in range(63):
        if os.fork() == 0:
            break
    while True:
        pass
print('started', flush=True)
while True:
    pass
`,
	}
	// Children that each use 50 ms of CPU and end, reaped by the kernel
	// (SIGCHLD ignored), so that no process's stat keeps their time: only
	// a cgroup counts it.
	reaped := `import os, signal, time
os.sched_setaffinity(0, [min(os.sched_getaffinity(0))])
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
print('started', flush=True)
while True:
    try:
        if os.fork() == 0:
            t = time.process_time()
            while time.process_time() - t < 0.05:
                pass
            os._exit(0)
    except OSError:
        pass
`
	for _, cg := range []string{"cgroup", "process tree"} {
		t.Run(cg, func(t *testing.T) {
			r, py := sandboxed(t, lim)
			cases := map[string]string{}
			for kind, code := range snippets {
				cases[kind] = code
			}
			if cg == "process tree" {
				r = NewRunner(Env(os.Getenv), lim)
				r.NoCgroups = true
				t.Cleanup(func() { r.Close() })
			} else if ok, why := r.Cgroups(); !ok {
				t.Skipf("no cgroup here (%s)", why)
			} else {
				cases["reaped"] = reaped
			}
			for mode, extra := range modes {
				for kind, code := range cases {
					t.Run(mode+"/"+kind, func(t *testing.T) {
						res, err := r.Run(context.Background(), py, code+extra, 0)
						require.NoError(t, err)
						t.Logf("timed out after %v", res.Duration)
						assert.True(t, res.TimedOut, "%s %s", res.Stdout, res.Stderr)
						assert.Equal(t, "started\n", string(res.Stdout))
						assert.Less(t, res.Duration, WallLimit(r.Limits.Timeout), "stopped by the wall-clock backstop: the run's own use of the CPUs was not charged")
					})
				}
			}
		})
	}
}

// BenchmarkRunClock times what the run clock costs: starting it (every
// run pays that) and one poll (only runs near their limit are polled), by
// the cgroup's CPU accounting and by the process tree. The process timed
// is a shell in a sandbox of its own cgroup with one child.
func BenchmarkRunClock(b *testing.B) {
	g, err := sandbox.NewGroup(256<<20, 16)
	if err != nil {
		b.Skip(err)
	}
	defer g.Close()
	if _, ok := g.CPU(); !ok {
		b.Skip("no CPU accounting in this cgroup hierarchy")
	}
	cmd, err := sandbox.Command(sandbox.Spec{Path: "/bin/sh", Args: []string{"sh", "-c", "sleep 60 & wait"},
		Env: []string{"PATH=/usr/bin:/bin"}, Dir: "/", Cgroups: g.Procs()})
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	for newRunClock(cmd.Process.Pid, nil, time.Now()).main == 0 {
		time.Sleep(time.Millisecond) // until the child is there
	}
	for _, m := range []struct {
		name  string
		group *sandbox.Group
	}{{"cgroup", g}, {"tree", nil}} {
		b.Run("start/"+m.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				newRunClock(cmd.Process.Pid, m.group, time.Now())
			}
		})
		b.Run("poll/"+m.name, func(b *testing.B) {
			c := newRunClock(cmd.Process.Pid, m.group, time.Now())
			for i := 0; i < b.N; i++ {
				c.elapsed()
			}
		})
	}
}
