package pyrun

import (
	"context"
	"os"
	"testing"
)

func BenchmarkRun(b *testing.B) {
	pys := pythons(b)
	env := Env(os.Getenv)
	for _, py := range pys {
		b.Run("plain/"+py.Version.String(), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := RunPlain(context.Background(), py, env, "print(1)\n", Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("fast/"+py.Version.String(), func(b *testing.B) {
			r := NewRunner(env, Limits{})
			defer r.Close()
			r.Run(context.Background(), py, "print(1)\n", 0)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := r.Run(context.Background(), py, "print(1)\n", 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
