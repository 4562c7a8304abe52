// Package gift reads and writes Moodle's GIFT question format.
//
// Reading follows Moodle's own parser (question/format/gift/format.php and
// the blank-line splitting of question/format.php) step by step, quirks
// included, because a teacher's bank means what Moodle makes of it: lines
// are trimmed, blocks are separated by blank lines, "//" lines are comments,
// escapes become placeholders before the braces are looked for, and the
// question type is decided from the answer text in Moodle's order. Convert
// then turns what Moodle would hold into a pyquiz pack, and Write goes the
// other way.
package gift

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pyquiz/pyquiz/quiz"
)

// Kind is a Moodle question type as the GIFT reader decides it.
type Kind string

// The kinds Moodle's GIFT reader produces.
const (
	Category    Kind = "category"
	Description Kind = "description"
	Essay       Kind = "essay"
	Numerical   Kind = "numerical"
	MultiChoice Kind = "multichoice"
	Match       Kind = "match"
	TrueFalse   Kind = "truefalse"
	ShortAnswer Kind = "shortanswer"
)

// Format is a text format of Moodle: [moodle], [html], [plain], [markdown].
type Format string

// The four text formats GIFT can name.
const (
	FormatMoodle   Format = "moodle"
	FormatHTML     Format = "html"
	FormatPlain    Format = "plain"
	FormatMarkdown Format = "markdown"
)

// Text is a piece of question text with its format.
type Text struct {
	Text   string
	Format Format
}

// Answer is one answer of a multichoice or shortanswer question.
type Answer struct {
	Text     Text
	Fraction float64 // 1 for full credit, 0 for none, negative for a penalty
	Feedback Text
}

// Question is one block of a GIFT file as Moodle reads it.
type Question struct {
	Kind     Kind
	Line     int    // line of the block's first non-comment line
	Name     string // "" when the file gives none
	Text     Text   // question text, with "_____" where a missing word was
	General  Text   // general feedback (after ####)
	Single   bool   // multichoice: one answer may be picked
	Answers  []Answer
	Correct  bool // truefalse: the right answer
	TrueFB   Text // truefalse: feedback shown for the answer "true"
	FalseFB  Text // truefalse: feedback shown for the answer "false"
	IDNumber string
	Tags     []string
	Category string   // category: the path after $CATEGORY:
	Comments []string // the block's "//" lines, without the slashes
}

// Problem is a block Moodle refuses, with the reason Moodle gives.
type Problem struct {
	Line    int
	Message string
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Message) }

// ErrNotUTF8 is Moodle's refusal of a file in another encoding.
type ErrNotUTF8 struct{ Line, Col int }

func (e *ErrNotUTF8) Error() string {
	return fmt.Sprintf("%d:%d: the file is not UTF-8 text; GIFT format files must use UTF-8 (save it as UTF-8 and import again)", e.Line, e.Col)
}

