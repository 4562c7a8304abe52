//go:build unix

package pyrun

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// forkServers: a fork server (driver.py) needs fork(2).
const forkServers = true

// newGroup makes cmd's process the leader of a new process group, so that
// everything it starts can be signalled at once.
func newGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// killGroup sends SIGKILL to process group pgid.
func killGroup(pgid int) { syscall.Kill(-pgid, syscall.SIGKILL) }

// interruptGroup sends SIGINT to process group pgid.
func interruptGroup(pgid int) { syscall.Kill(-pgid, syscall.SIGINT) }

// sigkill is -exit code of a run killed by SIGKILL.
const sigkill = int(syscall.SIGKILL)

func exitCode(ps *os.ProcessState) int {
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -int(ws.Signal())
	}
	return ps.ExitCode()
}

// fileID is what identifies a file beyond its size and time: device and
// inode.
func fileID(fi os.FileInfo) string {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return "|" + itoa(uint64(st.Dev)) + "|" + itoa(uint64(st.Ino))
	}
	return ""
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
