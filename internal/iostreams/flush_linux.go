//go:build linux

package iostreams

import "golang.org/x/sys/unix"

// flushInput throws away what was typed on the terminal fd and not read
// yet (tcflush(fd, TCIFLUSH)).
func flushInput(fd int) error { return unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCIFLUSH) }
