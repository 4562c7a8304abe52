package verify

import (
	"context"
	"sync"
	"testing"

	"github.com/pyquiz/pyquiz/internal/pyrun"
)

var (
	discoverOnce sync.Once
	discovered   []pyrun.Interpreter
)

// testPythons returns the interpreters on this machine, or skips.
func testPythons(tb testing.TB) []pyrun.Interpreter {
	tb.Helper()
	discoverOnce.Do(func() {
		discovered, _ = pyrun.Discover(context.Background(), pyrun.DiscoverOptions{})
	})
	if len(discovered) == 0 {
		tb.Skip("no Python interpreter found on PATH or in pyenv")
	}
	return discovered
}
