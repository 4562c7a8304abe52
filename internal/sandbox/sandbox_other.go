//go:build !unix

package sandbox

import (
	"errors"
	"syscall"
)

// Neither namespaces nor resource limits here (Windows): a program runs as
// it is, with only the caller's time-out and output cap.
const supported = false

const unsupported = "no namespaces and no resource limits on this system; only the time limit and the output cap"

const reexec = false

func self() string { return "" }

func sysProcAttr(isolate bool) *syscall.SysProcAttr { return nil }

func setUp(spec *Spec) error { return errors.New("no sandbox on this system") }

func execProgram(spec *Spec) error { return errors.New("no sandbox on this system") }
