package quiz_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

// header is the first lines of every case's pack; questions start on line 7.
const header = `format: 1
pack:
  id: demo
  title: Demo
  version: 1.0.0
questions:
`

// good is a question that loads without problems (lines 7-13 after header).
const good = `  - id: ok
    type: single
    prompt: Pick b.
    choices: [x, y]
    answer: b
    explanation: because
    tags: [t]
    difficulty: easy
`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // "line:col: message fragment", errors only, in sorted order
	}{
		{"unsupported format", "format: 2\npack: {id: a, title: b}\nquestions: []\n",
			[]string{"1:9: unsupported format 2: this pyquiz reads format 1"}},
		{"format not a number", "format: one\npack: {id: a, title: b}\nquestions: [{id: q, type: truefalse, prompt: p, answer: true}]\n",
			[]string{`1:9: format must be a whole number; found "one"`}},
		{"missing format", "pack: {id: a, title: b}\nquestions: [{id: q, type: truefalse, prompt: p, answer: true}]\n",
			[]string{"1:1: missing format: 1"}},
		{"empty file", "\n# only a comment\n", []string{"1:1: file is empty"}},
		{"not a mapping", "- a\n- b\n", []string{"1:1: a pack is a mapping"}},
		{"yaml syntax", header + "  - id: x\n    prompt: [unclosed\n", []string{"8:13: YAML syntax error: did not find expected ',' or ']'"}},
		{"mapping in a value", header + "  - id: x\n    prompt: What: now\n", []string{"8:17: YAML syntax error: mapping values are not allowed"}},
		{"unknown escape", header + "  - id: x\n    prompt: \"a\\qb\"\n", []string{"8:15: YAML syntax error: found unknown escape character"}},
		{"unclosed quote", header + "  - id: x\n    prompt: \"open\n", []string{"8:13: YAML syntax error: found unexpected end of stream"}},
		{"tab indentation", "format: 1\npack:\n\tid: a\n", []string{"3:1: YAML syntax error: found character that cannot start any token"}},
		{"non utf8", "format: 1\npack:\n  id: d\xffemo\n", []string{"3:8: file is not valid UTF-8"}},
		{"unknown top key", "format: 1\npakc: {}\n", []string{`2:1: unknown key "pakc" in top level (did you mean "pack"?)`, "1:1: missing pack: header", "1:1: missing questions: list"}},
		{"misspelt question key", header + good + "    explaination: x\n",
			[]string{`15:5: unknown key "explaination" in question (did you mean "explanation"?)`}},
		{"unknown key far from any", header + good + "    colour: red\n",
			[]string{`15:5: unknown key "colour" in question (known keys: id, type`}},
		{"invalid pack id", strings.Replace(header, "id: demo", "id: Demo_1", 1) + good,
			[]string{`3:7: invalid pack id "Demo_1"`}},
		{"invalid question id", header + strings.Replace(good, "id: ok", "id: Q 1", 1),
			[]string{`7:9: invalid question id "Q 1"`}},
		{"duplicate question id", header + good + good,
			[]string{`15:9: duplicate question id "ok" (first used at line 7)`}},
		{"unknown type", header + strings.Replace(good, "type: single", "type: singel", 1),
			[]string{`8:11: unknown question type "singel" (did you mean "single"?)`}},
		{"unknown type far", header + strings.Replace(good, "type: single", "type: essay", 1),
			[]string{`8:11: unknown question type "essay" (one of single, multi, truefalse, output, short)`}},
		{"answer past choices", header + strings.Replace(good, "answer: b", "answer: c", 1),
			[]string{"11:13: answer c points past the 2 choices (a-b)"}},
		{"single with two answers", header + strings.Replace(good, "answer: b", "answer: a,b", 1),
			[]string{"11:13: a single-choice question has exactly one answer; found 2 (use type: multi)"}},
		{"answer not a letter", header + strings.Replace(good, "answer: b", "answer: 2", 1),
			[]string{`11:13: answer "2" is not a choice letter`}},
		{"multi repeats a letter", header + strings.Replace(strings.Replace(good, "type: single", "type: multi", 1), "answer: b", "answer: [a, a]", 1),
			[]string{"11:17: answer names choice a twice"}},
		{"duplicate choices", header + strings.Replace(good, "choices: [x, y]", "choices: [x, x]", 1),
			[]string{`10:18: choice b repeats choice a ("x")`}},
		{"one choice", header + strings.Replace(good, "choices: [x, y]", "choices: [x]", 1),
			[]string{"10:14: a single question needs at least 2 choices", "11:13: answer b points past the 1 choices (a-a)"}},
		{"missing answer", header + strings.Replace(good, "    answer: b\n", "", 1),
			[]string{"7:5: question ok has no answer"}},
		{"truefalse answer not bool", header + "  - id: tf\n    type: truefalse\n    prompt: p\n    answer: yes please\n    explanation: e\n    tags: [t]\n    difficulty: easy\n",
			[]string{`10:13: a truefalse answer is true or false; found "yes please"`}},
		{"output without code", header + "  - id: o\n    type: output\n    prompt: p\n    answer: \"1\"\n    explanation: e\n    tags: [t]\n    difficulty: easy\n",
			[]string{"7:5: output question o needs code"}},
		{"expect without code", header + good + "    expect: {stdout: \"1\\n\"}\n",
			[]string{"15:13: expect needs code"}},
		{"bad constraint", header + good + "    python: \">=3.x\"\n",
			[]string{`15:13: python: invalid Python version constraint ">=3.x"`}},
		{"python 4", header + good + "    python: \"4.0\"\n",
			[]string{"15:13: python: invalid Python version constraint \"4.0\": Python 4 does not exist"}},
		{"overlapping outcomes", header + "  - id: o\n    type: output\n    prompt: p\n    code: print(1)\n    expect:\n      - {python: \">=3.6\", stdout: \"1\\n\"}\n      - {python: \">=3.8\", stdout: \"1\\n\"}\n    explanation: e\n    tags: [t]\n    difficulty: easy\n",
			[]string{"13:9: this outcome's versions overlap the outcome at line 12"}},
		{"outcome list without python", header + "  - id: o\n    type: output\n    prompt: p\n    code: print(1)\n    expect:\n      - {stdout: \"1\\n\"}\n      - {python: \"2.7\", stdout: \"1\\n\"}\n    explanation: e\n    tags: [t]\n    difficulty: easy\n",
			[]string{"12:9: each outcome of an expect list needs python", "13:9: this outcome's versions overlap the outcome at line 12"}},
		{"answer disagrees with expect", header + "  - id: o\n    type: output\n    prompt: p\n    code: print(1)\n    answer: \"2\"\n    expect: {stdout: \"1\\n\"}\n    explanation: e\n    tags: [t]\n    difficulty: easy\n",
			[]string{`11:13: answer does not match the expect outcome`}},
		{"bad difficulty", header + strings.Replace(good, "difficulty: easy", "difficulty: brutal", 1),
			[]string{`14:17: difficulty must be easy, medium or hard; found "brutal"`}},
		{"negative points", header + good + "    points: -1\n", []string{"15:13: points must be above 0"}},
		{"feedback past choices", header + good + "    feedback: {d: nope}\n",
			[]string{"15:16: feedback for choice d points past the 2 choices"}},
		{"choices on truefalse", header + "  - id: tf\n    type: truefalse\n    prompt: p\n    choices: [a, b]\n    answer: true\n    explanation: e\n    tags: [t]\n    difficulty: easy\n",
			[]string{"10:14: a truefalse question has no choices"}},
		{"tags not a list", header + strings.Replace(good, "tags: [t]", "tags: closures", 1),
			[]string{"13:11: tags must be a list, like [closures]"}},
		{"repeated key", header + good + "    difficulty: hard\n", []string{`15:5: key "difficulty" appears twice in question`}},
		{"empty questions", header[:len(header)-1] + " []\n", []string{"6:12: questions is empty"}},
		{"second document", header + good + "---\nformat: 1\n", []string{"16:1: a pack file holds one YAML document"}},
		{"merge key", header + "  - &q\n    id: a\n    type: truefalse\n    prompt: p\n    answer: true\n  - <<: *q\n    id: b\n", []string{"12:5: YAML merge keys (<<) are not supported", "12:5: question b has no type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := quiz.Parse("p.yaml", []byte(tt.src))
			errs := probs.Errors()
			errs.Sort()
			var got []string
			for _, p := range errs {
				got = append(got, fmt.Sprintf("%d:%d: %s", p.Pos.Line, p.Pos.Col, p.Message))
			}
			want := append([]string(nil), tt.want...)
			sortByPos(want)
			require.Len(t, got, len(want), "want %q", want)
			for i := range want {
				assert.True(t, strings.HasPrefix(got[i], want[i]), "error %d:\ngot  %s\nwant %s...", i, got[i], want[i])
			}
		})
	}
}