// Read parses a GIFT file as Moodle does. It returns every block Moodle
// turns into a question or a category, in order, and the blocks Moodle
// rejects. A file that is not UTF-8 is refused with *ErrNotUTF8, as Moodle
// refuses it.
func Read(data []byte) ([]*Question, []Problem, error) {
	if !utf8.Valid(data) {
		line, col := quiz.InvalidUTF8(data)
		return nil, nil, &ErrNotUTF8{Line: line, Col: col}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var qs []*Question
	var probs []Problem
	for _, b := range blocks(string(data)) {
		q, err := readQuestion(b.lines, b.first)
		if err != "" {
			probs = append(probs, Problem{Line: b.first, Message: err})
			continue
		}
		if q != nil {
			qs = append(qs, q)
		}
	}
	return qs, probs, nil
}

type block struct {
	lines []string
	first int // 1-based line of lines[0]
	nums  []int
}

// phpTrim is PHP's trim(): these six characters, both ends.
func phpTrim(s string) string { return strings.Trim(s, " \t\n\r\x00\x0b") }

// blocks splits the file the way qformat_default::readquestions does: every
// line trimmed, a line that PHP's empty() calls empty ("" or "0") ends a block.
func blocks(text string) []block {
	var lines []string
	first, _, _ := strings.Cut(text, "\n")
	if strings.Contains(first, "\r") && !strings.Contains(text, "\n") {
		lines = strings.Split(text, "\r") // old Macintosh line ends
	} else {
		lines = strings.SplitAfter(text, "\n")
	}
	var out []block
	var cur block
	for i, l := range lines {
		l = phpTrim(l)
		if l == "" || l == "0" {
			if len(cur.lines) > 0 {
				out = append(out, cur)
				cur = block{}
			}
			continue
		}
		if len(cur.lines) == 0 {
			cur.first = i + 1
		}
		cur.lines = append(cur.lines, l)
		cur.nums = append(cur.nums, i+1)
	}
	if len(cur.lines) > 0 {
		out = append(out, cur)
	}
	// Report a block at its first line that is not a comment.
	for i := range out {
		for j, l := range out[i].lines {
			if !strings.HasPrefix(l, "//") {
				out[i].first = out[i].nums[j]
				break
			}
		}
	}
	return out
}

// Moodle's placeholders for escaped characters (escapedchar_pre/_post).
var (
	escapePre = sync.OnceValue(func() *strings.Replacer {
		return strings.NewReplacer(`\:`, "&&058;", `\#`, "&&035;", `\=`, "&&061;", `\{`, "&&123;", `\}`, "&&125;", `\~`, "&&126;", `\n`, "&&010")
	})
	escapePost = sync.OnceValue(func() *strings.Replacer {
		return strings.NewReplacer("&&058;", ":", "&&035;", "#", "&&061;", "=", "&&123;", "{", "&&125;", "}", "&&126;", "~", "&&010", "\n")
	})
)

func escapedPre(s string) string {
	s = strings.ReplaceAll(s, `\\`, "&&092;")
	s = escapePre().Replace(s)
	return strings.ReplaceAll(s, "&&092;", `\`)
}

func escapedPost(s string) string { return escapePost().Replace(s) }

var weightRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^%-*([0-9]{1,2})\.?([0-9]*)%`) })

// readQuestion is qformat_gift::readquestion. It returns nil for a block
// of comments only, or Moodle's error for a block it rejects.
func readQuestion(lines []string, line int) (*Question, string) {
	q := &Question{Line: line}
	var comments strings.Builder
	kept := make([]string, len(lines))
	for i, l := range lines {
		if strings.HasPrefix(l, "//") {
			comments.WriteString(l + "\n")
			q.Comments = append(q.Comments, strings.TrimSpace(l[2:]))
			kept[i] = " "
			continue
		}
		kept[i] = l
	}
	text := phpTrim(strings.Join(kept, "\n"))
	if text == "" {
		return nil, ""
	}
	text = escapedPre(text)
	if strings.HasPrefix(text, "$CATEGORY:") {
		q.Kind = Category
		q.Category = escapedPost(phpTrim(text[len("$CATEGORY:"):]))
		return q, ""
	}
	if strings.HasPrefix(text, "::") {
		text = text[2:]
		if end := strings.Index(text, "::"); end >= 0 {
			q.Name = phpTrim(escapedPost(text[:end]))
			text = phpTrim(text[end+2:])
		}
	}
	start, finish := strings.IndexByte(text, '{'), strings.IndexByte(text, '}')
	description := false
	var answerText, questionText string
	switch {
	case start < 0 && finish < 0:
		description = true
		questionText = text
	case start < 0 || finish < 0:
		return nil, "a { or } is missing (write \\{ or \\} for a brace in the text)"
	case finish < start:
		return nil, "a } comes before the first {"
	default:
		answerText = phpTrim(text[start+1 : finish])
		if strings.HasSuffix(text, "}") {
			questionText = text[:start] + text[finish+1:]
		} else {
			questionText = text[:start] + "_____" + text[finish+1:] // missing word
		}
	}
	general := ""
	if i := strings.LastIndex(answerText, "####"); i >= 0 {
		general = answerText[i+4:]
		answerText = phpTrim(answerText[:i])
	}
	q.Text = parseFormat(questionText, FormatMoodle)
	q.General = parseFormat(general, q.Text.Format)
	q.IDNumber, q.Tags = idAndTags(comments.String())
	def := q.Text.Format
	switch {
	case description:
		q.Kind = Description
	case answerText == "":
		q.Kind = Essay
	case answerText[0] == '#':
		q.Kind = Numerical
	case strings.Contains(answerText, "~"):
		q.Kind = MultiChoice
	case strings.Contains(answerText, "=") && strings.Contains(answerText, "->"):
		q.Kind = Match
	default:
		check := answerText
		if i := strings.IndexByte(answerText, '#'); i > 0 {
			check = phpTrim(answerText[:i])
		}
		switch check {
		case "T", "TRUE", "F", "FALSE":
			q.Kind = TrueFalse
		default:
			q.Kind = ShortAnswer
		}
	}
	switch q.Kind {
	case MultiChoice:
		q.Single = strings.Contains(answerText, "=")
		answers := strings.Split(strings.ReplaceAll(answerText, "=", "~="), "~")
		answers[0] = phpTrim(answers[0])
		if phpEmpty(answers[0]) {
			answers = answers[1:]
		}
		if len(answers) < 2 {
			return nil, "a multiple-choice question needs at least two answers"
		}
		for _, a := range answers {
			a = phpTrim(a)
			weight := 0.0
			switch {
			case strings.HasPrefix(a, "="):
				weight = 1
				a = a[1:]
			case weightRe().MatchString(a):
				weight, a = parseWeight(a)
			}
			text, fb := commentParse(a, def)
			q.Answers = append(q.Answers, Answer{Text: text, Fraction: weight, Feedback: fb})
		}
	case ShortAnswer:
		answers := strings.Split(answerText, "=")
		answers[0] = phpTrim(answers[0])
		if phpEmpty(answers[0]) {
			answers = answers[1:]
		}
		if len(answers) < 1 {
			return nil, "a short-answer question needs at least one answer"
		}
		for _, a := range answers {
			a = phpTrim(a)
			weight := 1.0
			if weightRe().MatchString(a) {
				weight, a = parseWeight(a)
			}
			text, fb := commentParse(a, def)
			q.Answers = append(q.Answers, Answer{Text: text, Fraction: weight, Feedback: fb})
		}
	case TrueFalse:
		bits := strings.SplitN(answerText, "#", 3)
		ans := parseFormat(phpTrim(bits[0]), def)
		wrong, right := Text{Format: def}, Text{Format: def}
		if len(bits) > 1 {
			wrong = parseFormat(phpTrim(bits[1]), def)
		}
		if len(bits) > 2 {
			right = parseFormat(phpTrim(bits[2]), def)
		}
		q.Correct = ans.Text == "T" || ans.Text == "TRUE"
		if q.Correct {
			q.TrueFB, q.FalseFB = right, wrong
		} else {
			q.TrueFB, q.FalseFB = wrong, right
		}
	}
	return q, ""
}

