//go:build !unix

package iostreams

// IsForeground: without job control a process is always in the foreground.
func (s *IOStreams) IsForeground() bool { return true }
