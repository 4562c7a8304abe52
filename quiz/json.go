package quiz

// QuestionJSON is a question in the stable JSON shape of `list questions
// --json` (PRODUCT.md section 12): every field of the pack format, plus the
// pack id and the full id.
type QuestionJSON struct {
	ID            string            `json:"id"`
	Pack          string            `json:"pack"`
	Type          Type              `json:"type"`
	Prompt        string            `json:"prompt"`
	Code          string            `json:"code,omitempty"`
	Choices       []string          `json:"choices,omitempty"`
	Answer        any               `json:"answer,omitempty"`
	CaseSensitive *bool             `json:"case_sensitive,omitempty"`
	Explanation   string            `json:"explanation,omitempty"`
	Feedback      map[string]string `json:"feedback,omitempty"`
	Hints         []string          `json:"hints,omitempty"`
	Tags          []string          `json:"tags"`
	Difficulty    Difficulty        `json:"difficulty"`
	Points        float64           `json:"points"`
	Python        string            `json:"python,omitempty"`
	Expect        []OutcomeJSON     `json:"expect,omitempty"`
	Source        string            `json:"source,omitempty"`
}

// OutcomeJSON is one expect outcome in JSON.
type OutcomeJSON struct {
	Python string `json:"python,omitempty"`
	Stdout string `json:"stdout"`
	Raises string `json:"raises,omitempty"`
}

// JSON returns the question in its JSON shape. The answer takes the form
// the pack format gives it: "b", "a,c", true, the output text, or the list
// of accepted short answers.
func (q *Question) JSON() QuestionJSON {
	j := QuestionJSON{
		ID: q.FullID(), Pack: q.PackID, Type: q.Type, Prompt: q.Prompt, Code: q.Code,
		Choices: q.Choices, Explanation: q.Explanation, Feedback: q.Feedback, Hints: q.Hints,
		Tags: q.Tags, Difficulty: q.Difficulty, Points: q.Points, Python: q.Python.String(),
		Source: q.Source,
	}
	if j.Tags == nil {
		j.Tags = []string{}
	}
	if q.Answer.Set {
		j.Answer = q.Answer.Key(q.Type)
	}
	if q.Type == Short {
		cs := q.CaseSensitive
		j.CaseSensitive = &cs
	}
	for _, o := range q.Expect {
		j.Expect = append(j.Expect, OutcomeJSON{Python: o.Python.String(), Stdout: o.Stdout, Raises: o.Raises})
	}
	return j
}

// Key returns the answer as the pack format writes it.
func (a Answer) Key(t Type) any {
	switch t {
	case Single, Multi:
		return Letters(a.Choices)
	case TrueFalse:
		return a.Bool
	case Output:
		if len(a.Texts) > 0 {
			return a.Texts[0]
		}
		return ""
	}
	return a.Texts
}
