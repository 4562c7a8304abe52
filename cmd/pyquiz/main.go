// Command pyquiz is a terminal trainer and grader for Python knowledge.
package main

import (
	"os"

	"github.com/pyquiz/pyquiz/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
