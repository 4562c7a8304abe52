package pyrun

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
// processes keep every CPU busy makes its main process wait for a CPU as
// a loaded machine does; that wait is its own doing, so it is charged and
// the run times out close to its limit, not at the wall-clock backstop
// (3x the limit plus 10 s). Forked and plain runs, with the CPU read from
// the sandbox's cgroup and from its process tree.
func TestTimeoutChargesARunsOwnLoad(t *testing.T) {
	if _, err := os.Stat("/proc/self/schedstat"); err != nil {
		t.Skip("no /proc/PID/schedstat here: the time limit is a wall clock")
	}
	snippets := map[string]string{
		// Threads that hash a large buffer, which releases the GIL, the
		// main one too, all on one CPU.
		"threads": `import hashlib, os, threading
os.sched_setaffinity(0, [min(os.sched_getaffinity(0))])
data = b'x' * (16 << 20)
def spin():
    while True:
        hashlib.sha256(data).digest()
threading.stack_size(1 << 20)
for _ in range(16):
    threading.Thread(target=spin, daemon=True).start()
print('started', flush=True)
spin()
`,
		// Busy children on every CPU, and a busy main process.
		"processes": fmt.Sprintf(`import os
for _ in range(%d):
    if os.fork() == 0:
        while True:
            pass
print('started', flush=True)
while True:
    pass
`, min(12*runtime.NumCPU(), 100)),
	}
	for _, cg := range []string{"cgroup", "process tree"} {
		t.Run(cg, func(t *testing.T) {
			r, py := sandboxed(t, Limits{Timeout: time.Second})
			if cg == "process tree" {
				r = NewRunner(Env(os.Getenv), Limits{Timeout: time.Second})
				r.NoCgroups = true
				t.Cleanup(func() { r.Close() })
			} else if ok, why := r.Cgroups(); !ok {
				t.Skipf("no cgroup here (%s)", why)
			}
			for mode, extra := range modes {
				for kind, code := range snippets {
					t.Run(mode+"/"+kind, func(t *testing.T) {
						res, err := r.Run(context.Background(), py, code+extra, 0)
						require.NoError(t, err)
						t.Logf("timed out after %v", res.Duration)
						assert.True(t, res.TimedOut, "%s %s", res.Stdout, res.Stderr)
						assert.Equal(t, "started\n", string(res.Stdout))
						assert.Less(t, res.Duration, WallLimit(r.Limits.Timeout)/2, "a run that keeps the CPUs busy itself is charged for it")
					})
				}
			}
		})
	}
}
