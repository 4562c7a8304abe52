package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGroupBoundsASandbox: a sandbox put in a Group counts against it,
// Close removes it, and a group left by a pyquiz that was killed is swept
// away by the next one.
func TestGroupBoundsASandbox(t *testing.T) {
	if ok, why := Cgroups(); !ok {
		t.Skipf("no cgroup can be made here: %s", why)
	}
	g, err := NewGroup(256<<20, 16)
	require.NoError(t, err)
	require.Len(t, OwnGroups(), len(g.dirs))
	// The shell sees its own cgroups; 20 background sleeps pass the limit
	// of 16 processes.
	script := `cat /proc/self/cgroup; for i in $(seq 20); do sleep 5 >/dev/null 2>&1 & done; wait; echo done`
	cmd, err := Command(Spec{Path: "/bin/sh", Args: []string{"sh", "-c", script}, Env: []string{"PATH=/usr/bin:/bin"},
		Dir: "/", Cgroups: g.Procs()})
	require.NoError(t, err)
	out, _ := cmd.CombinedOutput() // sh gives up when it cannot fork
	for _, d := range g.dirs {
		assert.Contains(t, string(out), "/"+filepath.Base(d)+"\n", "not in %s", d)
	}
	assert.Contains(t, string(out), "fork", "the process limit did not hold: %s", out)
	assert.NotContains(t, string(out), "done")
	require.NoError(t, g.Close())
	assert.Empty(t, OwnGroups())

	// A dead pyquiz's group.
	stale := fmt.Sprintf("%s%d-1", cgPrefix, 1<<30) // no such pid
	for _, parent := range cgRoot.parents() {
		require.NoError(t, os.Mkdir(filepath.Join(parent, stale), 0o755))
	}
	sweep(cgRoot)
	for _, parent := range cgRoot.parents() {
		_, err := os.Stat(filepath.Join(parent, stale))
		assert.True(t, os.IsNotExist(err), "%s left", filepath.Join(parent, stale))
	}
}

// TestGroupCountsCPU: the CPU time a group reports holds what its
// processes used, one that has ended included.
func TestGroupCountsCPU(t *testing.T) {
	if ok, why := Cgroups(); !ok {
		t.Skipf("no cgroup can be made here: %s", why)
	}
	g, err := NewGroup(256<<20, 16)
	require.NoError(t, err)
	defer g.Close()
	if _, ok := g.CPU(); !ok {
		t.Skip("no CPU accounting in this cgroup hierarchy")
	}
	cmd, err := Command(Spec{Path: "/bin/sh", Args: []string{"sh", "-c", `i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done`},
		Env: []string{"PATH=/usr/bin:/bin"}, Dir: "/", Cgroups: g.Procs()})
	require.NoError(t, err)
	require.NoError(t, cmd.Run())
	used := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	require.Greater(t, used, 50*time.Millisecond, "the loop is too short to measure")
	got, ok := g.CPU()
	require.True(t, ok)
	// The helper that set the sandbox up counts too; the kernel's tick
	// sampling of the process's own time may differ by a few ticks.
	assert.GreaterOrEqual(t, got, used-30*time.Millisecond)
	assert.Less(t, got, used+time.Second)
}
