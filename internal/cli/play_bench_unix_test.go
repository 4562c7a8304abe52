//go:build unix

package cli

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkPlayFirstQuestion is the in-process part of `pyquiz play` with
// the built-in packs (PRODUCT.md section 10: the first question under
// 50 ms from a cold start; scripts/bench-startup.sh times the process):
// load the packs, choose the questions, open the progress database, record
// the session, show the first question and, stdin being at its end, end
// the session. cpu-ms/op is the process's CPU time per run, which a loaded
// machine inflates less than the wall time (two commits of the session
// wait for the disk).
func BenchmarkPlayFirstQuestion(b *testing.B) {
	home := b.TempDir()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Format(time.RFC3339)
	start := processCPU()
	for b.Loop() {
		out := benchRun(b, home, now, "", "play", "--seed", "1")
		if !strings.Contains(out, "Question 1/") {
			b.Fatalf("no question:\n%s", out)
		}
	}
	b.ReportMetric(float64(processCPU()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
