package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/questions"
)

// exampleQuestionRefs finds the question ids an example names: the value
// of --question, the argument of show, and "question" in a JSON body.
var exampleQuestionRefs = []*regexp.Regexp{
	regexp.MustCompile(`--question[ =]([a-z0-9/-]+)`),
	regexp.MustCompile(`pyquiz show ([a-z0-9][a-z0-9/-]*)`),
	regexp.MustCompile(`"question":\s*"([a-z0-9/-]+)"`),
}

// TestExamplesNameRealQuestions copies what a user does: they paste an
// example from --help or the README. Every built-in question id an example
// names must exist, or the example fails with "no question".
func TestExamplesNameRealQuestions(t *testing.T) {
	res, err := packs.Load(packs.Options{Builtin: questions.FS})
	require.NoError(t, err)
	lib := res.Library

	var texts []struct{ where, text string }
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		texts = append(texts, struct{ where, text string }{c.CommandPath() + " --help", c.Example})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRootCmd(NewFactory()))
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	for _, block := range regexp.MustCompile("(?s)```(?:sh|bash|console)?\n(.*?)```").FindAllSubmatch(readme, -1) {
		texts = append(texts, struct{ where, text string }{"README.md", string(block[1])})
	}

	checked := 0
	for _, tx := range texts {
		for _, re := range exampleQuestionRefs {
			for _, m := range re.FindAllStringSubmatch(tx.text, -1) {
				id := m[1]
				if pack, _, full := strings.Cut(id, "/"); full && lib.Pack(pack) == nil {
					continue // a question of the user's own pack
				}
				checked++
				_, err := lib.Question(id)
				assert.NoError(t, err, "%s names question %q", tx.where, id)
			}
		}
	}
	assert.Positive(t, checked, "no example names a built-in question")
}
