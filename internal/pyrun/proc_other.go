//go:build !unix

package pyrun

import (
	"os"
	"os/exec"
)

// forkServers: there is no fork(2) here; every run is a plain run.
const forkServers = false

func newGroup(cmd *exec.Cmd) {}

func killGroup(pgid int) {
	if p, err := os.FindProcess(pgid); err == nil {
		p.Kill()
	}
}

// interruptGroup: no SIGINT to send to another process; the run is killed
// after the grace time instead.
func interruptGroup(pgid int) {}

const sigkill = 9

func exitCode(ps *os.ProcessState) int {
	if ps == nil {
		return -1
	}
	return ps.ExitCode()
}

func fileID(fi os.FileInfo) string { return "" }
