package quiz

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize is the largest pack file Parse accepts.
const MaxFileSize = 10 << 20

// maxAliasExpansion bounds how many nodes aliases may add on top of the
// nodes written in the file, which stops "billion laughs" documents.
const maxAliasExpansion = 100_000

var idPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`) })

var (
	topKeys     = []string{"format", "pack", "questions"}
	packKeys    = []string{"id", "title", "version", "description", "authors", "license", "python", "tags", "hint_penalty"}
	questionKey = []string{"id", "type", "prompt", "code", "choices", "answer", "case_sensitive", "explanation", "feedback", "hints", "tags", "difficulty", "points", "python", "expect", "source"}
	outcomeKeys = []string{"python", "stdout", "raises"}
)

// Parse reads one pack file. file names it in positions. It returns every
// problem found, errors and warnings, unsorted. The pack is nil when the
// file cannot be read as a pack at all; otherwise it holds whatever could be
// understood, and the pack is fit for use only when no problem is an error.
func Parse(file string, data []byte) (*Pack, Problems) {
	l := &loader{file: file}
	pack := l.parse(data)
	return pack, l.probs
}

type loader struct {
	file  string
	probs Problems
}

func (l *loader) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: l.file, Line: 1, Col: 1}
	}
	return Pos{File: l.file, Line: n.Line, Col: n.Column}
}

func (l *loader) errorf(n *yaml.Node, format string, args ...any) {
	l.probs = append(l.probs, Problem{Pos: l.pos(n), Message: fmt.Sprintf(format, args...)})
}

func (l *loader) warnf(n *yaml.Node, format string, args ...any) {
	l.probs = append(l.probs, Problem{Pos: l.pos(n), Severity: SeverityWarning, Message: fmt.Sprintf(format, args...)})
}

func (l *loader) errorAt(line, col int, format string, args ...any) {
	l.probs = append(l.probs, Problem{Pos: Pos{File: l.file, Line: line, Col: col}, Message: fmt.Sprintf(format, args...)})
}

var yamlLineRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`) })

