package verify

import (
	"reflect"
	"testing"

	"github.com/pyquiz/pyquiz/quiz"
)

func TestCacheRoundTrip(t *testing.T) {
	dir := t.TempDir()
	q := question("q", "print(1)", "", quiz.Outcome{Stdout: "1\n"})
	c, err := LoadCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.VerifiedOn(q); got != nil {
		t.Fatalf("empty cache: got %v", got)
	}
	rep := &Report{Results: []Result{
		{Question: "p/q", Python: "3.10.13", Status: OK, q: q},
		{Question: "p/q", Python: "2.7.18", Status: OK, q: q},
		{Question: "p/q", Python: "3.9.18", Status: Mismatch, q: q},
	}}
	c.Update(rep)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c2, err := LoadCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c2.VerifiedOn(q), []string{"2.7.18", "3.10.13"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// A later run on one version keeps the others; a failure removes one.
	c2.Update(&Report{Results: []Result{{Question: "p/q", Python: "2.7.18", Status: Error, q: q}, {Question: "p/q", Python: "3.12.1", Status: OK, q: q}}})
	if got, want := c2.VerifiedOn(q), []string{"3.10.13", "3.12.1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// A changed snippet is not verified.
	changed := question("q", "print(2)", "", quiz.Outcome{Stdout: "1\n"})
	if got := c2.VerifiedOn(changed); got != nil {
		t.Errorf("changed code: got %v, want nil", got)
	}
}
