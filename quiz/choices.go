package quiz

import (
	"fmt"
	"sort"
	"strings"
)

// MaxDistractors caps the wrong choices AsChoices offers.
const MaxDistractors = 5

// AsChoices turns an output question asked on Python v into a single-choice
// question for a learner who is not ready to type exact output: the right
// output among the likely wrong ones, which are the outputs its feedback is
// written for and what the snippet prints on other Python versions. ok is
// false (and q is left as it is) when there are fewer than two such
// distractors: a choice between two is a coin toss, not a question.
//
// The new question keeps q's id, pack, code, explanation, hints and
// scoring; ChoicesOf points back to q. Its feedback is keyed by the new
// letters. Its prompt names v when the key depends on the version, since
// other versions' outputs are among the choices.
func AsChoices(q *Question, v Version) (*Question, bool) {
	if q.Type != Output {
		return q, false
	}
	key := KeyFor(q, v)
	if len(key.Texts) == 0 {
		return q, false
	}
	right := key.Texts[0]
	seen := map[string]bool{NormalizeOutput(right): true}
	var wrong []string
	add := func(s string) {
		n := NormalizeOutput(s)
		if n == "" || seen[n] {
			return
		}
		seen[n] = true
		wrong = append(wrong, strings.TrimRight(s, "\n"))
	}
	keys := make([]string, 0, len(q.Feedback))
	for k := range q.Feedback {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		add(k)
	}
	for _, o := range q.Expect {
		add(OutcomeAnswer(o))
	}
	if len(wrong) < 2 {
		return q, false
	}
	if len(wrong) > MaxDistractors {
		wrong = wrong[:MaxDistractors]
	}
	c := *q
	c.Type = Single
	c.ChoicesOf = q
	c.Choices = append([]string{strings.TrimRight(right, "\n")}, wrong...)
	c.Answer = Answer{Choices: []int{0}, Set: true}
	c.Feedback = nil
	for i, text := range c.Choices {
		for k, f := range q.Feedback {
			if SameOutput(k, text) {
				if c.Feedback == nil {
					c.Feedback = map[string]string{}
				}
				c.Feedback[Letter(i)] = f
			}
		}
	}
	if !q.Answer.Set {
		p := strings.TrimSpace(q.Prompt)
		if p == "" {
			p = "What does this print?"
		}
		if w, rest, ok := strings.Cut(p, " "); ok && (w == "What" || w == "Which") {
			p = strings.ToLower(w) + " " + rest
			c.Prompt = fmt.Sprintf("On Python %s, %s", v, p)
		} else {
			c.Prompt = fmt.Sprintf("On Python %s: %s", v, p)
		}
	}
	return &c, true
}
