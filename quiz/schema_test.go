package quiz_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/pyquiz/pyquiz/questions"
	"github.com/pyquiz/pyquiz/quiz"
)

// schemaCheck validates v against the draft-07 keywords the pack schema
// uses. It is deliberately small: the schema is ours and uses no others,
// and TestSchemaKeywords fails if it ever does.
type schemaCheck struct{ root map[string]any }

func (c schemaCheck) validate(s map[string]any, v any, path string) []string {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/definitions/")
		return c.validate(c.root["definitions"].(map[string]any)[name].(map[string]any), v, path)
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if t, ok := s["type"].(string); ok && !hasType(v, t) {
		fail("want %s, got %T", t, v)
		return errs
	}
	if want, ok := s["const"]; ok && !reflect.DeepEqual(normNum(want), normNum(v)) {
		fail("want %v", want)
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || reflect.DeepEqual(e, v)
		}
		if !found {
			fail("%v not one of %v", v, enum)
		}
	}
	if str, ok := v.(string); ok {
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			fail("%q does not match %s", str, p)
		}
		if m, ok := s["minLength"].(float64); ok && float64(len(str)) < m {
			fail("shorter than %v", m)
		}
	}
	if n, ok := toFloat(v); ok {
		if m, ok := s["minimum"].(float64); ok && n < m {
			fail("below %v", m)
		}
		if m, ok := s["maximum"].(float64); ok && n > m {
			fail("above %v", m)
		}
		if m, ok := s["exclusiveMinimum"].(float64); ok && n <= m {
			fail("not above %v", m)
		}
	}
	if obj, ok := v.(map[string]any); ok {
		for _, r := range asList(s["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				fail("missing %s", r)
			}
		}
		props, _ := s["properties"].(map[string]any)
		for k, val := range obj {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, c.validate(ps, val, path+"."+k)...)
			} else if ap, ok := s["additionalProperties"]; ok {
				if ap == false {
					fail("unknown key %s", k)
				} else if aps, ok := ap.(map[string]any); ok {
					errs = append(errs, c.validate(aps, val, path+"."+k)...)
				}
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if m, ok := s["minItems"].(float64); ok && float64(len(arr)) < m {
			fail("fewer than %v items", m)
		}
		if m, ok := s["maxItems"].(float64); ok && float64(len(arr)) > m {
			fail("more than %v items", m)
		}
		if s["uniqueItems"] == true {
			for i := range arr {
				for j := i + 1; j < len(arr); j++ {
					if reflect.DeepEqual(arr[i], arr[j]) {
						fail("items %d and %d repeat", i, j)
					}
				}
			}
		}
		if is, ok := s["items"].(map[string]any); ok {
			for i, x := range arr {
				errs = append(errs, c.validate(is, x, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	for _, sub := range asList(s["allOf"]) {
		errs = append(errs, c.validate(sub.(map[string]any), v, path)...)
	}
	if alts := asList(s["anyOf"]); len(alts) > 0 {
		ok := false
		for _, sub := range alts {
			ok = ok || len(c.validate(sub.(map[string]any), v, path)) == 0
		}
		if !ok {
			fail("matches none of anyOf")
		}
	}
	if cond, ok := s["if"].(map[string]any); ok && len(c.validate(cond, v, path)) == 0 {
		if then, ok := s["then"].(map[string]any); ok {
			errs = append(errs, c.validate(then, v, path)...)
		}
	}
	return errs
}

func asList(v any) []any { l, _ := v.([]any); return l }

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func normNum(v any) any {
	if f, ok := toFloat(v); ok {
		return f
	}
	return v
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := toFloat(v)
		return ok
	}
	return false
}

func loadSchema(t *testing.T) schemaCheck {
	var root map[string]any
	require.NoError(t, json.Unmarshal(quiz.Schema, &root), "schema is not JSON")
	return schemaCheck{root}
}

func yamlValue(t *testing.T, data []byte) any {
	var v any
	require.NoError(t, yaml.Unmarshal(data, &v))
	return jsonKeys(v)
}

// jsonKeys turns YAML mappings with non-string keys (true:, 3:) into the
// string-keyed objects an editor's schema check sees.
func jsonKeys(v any) any {
	switch x := v.(type) {
	case map[any]any:
		m := map[string]any{}
		for k, val := range x {
			m[fmt.Sprint(k)] = jsonKeys(val)
		}
		return m
	case map[string]any:
		for k, val := range x {
			x[k] = jsonKeys(val)
		}
	case []any:
		for i := range x {
			x[i] = jsonKeys(x[i])
		}
	}
	return v
}

func TestBuiltinPacksMatchSchema(t *testing.T) {
	c := loadSchema(t)
	names, _ := fs.Glob(questions.FS, "*.yaml")
	require.NotEmpty(t, names, "no built-in packs")
	for _, n := range names {
		data, err := fs.ReadFile(questions.FS, n)
		require.NoError(t, err)
		assert.Empty(t, c.validate(c.root, yamlValue(t, data), n), "%s does not match the schema", n)
	}
}

func TestSchemaRejects(t *testing.T) {
	c := loadSchema(t)
	for name, src := range map[string]string{
		"format 2":         "format: 2\npack: {id: a, title: b}\nquestions: [{id: q, type: truefalse, prompt: p, answer: true}]\n",
		"typo key":         header + good + "    explaination: x\n",
		"bad type":         header + strings.Replace(good, "single", "essay", 1),
		"bad id":           header + strings.Replace(good, "id: ok", "id: OK", 1),
		"truefalse string": header + "  - {id: q, type: truefalse, prompt: p, answer: maybe}\n",
		"bad constraint":   header + good + "    python: \"3.x\"\n",
	} {
		assert.NotEmpty(t, c.validate(c.root, yamlValue(t, []byte(src)), name), "%s: the schema accepts it; it must not", name)
	}
}

// TestSchemaKeywords keeps schemaCheck honest: a keyword it ignores would
// let the schema accept what it means to refuse.
func TestSchemaKeywords(t *testing.T) {
	known := map[string]bool{"$schema": true, "$id": true, "title": true, "description": true, "type": true,
		"required": true, "additionalProperties": true, "properties": true, "const": true, "definitions": true,
		"items": true, "minItems": true, "maxItems": true, "uniqueItems": true, "pattern": true, "minLength": true,
		"minimum": true, "maximum": true, "exclusiveMinimum": true, "enum": true, "anyOf": true, "allOf": true,
		"if": true, "then": true, "$ref": true}
	var walk func(v any, inProps bool)
	walk = func(v any, inProps bool) {
		switch x := v.(type) {
		case map[string]any:
			for k, sub := range x {
				if !inProps && !known[k] {
					t.Errorf("schema uses keyword %q that the test validator ignores", k)
				}
				walk(sub, k == "properties" || k == "definitions")
			}
		case []any:
			for _, sub := range x {
				walk(sub, false)
			}
		}
	}
	walk(loadSchema(t).root, false)
}
