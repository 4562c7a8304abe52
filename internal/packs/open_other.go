//go:build !unix

package packs

// openFlags: no O_NONBLOCK here; the Stat before opening refuses a FIFO.
const openFlags = 0