func (l *loader) parse(data []byte) *Pack {
	if len(data) > MaxFileSize {
		l.errorAt(0, 0, "file is %d bytes; packs are limited to %d MiB", len(data), MaxFileSize>>20)
		return nil
	}
	if !utf8.Valid(data) {
		line, col := InvalidUTF8(data)
		l.errorAt(line, col, "file is not valid UTF-8 text (save it as UTF-8)")
		return nil
	}
	if len(bytes.TrimSpace(stripComments(data))) == 0 {
		l.errorAt(1, 1, "file is empty; a pack needs format: 1, a pack: header and questions:")
		return nil
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		l.yamlError(data, err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		at := &extra
		if len(extra.Content) > 0 {
			at = extra.Content[0]
		}
		l.errorf(at, "a pack file holds one YAML document; remove the second one (after ---)")
	}
	if !l.aliasesBounded(&doc) {
		return nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	root = resolve(root)
	if root.Kind != yaml.MappingNode {
		l.errorf(root, "a pack is a mapping with format, pack and questions; found %s", kindName(root))
		return nil
	}
	p := &Pack{File: l.file, Pos: l.pos(root), HintPenalty: DefaultHintPenalty}
	fields := l.mapping(root, topKeys, "top level")
	if n, ok := fields["format"]; !ok {
		l.errorf(root, "missing format: 1 at the top of the file")
	} else if v, ok := l.intValue(n, "format"); ok {
		if v != FormatVersion {
			l.errorf(n, "unsupported format %d: this pyquiz reads format %d packs", v, FormatVersion)
			return nil
		}
		p.Format = v
	}
	if n, ok := fields["pack"]; ok {
		p.Pos = l.pos(n)
		l.header(p, n)
	} else {
		l.errorf(root, "missing pack: header (id, title, ...)")
	}
	if n, ok := fields["questions"]; ok {
		l.questions(p, n)
	} else {
		l.errorf(root, "missing questions: list")
	}
	return p
}

func (l *loader) yamlError(data []byte, err error) {
	msg := err.Error()
	if te, ok := err.(*yaml.TypeError); ok {
		msg = strings.Join(te.Errors, "; ")
	}
	first := strings.SplitN(msg, "\n", 2)[0]
	line := 1
	if m := yamlLineRe().FindStringSubmatch(first); m != nil {
		first = m[2]
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
			// yaml.v3 counts the lines of parser errors (as opposed to
			// scanner errors) from 0; its parser's messages are these.
			for _, p := range []string{"did not find expected", "found undefined tag", "found duplicate", "found incompatible"} {
				if strings.HasPrefix(first, p) {
					line++
					break
				}
			}
		}
	}
	col := syntaxColumn(data, line, first)
	if isIndentMessage(first) {
		// yaml.v3 may name the start of the block, far above the line
		// whose indentation is wrong: point at that line too.
		if bl, bc, why := indentBreak(data); bl == line {
			l.errorAt(line, bc, "YAML syntax error: %s (this line is %s)", first, why)
			return
		} else if bl > 0 {
			l.errorAt(bl, bc, "%s; likely the cause of the YAML syntax error at line %d", why, line)
		}
	}
	l.errorAt(line, col, "YAML syntax error: %s", first)
}

// syntaxColumn finds where on the line yaml.v3 names its error is, for the
// messages whose cause can be seen on the line itself; yaml.v3 reports no
// column. Otherwise 1.
func syntaxColumn(data []byte, line int, msg string) int {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return 1
	}
	text := string(lines[line-1])
	col := -1
	switch {
	case strings.HasPrefix(msg, "mapping values are not allowed"):
		// the second ": " of "key: value: more"
		if i := strings.Index(text, ": "); i >= 0 {
			if j := strings.Index(text[i+2:], ": "); j >= 0 {
				col = i + 2 + j
			}
		}
	case strings.HasPrefix(msg, "found character that cannot start any token"):
		col = strings.IndexAny(strings.TrimLeft(text, " "), "\t@`%")
		if col >= 0 {
			col += len(text) - len(strings.TrimLeft(text, " "))
		}
	case strings.HasPrefix(msg, "did not find expected ',' or ']'"):
		col = strings.LastIndex(text, "[")
	case strings.HasPrefix(msg, "did not find expected ',' or '}'"):
		col = strings.LastIndex(text, "{")
	case strings.HasPrefix(msg, "found unknown escape character"):
		col = strings.IndexByte(text, '\\')
	case strings.HasPrefix(msg, "found unexpected end of stream"):
		col = strings.IndexAny(text, "\"'") // an unclosed quote
	}
	if col < 0 {
		return 1
	}
	return utf8.RuneCountInString(text[:col]) + 1
}

// stripComments drops whole-line comments so a file of comments counts as empty.
func stripComments(data []byte) []byte {
	var out []byte
	for _, line := range bytes.Split(data, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' || bytes.Equal(t, []byte("---")) {
			continue
		}
		out = append(out, t...)
	}
	return out
}

// InvalidUTF8 is the line and column (from 1, in runes) of the first byte
// of data that is not UTF-8; past the end when all of it is.
func InvalidUTF8(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return line, col
}

