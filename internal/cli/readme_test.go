package cli

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

// TestReadmeExamplePack keeps the README's pack example honest: it must
// load without a single problem, warnings included.
func TestReadmeExamplePack(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(readme, -1)
	require.NotEmpty(t, blocks, "README has no yaml example")
	p, probs := quiz.Parse("README.md", blocks[0][1])
	require.Empty(t, probs, "README example pack has problems")
	require.NotNil(t, p)
	assert.Equal(t, "[1, 2]\n", p.Questions[0].Expect[0].Stdout, "README example expect")
}