func phpEmpty(s string) bool { return s == "" || s == "0" }

// parseWeight is answerweightparser: "%50%rest" -> 0.5, "rest".
func parseWeight(a string) (float64, string) {
	a = a[1:]
	end := strings.IndexByte(a, '%')
	w, err := strconv.ParseFloat(a[:end], 64)
	if err != nil {
		w = 0 // "--50": PHP gives up on the number as well
	}
	return w / 100, a[end+1:]
}

// commentParse splits "answer#feedback" at the first #.
func commentParse(a string, def Format) (Text, Text) {
	text, fb, found := strings.Cut(a, "#")
	ans := parseFormat(phpTrim(text), def)
	if !found {
		return ans, Text{Format: def}
	}
	return ans, parseFormat(phpTrim(fb), def)
}

// parseFormat is parse_text_with_format: a leading [format] names the
// format; an unknown name leaves the text as it is.
func parseFormat(s string, def Format) Text {
	t := Text{Text: s, Format: def}
	if strings.HasPrefix(s, "[") {
		if end := strings.IndexByte(s, ']'); end > 0 {
			switch f := Format(s[1:end]); f {
			case FormatMoodle, FormatHTML, FormatPlain, FormatMarkdown:
				t = Text{Text: s[end+1:], Format: f}
			}
		}
	}
	t.Text = phpTrim(escapedPost(t.Text))
	return t
}

var (
	idRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\[id:((?:\\.|[^\]\\])+)\]`) })
	tagRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\[tag:((?:\\.|[^\]\\])+)\]`) })
)

// idAndTags is extract_idnumber_and_tags_from_comment.
func idAndTags(comment string) (string, []string) {
	id := ""
	if m := idRe().FindStringSubmatch(comment); m != nil {
		id = strings.TrimSpace(strings.ReplaceAll(m[1], `\]`, "]"))
	}
	var tags []string
	for _, m := range tagRe().FindAllStringSubmatch(comment, -1) {
		tags = append(tags, strings.TrimSpace(strings.ReplaceAll(m[1], `\]`, "]")))
	}
	return id, tags
}
