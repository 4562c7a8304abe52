//go:build !linux

package main

import (
	"errors"
	"os"
)

func openPty(rows, cols int) (master, slave *os.File, err error) {
	return nil, nil, errors.New("pty: only on Linux")
}

func resizePty(master *os.File, rows, cols int) error { return errors.New("pty: only on Linux") }
