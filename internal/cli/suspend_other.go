//go:build !linux

package cli

import "os"

// watchSuspend: Ctrl-Z is left to its default action outside Linux (see
// suspend_linux.go); a clock's scrolling region then stays set while the
// process is stopped.
func watchSuspend() (<-chan os.Signal, func()) { return nil, func() {} }

func suspendSelf() {}

func isStop(os.Signal) bool { return false }
