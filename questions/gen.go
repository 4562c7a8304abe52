//go:build ignore

// gen writes parsed.go, the built-in packs as parsed Go values; see
// internal/packs/packgen. Run it with `go generate ./questions` after
// editing a pack file or the pack loader (TestParsedIsFresh says when).
package main

import (
	"log"
	"os"

	"github.com/pyquiz/pyquiz/internal/packs/packgen"
)

func main() {
	src, err := packgen.Generate(".")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("parsed.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
