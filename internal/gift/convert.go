package gift

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/pyquiz/pyquiz/quiz"
)

// Note is something of the GIFT file that the pack does not hold as Moodle
// does: a question left out, or part of one.
type Note struct {
	Line    int
	Skipped bool // the whole question was left out
	Message string
}

func (n Note) String() string { return fmt.Sprintf("line %d: %s", n.Line, n.Message) }

// ImportOptions name the pack Import builds.
type ImportOptions struct {
	File   string // the GIFT file, for the pack's title and description
	PackID string // "" for the id in the file's pyquiz header or from File
}

// Import reads a GIFT file and builds a pack from the questions pyquiz can
// hold. Notes list, by line, every question or part of one left out. The
// error is for a file Moodle refuses as a whole (not UTF-8) or that holds
// no question pyquiz can use.
func Import(data []byte, opts ImportOptions) (*quiz.Pack, []Note, error) {
	qs, probs, err := Read(data)
	if err != nil {
		return nil, nil, err
	}
	c := &converter{ids: map[string]bool{}}
	for _, p := range probs {
		c.skip(p.Line, "Moodle rejects this block: %s", p.Message)
	}
	pack := &quiz.Pack{Format: quiz.FormatVersion, HintPenalty: quiz.DefaultHintPenalty}
	base := strings.TrimSuffix(filepath.Base(opts.File), filepath.Ext(opts.File))
	base = strings.TrimSuffix(base, ".gift")
	pack.ID = slug(base, 40)
	pack.Title = strings.TrimSpace(base)
	pack.Version = "1.0.0"
	pack.Description = fmt.Sprintf("Imported from %s by pyquiz import.", filepath.Base(opts.File))
	c.pack = pack
	for _, q := range qs {
		c.header(q)
	}
	if opts.PackID != "" {
		pack.ID = opts.PackID
	}
	if pack.ID == "" {
		pack.ID = "imported"
	}
	if pack.Title == "" {
		pack.Title = pack.ID
	}
	for _, q := range qs {
		c.question(q)
	}
	sort.SliceStable(c.notes, func(i, j int) bool { return c.notes[i].Line < c.notes[j].Line })
	if len(pack.Questions) == 0 {
		return pack, c.notes, fmt.Errorf("no question in the file is one pyquiz can hold (multiple choice, true/false or short answer)")
	}
	return pack, c.notes, nil
}

type converter struct {
	pack     *quiz.Pack
	category []string
	ids      map[string]bool
	notes    []Note
	n        int
	// headerSeen is set by the first pyquiz-pack comment.
	headerSeen bool
}

func (c *converter) note(line int, format string, args ...any) {
	c.notes = append(c.notes, Note{Line: line, Message: fmt.Sprintf(format, args...)})
}

func (c *converter) skip(line int, format string, args ...any) {
	c.notes = append(c.notes, Note{Line: line, Skipped: true, Message: fmt.Sprintf(format, args...)})
}