// sortByPos orders "line:col: msg" strings as Problems.Sort does.
func sortByPos(s []string) {
	key := func(x string) (int, int) {
		var l, c int
		fmt.Sscanf(x, "%d:%d:", &l, &c)
		return l, c
	}
	for i := 1; i < len(s); i++ {
		for j := i; j > 0; j-- {
			l1, c1 := key(s[j-1])
			l2, c2 := key(s[j])
			if l1 < l2 || l1 == l2 && c1 <= c2 {
				break
			}
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestParseOutputWithoutExpect: pyquiz verify checks an output question's
// answer when it has no expect, so validate has nothing to warn about.
func TestParseOutputWithoutExpect(t *testing.T) {
	src := header + "  - {id: o, type: output, prompt: p, code: print(1), answer: \"1\", explanation: e, tags: [t], difficulty: easy}\n"
	_, probs := quiz.Parse("p.yaml", []byte(src))
	assert.Empty(t, probs)
}

func TestParseWarnings(t *testing.T) {
	src := header + "  - id: bare\n    type: truefalse\n    prompt: p\n    answer: false\n    difficulty: hard\n    code: print(1)\n"
	_, probs := quiz.Parse("p.yaml", []byte(src))
	require.Empty(t, probs.Errors())
	warns := probs.Warnings()
	warns.Sort()
	want := []string{
		"p.yaml:7:5: warning: hard question bare has no hints",
		"p.yaml:7:5: warning: question bare has code but no expect, so pyquiz verify cannot check it (add expect: {stdout: ...}, what the code prints)",
		"p.yaml:7:5: warning: question bare has no explanation; say why the answer is right",
		"p.yaml:7:5: warning: question bare has no tags; tags let learners choose what to study",
	}
	var got []string
	for _, w := range warns {
		got = append(got, w.Error())
	}
	assert.Equal(t, want, got)
}

func TestParseTooLarge(t *testing.T) {
	data := make([]byte, quiz.MaxFileSize+1)
	p, probs := quiz.Parse("big.yaml", data)
	assert.Nil(t, p)
	require.Len(t, probs, 1)
	assert.Contains(t, probs[0].Message, "limited to 10 MiB")
}

func TestParseAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("format: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	p, probs := quiz.Parse("bomb.yaml", []byte(b.String()))
	assert.Nil(t, p)
	require.Len(t, probs, 1)
	assert.Contains(t, probs[0].Message, "aliases expand this file")
}

// TestParseAliasBytes: few nodes but much text. 99,000 aliases of one 10 KB
// hint are a 406 KB file that would print 990 MB as JSON.
func TestParseAliasBytes(t *testing.T) {
	hints := "[&h \"" + strings.Repeat("x", 10_000) + "\"" + strings.Repeat(", *h", 99_000) + "]"
	src := header + good + "    hints: " + hints + "\n"
	require.Less(t, len(src), 500_000)
	p, probs := quiz.Parse("amp.yaml", []byte(src))
	require.Nil(t, p)
	require.Len(t, probs, 1)
	assert.Contains(t, probs[0].Message, "aliases expand this file to 990 MB of text, more than the 10 MiB")

	// A few aliases of shared text stay fine.
	few := header + good + "    hints: [&h \"" + strings.Repeat("x", 1000) + "\", *h, *h]\n"
	p, probs = quiz.Parse("few.yaml", []byte(few))
	require.NotNil(t, p)
	assert.Empty(t, probs.Errors())
}

func TestParseValid(t *testing.T) {
	src := header + good + `  - id: out
    type: output
    prompt: What does this print?
    code: |
      print(7 / 2)
    expect:
      - {python: "2.7", stdout: "3\n"}
      - {python: ">=3.0", stdout: "3.5\n"}
    explanation: true division
    feedback: {"3": "that is Python 2"}
    tags: [division]
    difficulty: medium
  - id: short
    type: short
    prompt: Which statement rebinds an enclosing function's variable?
    answer: [nonlocal, the nonlocal statement]
    case_sensitive: false
    explanation: e
    tags: [scope]
    difficulty: easy
  - id: multi
    type: multi
    prompt: Which are mutable?
    choices: [list, tuple, dict, str]
    answer: "a, c"
    explanation: e
    tags: [types]
    difficulty: easy
    points: 2
`
	p, probs := quiz.Parse("p.yaml", []byte(src))
	require.Empty(t, probs)
	require.Equal(t, "demo", p.ID)
	require.Len(t, p.Questions, 4)
	out := p.Questions[1]
	o, ok := out.OutcomeFor(quiz.Version{Major: 2, Minor: 7, Patch: 18})
	assert.True(t, ok)
	assert.Equal(t, "3\n", o.Stdout, "2.7 outcome")
	o, ok = out.OutcomeFor(quiz.Version{Major: 3, Minor: 12, Patch: -1})
	assert.True(t, ok)
	assert.Equal(t, "3.5\n", o.Stdout, "3.12 outcome")
	assert.False(t, p.Questions[2].CaseSensitive, "short question")
	assert.Len(t, p.Questions[2].Answer.Texts, 2, "short question")
	assert.Equal(t, []int{0, 2}, p.Questions[3].Answer.Choices, "multi answer")
	assert.Equal(t, 2.0, p.Questions[3].Points, "multi points")
	assert.Equal(t, "demo/ok", p.Questions[0].FullID())
}

func TestConstraint(t *testing.T) {
	v := func(s string) quiz.Version {
		x, err := quiz.ParseVersion(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	tests := []struct {
		c, v string
		want bool
	}{
		{"2.7", "2.7.18", true}, {"2.7", "3.7", false}, {">=3.8", "3.8.0", true}, {">=3.8", "3.7.16", false},
		{">=3.6,<3.8", "3.7.16", true}, {">=3.6,<3.8", "3.8.18", false}, {"<3.13", "3.12.1", true},
		{"<3.13", "3.13.0", false}, {"3.11", "3.11.7", true}, {">3.8", "3.8.5", false}, {">3.8", "3.9", true},
		{"!=3.9", "3.9.1", false}, {"<=3.9", "3.9.18", true}, {">=3", "2.7", false}, {">=3", "3.6", true},
	}
	for _, tt := range tests {
		c, err := quiz.ParseConstraint(tt.c)
		require.NoError(t, err, "ParseConstraint(%q)", tt.c)
		assert.Equal(t, tt.want, c.Allows(v(tt.v)), "%q allows %s", tt.c, tt.v)
	}
	for _, bad := range []string{"", "3.x", ">=", "=>3.8", "3.8.1.2", "4", ">=3,,<4", "~3.8"} {
		_, err := quiz.ParseConstraint(bad)
		assert.Error(t, err, "ParseConstraint(%q) accepted a bad constraint", bad)
	}
}

func TestNormalizeOutput(t *testing.T) {
	tests := []struct{ a, b string }{
		{"True\nFalse\n", "True False"},
		{"[1, 2]  \n\n\n", "[1, 2]"},
		{"a\r\nb", "a b"},
	}
	for _, tt := range tests {
		assert.True(t, quiz.SameOutput(tt.a, tt.b), "SameOutput(%q, %q)", tt.a, tt.b)
	}
	assert.False(t, quiz.SameOutput("[1,2]", "[1, 2]"), "SameOutput ignores spaces inside a line; it must not")
}

func TestInvalidUTF8PointsAtTheFirstBadByte(t *testing.T) {
	line, col := quiz.InvalidUTF8([]byte("ok\né\xffx"))
	assert.Equal(t, 2, line)
	assert.Equal(t, 2, col)
	line, col = quiz.InvalidUTF8([]byte("\xfe"))
	assert.Equal(t, 1, line)
	assert.Equal(t, 1, col)
}
