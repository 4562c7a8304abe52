//go:build unix

package packs

import "syscall"

// openFlags opens a pack without blocking, so a FIFO swapped in after the
// Stat cannot hang the open; the Stat of the open file then refuses it.
const openFlags = syscall.O_NONBLOCK
