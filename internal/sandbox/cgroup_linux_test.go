package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

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
	for _, parent := range []string{cgRoot.memory, cgRoot.pids} {
		if parent != "" {
			require.NoError(t, os.Mkdir(filepath.Join(parent, stale), 0o755))
		}
	}
	sweep(cgRoot)
	for _, parent := range []string{cgRoot.memory, cgRoot.pids} {
		if parent != "" {
			_, err := os.Stat(filepath.Join(parent, stale))
			assert.True(t, os.IsNotExist(err), "%s left", filepath.Join(parent, stale))
		}
	}
}
