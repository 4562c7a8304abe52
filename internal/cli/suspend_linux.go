package cli

import (
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// watchSuspend catches Ctrl-Z (SIGTSTP) and SIGCONT for a quiz session,
// so that the loop can give the terminal back (the ticking clock's
// scrolling region and its row) before the process stops, and draw them
// again once it runs in the foreground again.
// The loop reads the channel at its prompt; a Ctrl-Z typed while it prints
// waits there for a few milliseconds.
func watchSuspend() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, syscall.SIGTSTP, syscall.SIGCONT)
	return ch, func() { signal.Stop(ch) }
}

// isStop tells Ctrl-Z from SIGCONT.
func isStop(sig os.Signal) bool { return sig == syscall.SIGTSTP }

// suspendSelf stops the process as an uncaught Ctrl-Z would, and returns
// once it is continued (fg, bg, SIGCONT). Go keeps its own handler for a
// signal once it has been caught, so for the moment of the stop the
// default action is put back by hand and the signal raised on this thread
// alone (it is then taken when the tgkill call returns, before anything
// else runs here); the saved handler is restored after. In a process group
// that no shell controls (an orphaned one) the kernel discards the stop,
// as it does for any Ctrl-Z there, and this returns at once.
func suspendSelf() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// The kernel's struct sigaction, whose layout differs by architecture,
	// is only saved and restored here: all zeros is SIG_DFL on every one.
	var dfl, old [8]uint64
	if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(syscall.SIGTSTP), uintptr(unsafe.Pointer(&dfl)), uintptr(unsafe.Pointer(&old)), 8, 0, 0); e != 0 {
		return
	}
	unix.Tgkill(unix.Getpid(), unix.Gettid(), syscall.SIGTSTP)
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(syscall.SIGTSTP), uintptr(unsafe.Pointer(&old)), 0, 8, 0, 0)
}