// aliasesBounded measures the document with every alias expanded, in nodes
// and in bytes of text, and refuses it when aliases add more than
// maxAliasExpansion nodes or when the expanded text is larger than a pack
// file may be: a few thousand aliases of one long string stay under any node
// bound yet make `show --json` write gigabytes.
func (l *loader) aliasesBounded(doc *yaml.Node) bool {
	type extent struct{ nodes, bytes int }
	sat := func(a, b int) int {
		if a > math.MaxInt32-b {
			return math.MaxInt32
		}
		return a + b
	}
	memo := map[*yaml.Node]extent{}
	var size func(n *yaml.Node, depth int) extent
	size = func(n *yaml.Node, depth int) extent {
		if depth > 1000 {
			return extent{math.MaxInt32, math.MaxInt32}
		}
		if e, ok := memo[n]; ok {
			return e
		}
		e := extent{nodes: 1}
		if n.Kind == yaml.AliasNode {
			if n.Alias != nil {
				a := size(n.Alias, depth+1)
				e = a
			}
		} else {
			e.bytes = len(n.Value)
		}
		for _, c := range n.Content {
			ce := size(c, depth+1)
			e = extent{sat(e.nodes, ce.nodes), sat(e.bytes, ce.bytes)}
		}
		memo[n] = e
		return e
	}
	written, aliases := 0, false
	var count func(n *yaml.Node)
	count = func(n *yaml.Node) {
		written++
		aliases = aliases || n.Kind == yaml.AliasNode
		for _, c := range n.Content {
			count(c)
		}
	}
	count(doc)
	if !aliases {
		return true
	}
	total := size(doc, 0)
	if total.nodes-written > maxAliasExpansion {
		l.errorAt(1, 1, "YAML aliases expand this file from %d to %d nodes, more than the %d extra pyquiz allows; write the repeated parts out", written, total.nodes, maxAliasExpansion)
		return false
	}
	if total.bytes > MaxFileSize {
		l.errorAt(1, 1, "YAML aliases expand this file to %s of text, more than the %d MiB a pack may hold; write the repeated parts out", sizeText(total.bytes), MaxFileSize>>20)
		return false
	}
	return true
}

// sizeText is a byte count for a message: "990 MB" rather than 990000000.
func sizeText(n int) string {
	switch {
	case n >= math.MaxInt32:
		return "more than 2 GB"
	case n >= 1_000_000:
		return fmt.Sprintf("%d MB", n/1_000_000)
	case n >= 1_000:
		return fmt.Sprintf("%d KB", n/1_000)
	}
	return fmt.Sprintf("%d bytes", n)
}

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// mapping returns the values of a mapping by key, reporting unknown and
// repeated keys.
func (l *loader) mapping(n *yaml.Node, known []string, where string) map[string]*yaml.Node {
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			l.errorf(k, "keys are plain words; found %s", kindName(k))
			continue
		}
		if k.Value == "<<" {
			l.errorf(k, "YAML merge keys (<<) are not supported in packs; write the keys out")
			continue
		}
		if !slices.Contains(known, k.Value) {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, where)
			if s := suggest(k.Value, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += fmt.Sprintf(" (known keys: %s)", strings.Join(known, ", "))
			}
			l.errorf(k, "%s", msg)
			continue
		}
		if _, dup := fields[k.Value]; dup {
			l.errorf(k, "key %q appears twice in %s", k.Value, where)
			continue
		}
		fields[k.Value] = v
	}
	return fields
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func (l *loader) str(n *yaml.Node, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		l.errorf(n, "%s must be text; found %s", key, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (l *loader) intValue(n *yaml.Node, key string) (int, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		if v, err := strconv.Atoi(n.Value); err == nil {
			return v, true
		}
	}
	l.errorf(n, "%s must be a whole number; found %s", key, kindName(n))
	return 0, false
}

func (l *loader) strList(n *yaml.Node, key string) []string {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		l.errorf(n, "%s must be a list, like [%s]", key, n.Value)
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.errorf(n, "%s must be a list; found %s", key, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		c = resolve(c)
		if s, ok := l.str(c, key+" item"); ok {
			out = append(out, s)
		}
	}
	return out
}

func (l *loader) constraint(n *yaml.Node, key string) (Constraint, bool) {
	s, ok := l.str(n, key)
	if !ok {
		return Constraint{}, false
	}
	c, err := ParseConstraint(s)
	if err != nil {
		l.errorf(n, "%s: %v", key, err)
		return Constraint{}, false
	}
	return c, true
}

func (l *loader) header(p *Pack, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		l.errorf(n, "pack must be a mapping with id, title, ...; found %s", kindName(n))
		return
	}
	f := l.mapping(n, packKeys, "pack header")
	if v, ok := f["id"]; !ok {
		l.errorf(n, "pack header has no id")
	} else if s, ok := l.str(v, "pack id"); ok {
		if !idPattern().MatchString(s) {
			l.errorf(v, "invalid pack id %q: use lower-case letters, digits and dashes", s)
		}
		p.ID = s
	}
	if v, ok := f["title"]; ok {
		p.Title, _ = l.str(v, "title")
	} else {
		l.errorf(n, "pack header has no title")
	}
	if v, ok := f["version"]; ok {
		p.Version, _ = l.str(v, "version")
	} else {
		l.warnf(n, "pack header has no version; give one (1.0.0) so progress can tell editions apart")
	}
	if v, ok := f["description"]; ok {
		p.Description, _ = l.str(v, "description")
	}
	if v, ok := f["authors"]; ok {
		p.Authors = l.strList(v, "authors")
	}
	if v, ok := f["license"]; ok {
		p.License, _ = l.str(v, "license")
	}
	if v, ok := f["python"]; ok {
		p.Python, _ = l.constraint(v, "python")
	}
	if v, ok := f["tags"]; ok {
		p.Tags = l.strList(v, "tags")
	}
	if v, ok := f["hint_penalty"]; ok {
		if x, ok := l.number(v, "hint_penalty"); ok {
			if x < 0 || x > 1 {
				l.errorf(v, "hint_penalty must be between 0 and 1 (a share of the points); found %v", x)
			} else {
				p.HintPenalty = x
			}
		}
	}
}

