package grade

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

// benchClass is a pack of nq questions (single, multi, truefalse, output,
// short in turn) and a CSV of n students answering them, each right with a
// chance that grows with the student's ability, some answers blank.
func benchClass(tb testing.TB, nq, n int) (*quiz.Pack, []byte) {
	tb.Helper()
	var pk strings.Builder
	pk.WriteString("format: 1\npack:\n  id: bench\n  title: Bench\n  version: 1.0.0\nquestions:\n")
	for j := 0; j < nq; j++ {
		fmt.Fprintf(&pk, "  - id: q%d\n    prompt: Question %d?\n", j, j)
		switch j % 5 {
		case 0:
			pk.WriteString("    type: single\n    choices: [w, x, y, z]\n    answer: b\n")
		case 1:
			pk.WriteString("    type: multi\n    choices: [w, x, y, z, v]\n    answer: a,c\n")
		case 2:
			pk.WriteString("    type: truefalse\n    answer: true\n")
		case 3:
			pk.WriteString("    type: output\n    code: print(1)\n    answer: \"True\\nFalse\\n\"\n")
		default:
			pk.WriteString("    type: short\n    answer: [yield]\n    case_sensitive: false\n")
		}
	}
	p, probs := quiz.Parse("bench.yaml", []byte(pk.String()))
	require.Empty(tb, probs.Errors())
	right := []string{"b", "a,c", "true", "True False", "Yield"}
	wrong := []string{"c", "a,b", "false", "True", "return"}
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString("student")
	for j := 0; j < nq; j++ {
		fmt.Fprintf(&b, ",q%d", j)
	}
	b.WriteByte('\n')
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "student-%05d", i)
		ability := rng.Float64()
		for j := 0; j < nq; j++ {
			b.WriteByte(',')
			switch r := rng.Float64(); {
			case r < 0.03:
			case r < ability:
				b.WriteString(csvQuote(right[j%5]))
			default:
				b.WriteString(csvQuote(wrong[j%5]))
			}
		}
		b.WriteByte('\n')
	}
	return p, b.Bytes()
}

func csvQuote(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// BenchmarkGradeCSV grades 10,000 CSV sheets of 50 questions end to end,
// as `pyquiz grade` does: read the file, score every answer, analyse the
// items, write the report (issue 9: under 0.5 s; PRODUCT.md section 10:
// under 1 s). Run it with GOMEMLIMIT=64MiB to match the binary, which
// sets that soft limit (cli.Main).
func BenchmarkGradeCSV(b *testing.B) {
	p, data := benchClass(b, 50, 10_000)
	path := filepath.Join(b.TempDir(), "class.csv")
	require.NoError(b, os.WriteFile(path, data, 0o644))
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r := GradePaths(p, []string{path}, Options{Rules: quiz.DefaultRules, Pass: DefaultPass})
				require.Len(b, r.Sheets, 10_000)
				require.Empty(b, r.Problems)
				require.NoError(b, r.Write(io.Discard, f, WriteOptions{}))
			}
		})
	}
}
