//go:build !linux

package sandbox

import (
	"errors"
	"os"
	"syscall"
)

const supported = false

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
		n := min(x.n, cur.Max)
		syscall.Setrlimit(x.res, &syscall.Rlimit{Cur: n, Max: n})
	}
	return syscall.Exec(spec.Path, spec.Args, spec.Env)
}
