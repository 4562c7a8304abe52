// Package packfile writes a quiz.Pack back out as a pack YAML file, the
// form quiz.Parse reads: block style, multi-line text as literal blocks,
// keys in the order the pack format documents them.
package packfile

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/pyquiz/pyquiz/quiz"
)

// Marshal returns the pack as pack-format YAML, with a comment line first
// when comment is not empty.
func Marshal(p *quiz.Pack, comment string) ([]byte, error) {
	root := mapping()
	add(root, "format", intNode(quiz.FormatVersion))
	h := mapping()
	add(h, "id", str(p.ID))
	add(h, "title", str(p.Title))
	optional(h, "version", p.Version)
	optional(h, "description", p.Description)
	if len(p.Authors) > 0 {
		add(h, "authors", strList(p.Authors, true))
	}
	optional(h, "license", p.License)
	optional(h, "python", p.Python.String())
	if len(p.Tags) > 0 {
		add(h, "tags", strList(p.Tags, true))
	}
	if p.HintPenalty != quiz.DefaultHintPenalty {
		add(h, "hint_penalty", floatNode(p.HintPenalty))
	}
	add(root, "pack", h)
	qs := &yaml.Node{Kind: yaml.SequenceNode}
	for _, q := range p.Questions {
		qs.Content = append(qs.Content, question(q, p))
	}
	add(root, "questions", qs)
	var buf bytes.Buffer
	if comment != "" {
		fmt.Fprintf(&buf, "# %s\n", comment)
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("write pack %s: %w", p.ID, err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func question(q *quiz.Question, p *quiz.Pack) *yaml.Node {
	m := mapping()
	add(m, "id", str(q.ID))
	add(m, "type", str(string(q.Type)))
	add(m, "prompt", str(q.Prompt))
	optional(m, "code", q.Code)
	if len(q.Choices) > 0 {
		add(m, "choices", strList(q.Choices, false))
	}
	if q.Answer.Set {
		switch q.Type {
		case quiz.Single, quiz.Multi:
			add(m, "answer", str(quiz.Letters(q.Answer.Choices)))
		case quiz.TrueFalse:
			add(m, "answer", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(q.Answer.Bool)})
		case quiz.Output:
			add(m, "answer", str(q.Answer.Texts[0]))
		case quiz.Short:
			add(m, "answer", strList(q.Answer.Texts, false))
		}
	}
	if q.Type == quiz.Short && !q.CaseSensitive {
		add(m, "case_sensitive", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "false"})
	}
	optional(m, "explanation", q.Explanation)
	if len(q.Feedback) > 0 {
		fb := mapping()
		keys := make([]string, 0, len(q.Feedback))
		for k := range q.Feedback {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			add(fb, k, str(q.Feedback[k]))
		}
		add(m, "feedback", fb)
	}
	if len(q.Hints) > 0 {
		add(m, "hints", strList(q.Hints, false))
	}
	if len(q.Tags) > 0 {
		add(m, "tags", strList(q.Tags, true))
	}
	optional(m, "difficulty", string(q.Difficulty))
	if q.Points != 1 && q.Points != 0 {
		add(m, "points", floatNode(q.Points))
	}
	if !q.Python.IsZero() && q.Python.String() != p.Python.String() {
		add(m, "python", str(q.Python.String()))
	}
	if len(q.Expect) > 0 {
		var outs []*yaml.Node
		for _, o := range q.Expect {
			om := mapping()
			optional(om, "python", o.Python.String())
			if o.Stdout != "" || o.Raises == "" {
				add(om, "stdout", str(o.Stdout))
			}
			optional(om, "raises", o.Raises)
			outs = append(outs, om)
		}
		if len(outs) == 1 && q.Expect[0].Python.IsZero() {
			add(m, "expect", outs[0])
		} else {
			add(m, "expect", &yaml.Node{Kind: yaml.SequenceNode, Content: outs})
		}
	}
	optional(m, "source", q.Source)
	return m
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func add(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func optional(m *yaml.Node, key, v string) {
	if v != "" {
		add(m, key, str(v))
	}
}

// str is a string node: literal block style for text of several lines, so
// code keeps its shape; yaml falls back to quoting where a block cannot
// hold the text exactly.
func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if bytes.ContainsRune([]byte(s), '\n') {
		n.Style = yaml.LiteralStyle
	} else if yaml11Special().MatchString(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// yaml11Special matches plain words that YAML 1.1 readers (PyYAML, and so
// many scripts) take for something other than text, which yaml.v3 (YAML
// 1.2) would leave unquoted: "=", "<<", y/n/on/off, sexagesimal 1:20.
var yaml11Special = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(=|<<|[yYnN]|[yY]es|YES|[nN]o|NO|[oO]n|ON|[oO]ff|OFF|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+([eE][-+][0-9]+)?)$`)
})

func strList(items []string, flow bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	for _, it := range items {
		n.Content = append(n.Content, str(it))
		if bytes.ContainsRune([]byte(it), '\n') {
			flow = false
		}
	}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

func intNode(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func floatNode(f float64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(f, 'g', -1, 64)}
}
