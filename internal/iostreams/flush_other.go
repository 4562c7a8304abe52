//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package iostreams

import "errors"

func flushInput(fd int) error { return errors.ErrUnsupported }
