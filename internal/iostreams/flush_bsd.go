//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package iostreams

import "golang.org/x/sys/unix"

// flushInput throws away what was typed on the terminal fd and not read
// yet (ioctl TIOCFLUSH with FREAD, which is tcflush(fd, TCIFLUSH)).
func flushInput(fd int) error {
	const fread = 1
	return unix.IoctlSetPointerInt(fd, unix.TIOCFLUSH, fread)
}
