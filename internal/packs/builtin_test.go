package packs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/questions"
)

// TestLoadParsedBuiltin checks that loading the built-in packs from their
// generated parse gives what parsing their YAML gives: the same library,
// files and problems.
func TestLoadParsedBuiltin(t *testing.T) {
	want, err := packs.Load(packs.Options{Builtin: questions.FS})
	require.NoError(t, err)
	got, err := packs.Load(packs.Options{Builtin: questions.FS, Parsed: questions.Parsed})
	require.NoError(t, err)
	require.NotEmpty(t, got.Library.Packs)
	assert.Equal(t, want, got)
}

// BenchmarkLoadBuiltin is the in-process part of pyquiz's start-up
// (PRODUCT.md section 10): loading the built-in packs, from their YAML and
// from the parse generated ahead of time (questions/parsed.go).
func BenchmarkLoadBuiltin(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts packs.Options
	}{
		{"yaml", packs.Options{Builtin: questions.FS}},
		{"parsed", packs.Options{Builtin: questions.FS, Parsed: questions.Parsed}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := packs.Load(bc.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
