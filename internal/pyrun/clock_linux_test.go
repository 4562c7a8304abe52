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
