package quiz

import (
	"math/rand/v2"
	"strings"
)

// Filter chooses questions for a session. Zero fields choose everything.
type Filter struct {
	Tags         []string     // any of these tags (case-insensitive)
	Difficulties []Difficulty // any of these difficulties
	// Python keeps the questions valid on this version, and among output
	// questions without a written answer, those with an outcome for it.
	Python *Version
}

// Select returns the questions of qs that pass f, in their order. Questions
// that cannot be asked at all (an output question without a key for any
// version) are left out too.
func Select(qs []*Question, f Filter) []*Question {
	var out []*Question
	for _, q := range qs {
		if len(f.Tags) > 0 && !hasAnyTag(q, f.Tags) {
			continue
		}
		if len(f.Difficulties) > 0 && !hasDifficulty(q, f.Difficulties) {
			continue
		}
		if _, ok := AskVersion(q, f.Python); !ok {
			continue
		}
		out = append(out, q)
	}
	return out
}

func hasAnyTag(q *Question, tags []string) bool {
	for _, t := range tags {
		if q.HasTag(t) {
			return true
		}
	}
	return false
}

func hasDifficulty(q *Question, ds []Difficulty) bool {
	for _, d := range ds {
		if strings.EqualFold(string(q.Difficulty), string(d)) {
			return true
		}
	}
	return false
}

// newRand is the session's random source: PCG seeded from one number, so
// a seed gives the same order on every platform and Go release that keeps
// math/rand/v2's PCG stable (it is specified, unlike math/rand's source).
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Pick orders qs for a session and keeps at most n of them (n <= 0: all).
// With shuffle the order is a permutation drawn from seed; without, the
// order of qs. The input slice is not changed.
func Pick(qs []*Question, n int, shuffle bool, seed uint64) []*Question {
	out := append([]*Question(nil), qs...)
	if shuffle {
		r := newRand(seed)
		r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	if n > 0 && n < len(out) {
		out = out[:n]
	}
	return out
}
