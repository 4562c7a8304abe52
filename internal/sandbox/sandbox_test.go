package sandbox

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	Main()
	os.Exit(m.Run())
}

func TestProbe(t *testing.T) {
	level, why := Probe(Spec{})
	t.Logf("level %s: %s", level, why)
}
