package sandbox

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	Main()
	os.Exit(m.Run())
}

// TestSandboxFromInside looks around from inside the sandbox with a shell.
func TestSandboxFromInside(t *testing.T) {
	if level, why := Probe(Spec{}); level != LevelNamespaces {
		t.Skipf("namespaces refused here: %s", why)
	}
	script := `
touch /etc/pyquiz-probe 2>/dev/null && echo WROTE-ETC
echo ok > /tmp/x && echo tmp-writable
echo ok > /dev/shm/x && echo shm-writable
echo ok > /dev/pyquiz/run/x && echo scratch-writable
echo ok > /dev/pyquiz/x 2>/dev/null && echo WROTE-DEV
cat /dev/pyquiz/driver.py
grep '^Cap\(Eff\|Prm\|Bnd\)' /proc/self/status
ls /proc | grep -c '^[0-9]'
ls /dev | tr '\n' ' '
echo
grep -E '^Max (address space|file size|open files|processes)' /proc/self/limits | tr -s ' '
hostname
`
	cmd, err := Command(Spec{Path: "/bin/sh", Args: []string{"sh", "-c", script}, Env: []string{"PATH=/usr/bin:/bin"},
		Dir: "/tmp", Isolate: true, Files: map[string][]byte{"driver.py": []byte("print('driver')\n")}, Scratch: []string{"run"},
		Limits: Limits{AddressSpace: 1 << 30, FileSize: 64 << 20, OpenFiles: 256, Processes: 64}})
	require.NoError(t, err)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	got := string(out)
	for _, want := range []string{"tmp-writable", "shm-writable", "scratch-writable", "print('driver')",
		"CapPrm:\t0000000000000000", "CapEff:\t0000000000000000", "CapBnd:\t0000000000000000",
		"fd full null pyquiz random shm stderr stdin stdout urandom zero", "Max file size 67108864 67108864 bytes", "Max processes 64 64 processes", "Max open files 256 256 files", "Max address space 1073741824 1073741824 bytes", "pyquiz-sandbox"} {
		assert.Contains(t, got, want)
	}
	assert.NotContains(t, got, "WROTE")
	// The shell, ls and grep: no other process is visible.
	assert.Contains(t, got, "\n3\n")
	_, err = os.Stat("/etc/pyquiz-probe")
	assert.True(t, os.IsNotExist(err))
	assert.False(t, strings.Contains(got, "Permission denied") && strings.Contains(got, "/dev/null"), got)
}
