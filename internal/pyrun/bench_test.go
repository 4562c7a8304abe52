//go:build unix

package pyrun

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time (user and system) this process and its reaped
// children have used.
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	return time.Duration(self.Utime.Nano() + self.Stime.Nano() + kids.Utime.Nano() + kids.Stime.Nano())
}

// BenchmarkRun times one run of print(1): a plain run, and a run forked
// from a warm fork server in its sandbox. cpu-ms/op is the CPU time of the
// run, the interpreter's processes included (the fork server's too: it is
// reaped when the runner closes), which a loaded machine does not inflate
// the way it does wall time.
func BenchmarkRun(b *testing.B) {
	pys := pythons(b)
	env := Env(os.Getenv)
	for _, py := range pys {
		b.Run("plain/"+py.Version.String(), func(b *testing.B) {
			start := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := RunPlain(context.Background(), py, env, "print(1)\n", Limits{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
		b.Run("shared/"+py.Version.String(), func(b *testing.B) {
			r := NewRunner(env, Limits{})
			r.RunShared(context.Background(), py, "print(1)\n", 0, "bench")
			b.ResetTimer()
			start := cpuTime()
			for i := 0; i < b.N; i++ {
				res, err := r.RunShared(context.Background(), py, "print(1)\n", 0, "bench")
				if err != nil || !res.Shared {
					b.Fatal(err, res.Shared)
				}
			}
			b.StopTimer()
			r.Close()
			b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
		b.Run("fast/"+py.Version.String(), func(b *testing.B) {
			r := NewRunner(env, Limits{})
			r.Run(context.Background(), py, "print(1)\n", 0)
			b.ResetTimer()
			start := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := r.Run(context.Background(), py, "print(1)\n", 0); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			r.Close()
			b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}