func (l *loader) number(n *yaml.Node, key string) (float64, bool) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		if v, err := strconv.ParseFloat(n.Value, 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v, true
		}
	}
	l.errorf(n, "%s must be a number; found %s", key, kindName(n))
	return 0, false
}

func (l *loader) questions(p *Pack, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		l.errorf(n, "questions must be a list; found %s", kindName(n))
		return
	}
	if len(n.Content) == 0 {
		l.errorf(n, "questions is empty; a pack needs at least one question")
		return
	}
	seen := map[string]*yaml.Node{}
	p.Questions = make([]*Question, 0, len(n.Content))
	for _, qn := range n.Content {
		qn = resolve(qn)
		q := l.question(p, qn, seen)
		if q != nil {
			p.Questions = append(p.Questions, q)
		}
	}
}

func (l *loader) question(p *Pack, n *yaml.Node, seen map[string]*yaml.Node) *Question {
	if n.Kind != yaml.MappingNode {
		l.errorf(n, "each question is a mapping with id, type, prompt, ...; found %s", kindName(n))
		return nil
	}
	q := &Question{PackID: p.ID, Pos: l.pos(n), Points: 1, CaseSensitive: true, Python: p.Python}
	f := l.mapping(n, questionKey, "question")
	if v, ok := f["id"]; !ok {
		l.errorf(n, "question has no id")
	} else if s, ok := l.str(v, "question id"); ok {
		q.ID = s
		if !idPattern().MatchString(s) {
			l.errorf(v, "invalid question id %q: use lower-case letters, digits and dashes", s)
		} else if first, dup := seen[s]; dup {
			l.errorf(v, "duplicate question id %q (first used at line %d)", s, first.Line)
		} else {
			seen[s] = v
		}
	}
	if v, ok := f["type"]; !ok {
		l.errorf(n, "question %s has no type (one of %s)", q.ID, typeList())
		return q
	} else if s, ok := l.str(v, "type"); ok {
		q.Type = Type(s)
		if !slices.Contains(typeNames(), s) {
			msg := fmt.Sprintf("unknown question type %q (one of %s)", s, typeList())
			if g := suggest(s, typeNames()); g != "" {
				msg = fmt.Sprintf("unknown question type %q (did you mean %q?)", s, g)
			}
			l.errorf(v, "%s", msg)
			return q
		}
	} else {
		return q
	}
	if v, ok := f["prompt"]; ok {
		if s, ok := l.str(v, "prompt"); ok {
			q.Prompt = s
			if strings.TrimSpace(s) == "" {
				l.errorf(v, "prompt is empty")
			}
		}
	} else {
		l.errorf(n, "question %s has no prompt", q.ID)
	}
	if v, ok := f["code"]; ok {
		q.Code, _ = l.str(v, "code")
	}
	if v, ok := f["python"]; ok {
		q.Python, _ = l.constraint(v, "python")
	}
	if v, ok := f["choices"]; ok {
		if q.Type != Single && q.Type != Multi {
			l.errorf(v, "a %s question has no choices; remove them or use type: single", q.Type)
		} else {
			q.Choices = l.strList(v, "choices")
			firstAt := map[string]int{}
			for i, c := range q.Choices {
				if strings.TrimSpace(c) == "" {
					l.errorf(resolve(v.Content[i]), "choice %s is empty", Letter(i))
				}
				if j, dup := firstAt[c]; dup {
					l.errorf(resolve(v.Content[i]), "choice %s repeats choice %s (%q)", Letter(i), Letter(j), c)
				} else {
					firstAt[c] = i
				}
			}
			if len(q.Choices) > 26 {
				l.errorf(v, "a question has at most 26 choices (a-z); found %d", len(q.Choices))
			}
			if len(q.Choices) < 2 && len(v.Content) == len(q.Choices) {
				l.errorf(v, "a %s question needs at least 2 choices", q.Type)
			}
		}
	} else if q.Type == Single || q.Type == Multi {
		l.errorf(n, "a %s question needs choices", q.Type)
	}
	if v, ok := f["case_sensitive"]; ok {
		if q.Type != Short {
			l.errorf(v, "case_sensitive applies to short questions only")
		} else if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
			q.CaseSensitive = v.Value == "true" || v.Value == "True" || v.Value == "TRUE"
		} else {
			l.errorf(v, "case_sensitive must be true or false; found %s", kindName(v))
		}
	}
	if v, ok := f["expect"]; ok {
		q.Expect = l.expect(q, v)
		if q.Code == "" {
			l.errorf(v, "expect needs code: there is no snippet to run")
		}
	} else if q.Code != "" && q.Type != Output {
		// pyquiz verify checks an output question without expect against
		// its answer; any other type it can only check through expect.
		l.warnf(n, "question %s has code but no expect, so pyquiz verify cannot check it (add expect: {stdout: ...}, what the code prints)", q.ID)
	}
	if v, ok := f["answer"]; ok {
		l.answer(q, v)
	} else if q.Type == Output {
		if len(q.Expect) == 0 {
			l.errorf(n, "output question %s needs an answer or an expect with the stdout", q.ID)
		}
	} else {
		l.errorf(n, "question %s has no answer", q.ID)
	}
	if q.Type == Output && q.Code == "" {
		l.errorf(n, "output question %s needs code (the snippet whose output is asked)", q.ID)
	}
	if v, ok := f["explanation"]; ok {
		q.Explanation, _ = l.str(v, "explanation")
	}
	if strings.TrimSpace(q.Explanation) == "" {
		l.warnf(n, "question %s has no explanation; say why the answer is right", q.ID)
	}
	if v, ok := f["feedback"]; ok {
		l.feedback(q, v)
		l.deadFeedback(q, v)
	}
	if v, ok := f["hints"]; ok {
		q.Hints = l.strList(v, "hints")
	}
	if v, ok := f["tags"]; ok {
		q.Tags = l.strList(v, "tags")
	}
	if len(q.Tags) == 0 {
		l.warnf(n, "question %s has no tags; tags let learners choose what to study", q.ID)
	}
	if v, ok := f["difficulty"]; ok {
		if s, ok := l.str(v, "difficulty"); ok {
			q.Difficulty = Difficulty(s)
			if q.Difficulty != Easy && q.Difficulty != Medium && q.Difficulty != Hard {
				l.errorf(v, "difficulty must be easy, medium or hard; found %q", s)
			}
		}
	} else {
		q.Difficulty = Medium
		l.warnf(n, "question %s has no difficulty (easy, medium or hard); medium assumed", q.ID)
	}
	if q.Difficulty == Hard && len(q.Hints) == 0 {
		l.warnf(n, "hard question %s has no hints", q.ID)
	}
	if v, ok := f["points"]; ok {
		if x, ok := l.number(v, "points"); ok {
			if x <= 0 || x > 1000 {
				l.errorf(v, "points must be above 0 and at most 1000; found %v", x)
			} else {
				q.Points = x
			}
		}
	}
	if v, ok := f["source"]; ok {
		q.Source, _ = l.str(v, "source")
	}
	if q.Type == Output && len(q.Expect) > 0 && q.Answer.Set {
		for _, o := range q.Expect {
			if !SameOutput(OutcomeAnswer(o), q.Answer.Texts[0]) {
				l.errorf(f["answer"], "answer does not match the expect outcome for Python %s (%q)", orAll(o.Python), OutcomeAnswer(o))
				break
			}
		}
	}
	return q
}

