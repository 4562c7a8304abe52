//go:build unix

package iostreams

import "golang.org/x/sys/unix"

// IsForeground tells whether the process's group owns stdout's terminal
// (true when stdout is not a terminal). After a job is continued in the
// background (bg) it does not: what it draws on the terminal would land
// in the shell's line.
func (s *IOStreams) IsForeground() bool {
	if s.outFd < 0 {
		return true
	}
	pg, err := unix.IoctlGetInt(s.outFd, unix.TIOCGPGRP)
	return err != nil || pg == unix.Getpgrp()
}
