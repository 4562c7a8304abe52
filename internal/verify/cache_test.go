package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

func TestCacheRoundTrip(t *testing.T) {
	dir := t.TempDir()
	q := question("q", "print(1)", "", quiz.Outcome{Stdout: "1\n"})
	c, err := LoadCache(dir)
	require.NoError(t, err)
	require.Nil(t, c.VerifiedOn(q), "empty cache")
	rep := &Report{Results: []Result{
		{Question: "p/q", Python: "3.10.13", Status: OK, q: q},
		{Question: "p/q", Python: "2.7.18", Status: OK, q: q},
		{Question: "p/q", Python: "3.9.18", Status: Mismatch, q: q},
	}}
	c.Update(rep)
	require.NoError(t, c.Save())
	c2, err := LoadCache(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"2.7.18", "3.10.13"}, c2.VerifiedOn(q))
	// A later run on one version keeps the others; a failure removes one.
	c2.Update(&Report{Results: []Result{{Question: "p/q", Python: "2.7.18", Status: Error, q: q}, {Question: "p/q", Python: "3.12.1", Status: OK, q: q}}})
	assert.Equal(t, []string{"3.10.13", "3.12.1"}, c2.VerifiedOn(q))
	// A changed snippet is not verified.
	changed := question("q", "print(2)", "", quiz.Outcome{Stdout: "1\n"})
	assert.Nil(t, c2.VerifiedOn(changed), "changed code")
}