func orAll(c Constraint) string {
	if c.IsZero() {
		return "(every version)"
	}
	return c.String()
}

func typeNames() []string {
	out := make([]string, len(Types))
	for i, t := range Types {
		out[i] = string(t)
	}
	return out
}

func typeList() string { return strings.Join(typeNames(), ", ") }

func (l *loader) answer(q *Question, v *yaml.Node) {
	switch q.Type {
	case Single, Multi:
		var letters []*yaml.Node
		switch {
		case v.Kind == yaml.SequenceNode:
			for _, c := range v.Content {
				letters = append(letters, resolve(c))
			}
		case v.Kind == yaml.ScalarNode && !isNull(v):
			// "a,c" or "a c": split, keeping the node for positions.
			for _, part := range strings.FieldsFunc(v.Value, func(r rune) bool { return r == ',' || r == ' ' }) {
				letters = append(letters, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: part, Line: v.Line, Column: v.Column})
			}
		default:
			l.errorf(v, "answer must be a choice letter; found %s", kindName(v))
			return
		}
		if len(letters) == 0 {
			l.errorf(v, "answer is empty; give the letter of the right choice")
			return
		}
		if q.Type == Single && len(letters) > 1 {
			l.errorf(v, "a single-choice question has exactly one answer; found %d (use type: multi)", len(letters))
			return
		}
		seen := map[int]bool{}
		for _, ln := range letters {
			i := LetterIndex(ln.Value)
			if ln.Kind != yaml.ScalarNode || len(strings.TrimSpace(ln.Value)) != 1 || i < 0 {
				l.errorf(ln, "answer %q is not a choice letter (a, b, c, ...)", ln.Value)
				return
			}
			if i >= len(q.Choices) {
				l.errorf(ln, "answer %s points past the %d choices (a-%s)", strings.ToLower(ln.Value), len(q.Choices), Letter(max(len(q.Choices)-1, 0)))
				return
			}
			if seen[i] {
				l.errorf(ln, "answer names choice %s twice", Letter(i))
				return
			}
			seen[i] = true
			q.Answer.Choices = append(q.Answer.Choices, i)
		}
		sortInts(q.Answer.Choices)
		q.Answer.Set = true
	case TrueFalse:
		if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
			q.Answer.Bool = strings.EqualFold(v.Value, "true")
			q.Answer.Set = true
			return
		}
		l.errorf(v, "a truefalse answer is true or false; found %s", kindName(v))
	case Output:
		if s, ok := l.str(v, "answer"); ok {
			q.Answer.Texts = []string{s}
			q.Answer.Set = true
		}
	case Short:
		var texts []string
		if v.Kind == yaml.SequenceNode {
			texts = l.strList(v, "answer")
		} else if s, ok := l.str(v, "answer"); ok {
			texts = []string{s}
		}
		for _, t := range texts {
			if strings.TrimSpace(t) == "" {
				l.errorf(v, "an accepted answer is empty")
				return
			}
		}
		if len(texts) == 0 {
			l.errorf(v, "a short question needs at least one accepted answer")
			return
		}
		q.Answer.Texts = texts
		q.Answer.Set = true
	}
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func (l *loader) feedback(q *Question, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		l.errorf(v, "feedback is a mapping from a wrong answer to what to say; found %s", kindName(v))
		return
	}
	q.Feedback = map[string]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := resolve(v.Content[i]), resolve(v.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			l.errorf(k, "feedback keys are answers; found %s", kindName(k))
			continue
		}
		text, ok := l.str(val, "feedback")
		if !ok {
			continue
		}
		key := k.Value
		switch q.Type {
		case Single, Multi:
			idx := LetterIndex(key)
			if idx < 0 || len(strings.TrimSpace(key)) != 1 {
				l.errorf(k, "feedback key %q is not a choice letter", key)
				continue
			}
			if idx >= len(q.Choices) {
				l.errorf(k, "feedback for choice %s points past the %d choices", strings.ToLower(key), len(q.Choices))
				continue
			}
			key = Letter(idx)
		case TrueFalse:
			key = strings.ToLower(key)
			if key != "true" && key != "false" {
				l.errorf(k, "feedback keys of a truefalse question are true and false; found %q", k.Value)
				continue
			}
		}
		if _, dup := q.Feedback[key]; dup {
			l.errorf(k, "feedback for %q is given twice", key)
			continue
		}
		q.Feedback[key] = text
	}
}

