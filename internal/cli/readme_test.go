package cli

import (
	"os"
	"regexp"
	"testing"

	"github.com/pyquiz/pyquiz/quiz"
)

// TestReadmeExamplePack keeps the README's pack example honest: it must
// load without a single problem, warnings included.
func TestReadmeExamplePack(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) == 0 {
		t.Fatal("README has no yaml example")
	}
	p, probs := quiz.Parse("README.md", blocks[0][1])
	if p == nil || len(probs) > 0 {
		t.Fatalf("README example pack has problems:\n%v", probs)
	}
	if p.Questions[0].Expect[0].Stdout != "[1, 2]\n" {
		t.Errorf("README example expect = %q", p.Questions[0].Expect[0].Stdout)
	}
}
