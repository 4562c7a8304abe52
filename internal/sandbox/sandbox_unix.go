//go:build unix && !linux

package sandbox

import (
	"errors"
	"os"
	"syscall"
)

const supported = false

const unsupported = "namespaces are Linux-only; resource limits only"

// reexec: the helper sets the limits in a re-executed copy of this binary.
const reexec = true

// self is this binary: there is no /proc/self/exe on every Unix.
func self() string {
	if p, err := os.Executable(); err == nil {
		return p
	}
	return os.Args[0]
}

func sysProcAttr(isolate bool) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: true}
}

func setUp(spec *Spec) error {
	if spec.Isolate {
		return errors.New("namespaces are Linux-only")
	}
	return nil
}

func execProgram(spec *Spec) error {
	if err := os.Chdir(spec.Dir); err != nil {
		return err
	}
	for _, x := range []struct {
		res int
		n   uint64
	}{
		{syscall.RLIMIT_AS, spec.Limits.AddressSpace},
		{syscall.RLIMIT_FSIZE, spec.Limits.FileSize},
		{syscall.RLIMIT_NOFILE, spec.Limits.OpenFiles},
	} {
		var cur syscall.Rlimit
		if x.n == 0 || syscall.Getrlimit(x.res, &cur) != nil {
			continue
		}
		n := clamp(cur.Max, x.n)
		syscall.Setrlimit(x.res, &syscall.Rlimit{Cur: n, Max: n})
	}
	return syscall.Exec(spec.Path, spec.Args, spec.Env)
}

// clamp is n, or max when that is lower; Rlimit's fields are unsigned on
// some systems and signed on others.
func clamp[T int64 | uint64](max T, n uint64) T {
	if uint64(max) < n {
		return max
	}
	return T(n)
}