func (l *loader) expect(q *Question, v *yaml.Node) []Outcome {
	var nodes []*yaml.Node
	switch v.Kind {
	case yaml.MappingNode:
		nodes = []*yaml.Node{v}
	case yaml.SequenceNode:
		for _, c := range v.Content {
			nodes = append(nodes, resolve(c))
		}
		if len(nodes) == 0 {
			l.errorf(v, "expect is an empty list")
		}
	default:
		l.errorf(v, "expect is a mapping (stdout, raises) or a list of them; found %s", kindName(v))
		return nil
	}
	var outs []Outcome
	for _, n := range nodes {
		if n.Kind != yaml.MappingNode {
			l.errorf(n, "each expect outcome is a mapping with stdout, raises and python; found %s", kindName(n))
			continue
		}
		o := Outcome{Pos: l.pos(n)}
		f := l.mapping(n, outcomeKeys, "expect")
		if x, ok := f["python"]; ok {
			o.Python, _ = l.constraint(x, "python")
			if !o.Python.IsZero() && !q.Python.IsZero() && !o.Python.Intersects(q.Python) {
				l.errorf(x, "this outcome's python %q lies outside the question's %q", o.Python, q.Python)
			}
		} else if len(nodes) > 1 {
			l.errorf(n, "each outcome of an expect list needs python: the versions it is for")
		}
		if x, ok := f["stdout"]; ok {
			o.Stdout, _ = l.str(x, "stdout")
		}
		if x, ok := f["raises"]; ok {
			if s, ok := l.str(x, "raises"); ok {
				if !exceptionName().MatchString(s) {
					l.errorf(x, "raises is an exception type name like TypeError; found %q", s)
				}
				o.Raises = s
			}
		}
		if _, ok := f["stdout"]; !ok {
			if _, ok := f["raises"]; !ok {
				l.errorf(n, "an expect outcome needs stdout, raises or both")
			}
		}
		for _, prev := range outs {
			if overlaps(prev.Python, o.Python) {
				l.errorf(n, "this outcome's versions overlap the outcome at line %d", prev.Pos.Line)
				break
			}
		}
		outs = append(outs, o)
	}
	return outs
}

var exceptionName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)
})

func overlaps(a, b Constraint) bool {
	if a.IsZero() || b.IsZero() {
		return true
	}
	return a.Intersects(b)
}

// suggest returns the known word closest to s, if it is close enough to be
// a likely typo.
func suggest(s string, known []string) string {
	best, bestD := "", 1<<30
	for _, k := range known {
		if len(s) > 3 && (strings.HasPrefix(s, k) || strings.HasPrefix(k, s)) {
			return k // "multiple" for "multi", "explain" for "explanation"
		}
		if d := editDistance(strings.ToLower(s), k); d < bestD {
			best, bestD = k, d
		}
	}
	limit := 1
	switch {
	case len(s) >= 9:
		limit = 3
	case len(s) >= 4:
		limit = 2
	}
	if bestD <= limit {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
