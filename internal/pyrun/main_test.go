package pyrun

import (
	"os"
	"testing"

	"github.com/pyquiz/pyquiz/internal/sandbox"
)

// TestMain lets the test binary be the sandbox helper the runner starts.
func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}
