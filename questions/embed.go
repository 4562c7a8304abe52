// Package questions carries pyquiz's built-in packs inside the binary.
package questions

import "embed"

// FS holds the built-in pack files (*.yaml) at its root.
//
//go:embed *.yaml
var FS embed.FS