// packHeader is the comment pyquiz export writes before a pack's questions
// ("// pyquiz-pack: {...}"), so a round trip keeps the header.
type packHeader struct {
	ID          string   `json:"id"`
	Title       string   `json:"title,omitempty"`
	Version     string   `json:"version,omitempty"`
	Description string   `json:"description,omitempty"`
	Authors     []string `json:"authors,omitempty"`
	License     string   `json:"license,omitempty"`
	Python      string   `json:"python,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	HintPenalty *float64 `json:"hint_penalty,omitempty"`
}

// extra is the comment pyquiz export writes above a question ("// pyquiz:
// {...}") for what GIFT cannot say; Moodle ignores it.
type extra struct {
	Type          quiz.Type          `json:"type,omitempty"`
	Difficulty    quiz.Difficulty    `json:"difficulty,omitempty"`
	Points        float64            `json:"points,omitempty"`
	Hints         []string           `json:"hints,omitempty"`
	Python        string             `json:"python,omitempty"`
	Expect        []quiz.OutcomeJSON `json:"expect,omitempty"`
	CaseSensitive *bool              `json:"case_sensitive,omitempty"`
	Source        string             `json:"source,omitempty"`
	Answer        *string            `json:"answer,omitempty"` // output: the exact text
	Prompt        string             `json:"prompt,omitempty"` // output: the prompt before "On Python X, "
}

const (
	headerPrefix = "pyquiz-pack:"
	extraPrefix  = "pyquiz:"
)

// header applies the first "// pyquiz-pack: {...}" comment of the file.
func (c *converter) header(q *Question) {
	for _, cm := range q.Comments {
		rest, ok := strings.CutPrefix(cm, headerPrefix)
		if !ok || c.headerSeen {
			continue
		}
		var h packHeader
		if err := json.Unmarshal([]byte(rest), &h); err != nil || !quizID(h.ID) {
			c.note(q.Line, "the pyquiz-pack comment does not name a pack; ignored")
			continue
		}
		c.headerSeen = true
		p := c.pack
		p.ID, p.Title, p.Version, p.Description = h.ID, h.Title, h.Version, h.Description
		p.Authors, p.License, p.Tags = h.Authors, h.License, h.Tags
		if cons, err := quiz.ParseConstraint(h.Python); err == nil {
			p.Python = cons
		}
		if h.HintPenalty != nil && *h.HintPenalty >= 0 && *h.HintPenalty <= 1 {
			p.HintPenalty = *h.HintPenalty
		}
	}
}

func quizID(s string) bool { return s != "" && slug(s, 200) == s }

// question converts one block.
func (c *converter) question(q *Question) {
	switch q.Kind {
	case Category:
		c.category = categoryTags(q.Category, c.pack.ID)
		return
	case Description:
		c.skip(q.Line, "a description (text without a question) has no place in a pack")
		return
	case Essay:
		c.skip(q.Line, "an essay question (graded by hand) has no pyquiz type")
		return
	case Numerical:
		c.skip(q.Line, "a numerical question (a number with a tolerance or range) has no pyquiz type")
		return
	case Match:
		c.skip(q.Line, "a matching question has no pyquiz type")
		return
	}
	c.n++
	out := &quiz.Question{PackID: c.pack.ID, Points: 1, CaseSensitive: true, Python: c.pack.Python}
	out.Prompt, out.Code = plainText(q.Text, true)
	var explain []string
	if g, _ := plainText(q.General, false); g != "" {
		explain = append(explain, g)
	}
	var ok bool
	switch q.Kind {
	case MultiChoice:
		ok = c.choices(q, out, &explain)
	case TrueFalse:
		out.Type = quiz.TrueFalse
		out.Answer = quiz.Answer{Bool: q.Correct, Set: true}
		right, wrong := q.TrueFB, q.FalseFB
		if !q.Correct {
			right, wrong = wrong, right
		}
		if t, _ := plainText(wrong, false); t != "" {
			out.Feedback = map[string]string{fmt.Sprint(!q.Correct): t}
		}
		if t, _ := plainText(right, false); t != "" {
			explain = append(explain, t)
		}
		ok = true
	case ShortAnswer:
		ok = c.short(q, out, &explain)
	}
	if !ok {
		return
	}
	if strings.TrimSpace(out.Prompt) == "" {
		if out.Code == "" {
			c.skip(q.Line, "the question has no text")
			return
		}
		out.Prompt = "What does this code do?"
	}
	out.Explanation = strings.Join(explain, "\n\n")
	out.Tags = appendUnique(nil, c.category...)
	for _, t := range q.Tags {
		out.Tags = appendUnique(out.Tags, slug(t, 40))
	}
	c.extra(q, out)
	out.ID = c.uniqueID(q, out)
	c.pack.Questions = append(c.pack.Questions, out)
}

func (c *converter) choices(q *Question, out *quiz.Question, explain *[]string) bool {
	seen := map[string]int{}
	var full, positive []int
	for i, a := range q.Answers {
		text, _ := plainText(a.Text, false)
		if text == "" {
			c.skip(q.Line, "answer %d is empty once its formatting is taken out", i+1)
			return false
		}
		if j, dup := seen[text]; dup {
			c.skip(q.Line, "answers %d and %d read the same (%q); a pack needs distinct choices", j+1, i+1, text)
			return false
		}
		seen[text] = i
		out.Choices = append(out.Choices, text)
		if a.Fraction >= 0.999 {
			full = append(full, i)
		}
		if a.Fraction > 0 {
			positive = append(positive, i)
		}
	}
	if len(out.Choices) > 26 {
		c.skip(q.Line, "%d answers; a pyquiz question has at most 26", len(out.Choices))
		return false
	}
	right := full
	if q.Single {
		out.Type = quiz.Single
		if len(full) != 1 {
			c.skip(q.Line, "a one-answer question with %d full-credit answers (any one of them right) has no pyquiz type", len(full))
			return false
		}
		for i, a := range q.Answers {
			if a.Fraction != 0 && a.Fraction < 0.999 {
				c.note(q.Line, "answer %s gives %s credit in Moodle; pyquiz scores a single-choice question all or nothing", quiz.Letter(i), percent(a.Fraction))
			}
		}
	} else {
		out.Type = quiz.Multi
		right = positive
		if len(right) == 0 {
			c.skip(q.Line, "a multiple-answer question with no answer worth credit")
			return false
		}
		cr, wr := 1/float64(len(right)), -1/float64(len(q.Answers)-len(right))
		var differ []string
		for i, a := range q.Answers {
			want := wr
			if a.Fraction > 0 {
				want = cr
			}
			if math.Abs(a.Fraction-want) > 0.0005 {
				differ = append(differ, fmt.Sprintf("%s %s", quiz.Letter(i), percent(a.Fraction)))
			}
		}
		if len(differ) > 0 {
			c.note(q.Line, "Moodle's weights (%s) differ from pyquiz's rule for multi (each right pick +%s, each wrong pick %s); pyquiz's rule applies",
				strings.Join(differ, ", "), percent(cr), percent(wr))
		}
	}
	out.Answer = quiz.Answer{Choices: right, Set: true}
	for i, a := range q.Answers {
		fb, _ := plainText(a.Feedback, false)
		if fb == "" {
			continue
		}
		if contains(right, i) {
			*explain = append(*explain, fmt.Sprintf("%s: %s", out.Choices[i], fb))
			continue
		}
		if out.Feedback == nil {
			out.Feedback = map[string]string{}
		}
		out.Feedback[quiz.Letter(i)] = fb
	}
	return true
}

func (c *converter) short(q *Question, out *quiz.Question, explain *[]string) bool {
	out.Type = quiz.Short
	out.CaseSensitive = false // Moodle's short answers ignore case unless set in its editor
	var wildcard []string
	for i, a := range q.Answers {
		text, _ := plainText(a.Text, false)
		fb, _ := plainText(a.Feedback, false)
		// In a Moodle short answer * matches anything and \* is a star.
		// pyquiz has no wildcard: "*manually*" is taken as "manually",
		// what a learner would type, and a lone * (any other answer) goes.
		if strings.Contains(strings.ReplaceAll(text, `\*`, ""), "*") {
			bare := phpTrim(strings.Trim(text, "*"))
			if bare != "" && !strings.Contains(strings.ReplaceAll(bare, `\*`, ""), "*") {
				wildcard = append(wildcard, fmt.Sprintf("%q is taken as %q", text, strings.ReplaceAll(bare, `\*`, "*")))
				text = bare
			} else if bare == "" {
				if fb != "" {
					c.note(q.Line, "the feedback for any other answer (*) has no place in a pack: %q", fb)
				}
				continue
			} else {
				wildcard = append(wildcard, fmt.Sprintf("%q is compared as written", text))
			}
		}
		text = strings.ReplaceAll(text, `\*`, "*")
		switch {
		case text == "":
			c.note(q.Line, "answer %d is empty", i+1)
		case a.Fraction >= 0.999:
			if !containsStr(out.Answer.Texts, text) {
				out.Answer.Texts = append(out.Answer.Texts, text)
			}
			if fb != "" {
				*explain = append(*explain, fb)
			}
		case a.Fraction > 0:
			c.note(q.Line, "answer %q gives %s credit in Moodle; pyquiz has no partial credit for short answers, so it is left out", text, percent(a.Fraction))
		default:
			if fb != "" {
				if out.Feedback == nil {
					out.Feedback = map[string]string{}
				}
				out.Feedback[text] = fb
			}
		}
	}
	if len(out.Answer.Texts) == 0 {
		c.skip(q.Line, "a short-answer question with no full-credit answer")
		return false
	}
	if len(wildcard) > 0 {
		c.note(q.Line, "pyquiz has no * wildcard: %s", strings.Join(wildcard, ", "))
	}
	out.Answer.Set = true
	return true
}

// extra applies the "// pyquiz: {...}" comment that pyquiz export writes.
func (c *converter) extra(q *Question, out *quiz.Question) {
	for _, cm := range q.Comments {
		rest, ok := strings.CutPrefix(cm, extraPrefix)
		if !ok {
			continue
		}
		var x extra
		if err := json.Unmarshal([]byte(rest), &x); err != nil {
			c.note(q.Line, "the pyquiz comment is not valid JSON (%v); ignored", err)
			return
		}
		if x.Type == quiz.Output && out.Type == quiz.Short && out.Code != "" {
			out.Type = quiz.Output
			out.CaseSensitive = true
			out.Answer = quiz.Answer{}
			if x.Answer != nil {
				out.Answer = quiz.Answer{Texts: []string{*x.Answer}, Set: true}
			}
			if x.Prompt != "" {
				out.Prompt = x.Prompt
			}
		}
		if x.Difficulty != "" {
			out.Difficulty = x.Difficulty
		}
		if x.Points > 0 {
			out.Points = x.Points
		}
		out.Hints = x.Hints
		if cons, err := quiz.ParseConstraint(x.Python); err == nil {
			out.Python = cons
		}
		if out.Code != "" {
			for _, o := range x.Expect {
				oc := quiz.Outcome{Stdout: o.Stdout, Raises: o.Raises}
				oc.Python, _ = quiz.ParseConstraint(o.Python)
				out.Expect = append(out.Expect, oc)
			}
		}
		if x.CaseSensitive != nil && out.Type == quiz.Short {
			out.CaseSensitive = *x.CaseSensitive
		}
		out.Source = x.Source
	}
}

func (c *converter) uniqueID(q *Question, out *quiz.Question) string {
	id := slug(q.IDNumber, 60)
	if id == "" {
		id = slug(q.Name, 60)
	}
	if id == "" {
		id = slug(out.Prompt, 40)
	}
	if id == "" {
		id = fmt.Sprintf("q%d", c.n)
	}
	base := id
	for i := 2; c.ids[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	c.ids[id] = true
	return id
}

// categoryTags turns "$course$/top/Python/Loops" into [python loops]: the
// context, "top" and "Default for ..." say nothing about the questions,
// and neither does a category named like the pack.
func categoryTags(path, packID string) []string {
	var tags []string
	for i, seg := range strings.Split(path, "/") {
		seg = strings.TrimSpace(seg)
		if i == 0 && strings.HasPrefix(seg, "$") && strings.HasSuffix(seg, "$") {
			continue
		}
		if seg == "" || seg == "top" || strings.HasPrefix(seg, "Default for ") {
			continue
		}
		if t := slug(seg, 40); t != "" && t != packID {
			tags = appendUnique(tags, t)
		}
	}
	return tags
}

var fold = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "æ", "ae", "ç", "c",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "í", "i", "ì", "i", "î", "i", "ï", "i",
	"ñ", "n", "ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o", "ø", "o", "œ", "oe",
	"ß", "ss", "ú", "u", "ù", "u", "û", "u", "ü", "u", "ý", "y", "ÿ", "y",
)

// slug makes an id of pyquiz's form [a-z0-9][a-z0-9-]* from any text, at
// most n bytes, cut at a dash where it can be.
func slug(s string, n int) string {
	s = fold.Replace(strings.ToLower(s))
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	out := b.String()
	if len(out) > n {
		out = out[:n]
		if i := strings.LastIndexByte(out, '-'); i > n/2 {
			out = out[:i]
		}
		out = strings.TrimRight(out, "-")
	}
	return out
}

func percent(f float64) string {
	s := fmt.Sprintf("%.5f", f*100)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

func appendUnique(list []string, items ...string) []string {
	for _, it := range items {
		if it != "" && !containsStr(list, it) {
			list = append(list, it)
		}
	}
	return list
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func contains(list []int, i int) bool {
	for _, x := range list {
		if x == i {
			return true
		}
	}
	return false
}
