package quiz

import (
	"fmt"
	"slices"
	"strings"
)

// MultiRule says how a multi question with some right and some wrong picks
// is scored.
type MultiRule int

const (
	// Partial gives points * max(0, R/C - W/(N-C)) for R right and W wrong
	// picks out of C correct choices among N.
	Partial MultiRule = iota
	// AllOrNothing gives the points only for exactly the right set.
	AllOrNothing
)

// ParseMultiRule reads "partial" or "all-or-nothing".
func ParseMultiRule(s string) (MultiRule, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "partial", "":
		return Partial, nil
	case "all-or-nothing", "strict", "all":
		return AllOrNothing, nil
	}
	return Partial, fmt.Errorf("unknown multi rule %q (want partial or all-or-nothing)", s)
}

func (m MultiRule) String() string {
	if m == AllOrNothing {
		return "all-or-nothing"
	}
	return "partial"
}

// Rules are the scoring rules of a session or a grading run.
type Rules struct {
	Multi MultiRule
	// Penalty is the share of a question's points lost for a wrong answer
	// (negative marking, 0..1). A skipped or timed-out question never loses points.
	Penalty float64
	// HintPenalty is the share of the points each hint costs; a negative
	// value means "the pack's setting" (Pack.HintPenalty).
	HintPenalty float64
}

// DefaultRules are partial credit for multi, no negative marking and the
// pack's hint penalty.
var DefaultRules = Rules{Multi: Partial, HintPenalty: -1}

// Score grades response r to question q against key, with hints hints used.
// max is the question's points; earned is what r is worth: the points (or
// the multi share of them) lowered by the hint penalty, or minus
// Penalty*points for a wrong answer. correct is true only for a full match.
//
// pack may be nil; it supplies the hint penalty when rules.HintPenalty < 0.
func Score(q *Question, pack *Pack, key Answer, r Response, hints int, rules Rules) (earned, max float64, correct bool) {
	max = q.Points
	correct = IsCorrect(q, key, r)
	frac := 0.0
	switch {
	case correct:
		frac = 1
	case q.Type == Multi && rules.Multi == Partial:
		frac = multiShare(len(q.Choices), key.Choices, r.Choices)
	}
	if frac == 0 {
		return -rules.Penalty * max, max, false
	}
	return frac * max * HintFactor(pack.ForQuestion(q), hints, rules), max, correct
}

// ForQuestion is the pack whose settings apply to q: p itself, or for a
// pack that combines several (Combine) a pack carrying the hint penalty
// of q's own pack. p may be nil.
func (p *Pack) ForQuestion(q *Question) *Pack {
	if p == nil || p.HintPenalties == nil {
		return p
	}
	hp, ok := p.HintPenalties[q.PackID]
	if !ok {
		return p
	}
	return &Pack{ID: q.PackID, HintPenalty: hp}
}

// Combine is one pack holding questions qs drawn from packs (by id): the
// pack itself when they all come from one, else a pack whose id is the
// packs' ids joined by commas in order of first use, titled title, in
// which each question keeps its own pack's hint penalty. The questions
// are qs, in their order.
func Combine(title string, qs []*Question, packs map[string]*Pack) *Pack {
	var ids []string
	seen := map[string]bool{}
	for _, q := range qs {
		if !seen[q.PackID] {
			seen[q.PackID] = true
			ids = append(ids, q.PackID)
		}
	}
	p := &Pack{ID: strings.Join(ids, ","), Title: title, HintPenalty: DefaultHintPenalty, Questions: qs}
	if len(ids) == 1 {
		if pk := packs[ids[0]]; pk != nil {
			p.Version, p.HintPenalty = pk.Version, pk.HintPenalty
		}
		return p
	}
	p.HintPenalties = map[string]float64{}
	for _, id := range ids {
		if pk := packs[id]; pk != nil {
			p.HintPenalties[id] = pk.HintPenalty
		}
	}
	return p
}

// HintFactor is what share of a question's points is left after hints.
func HintFactor(pack *Pack, hints int, rules Rules) float64 {
	hp := rules.HintPenalty
	if hp < 0 {
		hp = DefaultHintPenalty
		if pack != nil {
			hp = pack.HintPenalty
		}
	}
	f := 1 - float64(hints)*hp
	if f < 0 {
		return 0
	}
	return f
}

// multiShare is max(0, R/C - W/(N-C)); the W term is 0 when N = C.
func multiShare(n int, key, picked []int) float64 {
	c := len(key)
	if c == 0 {
		return 0
	}
	right, wrong := 0, 0
	for _, p := range picked {
		if slices.Contains(key, p) {
			right++
		} else {
			wrong++
		}
	}
	share := float64(right) / float64(c)
	if n > c {
		share -= float64(wrong) / float64(n-c)
	}
	if share < 0 {
		return 0
	}
	return share
}

// FeedbackFor returns the pack's feedback for what r chose: the feedback of
// the letter picked (single), of every wrong pick (multi), of "true" or
// "false", or of the text given (compared like answers).
func FeedbackFor(q *Question, key Answer, r Response) []string {
	if len(q.Feedback) == 0 {
		return nil
	}
	var out []string
	switch q.Type {
	case Single, Multi:
		in := map[int]bool{}
		for _, k := range key.Choices {
			in[k] = true
		}
		for _, c := range r.Choices {
			if q.Type == Multi && in[c] {
				continue
			}
			if f, ok := q.Feedback[Letter(c)]; ok {
				out = append(out, f)
			}
		}
	case TrueFalse:
		if f, ok := q.Feedback[r.Given(q)]; ok {
			out = append(out, f)
		}
	default:
		for k, f := range q.Feedback {
			a, b := NormalizeOutput(k), NormalizeOutput(r.Text)
			if a == b || (q.Type == Output || !q.CaseSensitive) && strings.EqualFold(a, b) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}
