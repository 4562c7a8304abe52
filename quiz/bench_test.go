package quiz_test

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/pyquiz/pyquiz/quiz"
)

var (
	bigOnce sync.Once
	bigPack []byte
)

// bigPackData is a 10,000-question pack mixing every question type.
func bigPackData() []byte {
	bigOnce.Do(func() {
		var b strings.Builder
		b.WriteString("format: 1\npack:\n  id: big\n  title: Big\n  version: 1.0.0\n  python: \">=3.6\"\nquestions:\n")
		for i := 0; i < 10000; i++ {
			switch i % 4 {
			case 0:
				fmt.Fprintf(&b, `  - id: q%d
    type: single
    prompt: Which method runs first when object %d is created?
    choices: [__create__, __new__, __init__, __del__]
    answer: b
    explanation: |
      __new__ builds the instance and __init__ receives it afterwards.
    feedback: {c: "__init__ gets self, so the object already exists"}
    hints: ["Which one returns the object?"]
    tags: [objects, dunder]
    difficulty: easy
`, i, i)
			case 1:
				fmt.Fprintf(&b, `  - id: q%d
    type: output
    prompt: What does this print?
    code: |
      def f(x, acc=[]):
          acc += x
          return acc
      f('a')
      print(f('b%d'))
    expect:
      - {python: "<3.8", stdout: "['a', 'b', '%d']\n"}
      - {python: ">=3.8", stdout: "['a', 'b', '%d']\n"}
    explanation: The default list is created once and shared.
    tags: [defaults]
    difficulty: medium
`, i, i%10, i%10, i%10)
			case 2:
				fmt.Fprintf(&b, `  - id: q%d
    type: multi
    prompt: Which of these are mutable?
    choices: [list, tuple, dict, frozenset, bytearray]
    answer: a,c,e
    explanation: Lists, dicts and bytearrays change in place.
    tags: [types]
    difficulty: hard
    hints: ["Can you append to it?"]
    points: 2
`, i)
			case 3:
				fmt.Fprintf(&b, `  - id: q%d
    type: short
    prompt: Which statement rebinds a variable of an enclosing function?
    answer: [nonlocal, the nonlocal statement]
    case_sensitive: false
    explanation: nonlocal makes the name refer to the enclosing scope.
    tags: [scope]
    difficulty: medium
`, i)
			}
		}
		bigPack = []byte(b.String())
	})
	return bigPack
}

// BenchmarkParse10k loads and validates a 10,000-question pack.
// Compare with BenchmarkYAMLDecode10k: the target is within 1.5x.
func BenchmarkParse10k(b *testing.B) {
	data := bigPackData()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, probs := quiz.Parse("big.yaml", data)
		if len(probs) > 0 || p == nil || len(p.Questions) != 10000 {
			b.Fatalf("want 10000 questions without problems; problems: %v", probs)
		}
	}
}

// BenchmarkYAMLDecode10k is the bare YAML decode of the same file into
// generic Go values, the baseline for BenchmarkParse10k.
func BenchmarkYAMLDecode10k(b *testing.B) {
	data := bigPackData()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v map[string]any
		if err := yaml.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse10kLiveHeap reports the heap a loaded 10,000-question pack
// keeps (target: under 100 MB), measured after a GC with the pack alive.
func BenchmarkParse10kLiveHeap(b *testing.B) {
	data := bigPackData()
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		p, _ := quiz.Parse("big.yaml", data)
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(p)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "live-MB")
}

var bigPackOut = flag.String("bigpack", "", "write the 10,000-question benchmark pack to this file (scripts/bench-load.sh)")

// TestWriteBigPack writes the benchmark pack when -bigpack is given, so a
// script can measure the real binary on it.
func TestWriteBigPack(t *testing.T) {
	if *bigPackOut == "" {
		t.Skip("no -bigpack file given")
	}
	if err := os.WriteFile(*bigPackOut, bigPackData(), 0o644); err != nil {
		t.Fatal(err)
	}
}
