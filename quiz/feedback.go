package quiz

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// deadFeedback warns about feedback keyed on a right answer: FeedbackFor
// only speaks to wrong answers, so such an entry is never shown, and the
// wrong answer it was meant for usually has none.
//
// An output question whose key comes from its expect outcomes is judged per
// version: a key that is right on Python 3 but wrong on 2.7 is exactly the
// feedback a `--python 2.7` learner typing the Python 3 answer needs, so it
// is only dead when it is right on every version the question is asked on.
func (l *loader) deadFeedback(q *Question, v *yaml.Node) {
	if v == nil || v.Kind != yaml.MappingNode || len(q.Feedback) == 0 {
		return
	}
	versions := askedVersions(q)
	for i := 0; i+1 < len(v.Content); i += 2 {
		k := resolve(v.Content[i])
		if k.Kind != yaml.ScalarNode {
			continue
		}
		right, where := rightEverywhere(q, k.Value, versions)
		if !right {
			continue
		}
		l.warnf(k, "feedback %q is keyed on the right answer%s, so it is never shown; key it on a tempting wrong answer", k.Value, where)
	}
}

// askedVersions lists the versions an output question without an answer
// can be asked on (allowed, with an outcome); nil for every other question,
// whose key does not depend on the version.
func askedVersions(q *Question) []Version {
	if q.Type != Output || q.Answer.Set {
		return nil
	}
	var vs []Version
	for _, v := range KnownVersions() {
		if _, ok := q.OutcomeFor(v); ok && q.Allows(v) {
			vs = append(vs, v)
		}
	}
	return vs
}

// rightEverywhere reports whether the feedback key names a right answer on
// every version in versions (or, when versions is nil, the question's one
// key), and words where for the message.
func rightEverywhere(q *Question, key string, versions []Version) (bool, string) {
	switch q.Type {
	case Single, Multi:
		i := LetterIndex(key)
		for _, c := range q.Answer.Choices {
			if c == i {
				return true, ""
			}
		}
		return false, ""
	case TrueFalse:
		k := strings.ToLower(key)
		return q.Answer.Set && (k == "true") == q.Answer.Bool, ""
	case Short:
		return q.Answer.Set && IsCorrect(q, q.Answer, Response{Text: key}), ""
	}
	r := Response{Text: key}
	if versions == nil {
		return q.Answer.Set && IsCorrect(q, q.Answer, r), ""
	}
	if len(versions) == 0 {
		return false, ""
	}
	for _, v := range versions {
		if !IsCorrect(q, KeyFor(q, v), r) {
			return false, ""
		}
	}
	if len(q.Expect) > 1 {
		return true, " on every version it is asked about"
	}
	return true, ""
}
