//go:build !linux

package main

import (
	"errors"
	"os"
)

func openPty(rows, cols int) (master, slave *os.File, err error) {
	return nil, nil, errors.New("pty: only on Linux")
}
