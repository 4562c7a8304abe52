// Package questions carries pyquiz's built-in packs inside the binary.
package questions

import (
	"crypto/sha256"
	"embed"

	"github.com/pyquiz/pyquiz/quiz"
)

// FS holds the built-in pack files (*.yaml) at its root.
//
//go:embed *.yaml
var FS embed.FS

//go:generate go run gen.go

// parsedFile is one built-in pack file as parsed ahead of time (parsed.go).
type parsedFile struct {
	name  string   // as the loader names it: builtin:classes.yaml
	sum   [32]byte // SHA-256 of the content parsed
	parse func() (*quiz.Pack, quiz.Problems)
}

// Parsed returns what quiz.Parse(name, data) returns for a built-in pack
// file, from Go code generated from the file (parsed.go): building the
// values costs a fraction of a millisecond, parsing the YAML of every
// built-in pack 20-30 ms, most of pyquiz's start-up. Each call returns new
// values, as Parse does. ok is false when name is not a built-in file as
// the pack loader names it ("builtin:classes.yaml") or data is not the
// content the code was generated from (a file edited since): the caller
// parses it then, so the YAML files stay the only source.
func Parsed(name string, data []byte) (pack *quiz.Pack, probs quiz.Problems, ok bool) {
	for _, f := range parsedFiles {
		if f.name == name {
			if sha256.Sum256(data) != f.sum {
				return nil, nil, false
			}
			pack, probs = f.parse()
			return pack, probs, true
		}
	}
	return nil, nil, false
}

// constraint is a Python constraint of the generated code, which the
// loader has already accepted.
func constraint(s string) quiz.Constraint {
	c, err := quiz.ParseConstraint(s)
	if err != nil {
		panic("questions: generated constraint " + s + ": " + err.Error())
	}
	return c
}
