package grade

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

func TestReadCSV(t *testing.T) {
	src := "\ufeffstudent,q1,q2,,q1\n" +
		"ada,true,\"a,c\",x,false\n" +
		"\n" +
		",true,false\n" +
		"bob,t,f,y,z,extra\n"
	ins, probs := Read("class.csv", []byte(src))
	require.Len(t, ins, 3)
	assert.Equal(t, Input{File: "class.csv", Row: 2, Sheet: quiz.Sheet{Student: "ada", Answers: []quiz.SheetAnswer{
		{Question: "q1", Given: "true"}, {Question: "q2", Given: "a,c"}}}}, ins[0])
	assert.Equal(t, "(row 4)", ins[1].Sheet.Student, "a row without a name is graded under its row")
	assert.Equal(t, "bob", ins[2].Sheet.Student)
	assert.Equal(t, "class.csv row 5", ins[2].Source())
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.String())
	}
	assert.Equal(t, []string{
		"class.csv:1: column 4 has no question id in the header; column ignored",
		"class.csv:1: columns 2 and 5 both name question q1; column 5 ignored",
		"class.csv row 4: no student name in the first column; graded as (row 4)",
		"class.csv row 5: 6 cells but the header has 5; the extra cells are ignored",
	}, msgs)
}

func TestReadCSVUnterminatedQuote(t *testing.T) {
	// An unterminated quote is a problem naming the file and row, not a
	// sheet graded on whatever the rest of the file happens to be.
	ins, probs := Read("class.csv", []byte("student,mutable-default-append\nann,\"x\nbob,a\n"))
	assert.Empty(t, ins)
	require.Len(t, probs, 1)
	assert.Equal(t, "class.csv", probs[0].File)
	assert.Equal(t, 2, probs[0].Row)
	assert.Equal(t, `class.csv row 2: malformed row: extraneous or missing " in quoted-field`, probs[0].String())
}

func TestReadReportRules(t *testing.T) {
	in, probs := ReadJSON("r.json", []byte(`{"student":"eve","pack":"demo","penalty":0.25,"multi":"all-or-nothing",
		"answers":[{"question":"new-first","given":"b","status":"answered"}]}`))
	require.Empty(t, probs)
	require.NotNil(t, in.Penalty)
	require.NotNil(t, in.Multi)
	assert.Equal(t, 0.25, *in.Penalty)
	assert.Equal(t, quiz.AllOrNothing, *in.Multi)
	assert.True(t, in.Sheet.Only, "a report is graded over its session's questions")
	plain, _ := ReadJSON("s.json", []byte(`{"student":"eve","answers":{"new-first":"b"}}`))
	assert.False(t, plain.Sheet.Only, "a plain sheet's missing question is unanswered")
	assert.Nil(t, plain.Penalty)
}

func TestReadCSVSemicolonsAndTabs(t *testing.T) {
	ins, probs := Read("class.csv", []byte("student;q1;q2\nada;b;a,c\n"))
	require.Empty(t, probs)
	require.Len(t, ins, 1)
	assert.Equal(t, "a,c", ins[0].Sheet.Answers[1].Given)
	ins, probs = Read("class.tsv", []byte("student\tq1\nada\tb\n"))
	require.Empty(t, probs)
	assert.Equal(t, "b", ins[0].Sheet.Answers[0].Given)
}

func TestReadSheets(t *testing.T) {
	tests := []struct {
		name, src string
		student   string
		pack      string
		answers   []quiz.SheetAnswer
		problems  []string
	}{
		{"ada.yaml", "student: ada\npack: demo\nanswers:\n  q1: b\n  q2: [a, c]\n  q3: true\n  q4: 3.50\n  q5: ~\n", "ada", "demo",
			[]quiz.SheetAnswer{{Question: "q1", Given: "b"}, {Question: "q2", Given: "a,c"}, {Question: "q3", Given: "true"}, {Question: "q4", Given: "3.50"}, {Question: "q5"}}, nil},
		{"bob.yaml", "answers:\n  q1: {a: 1}\nanswer: x\n", "bob", "", nil,
			[]string{"bob.yaml:2: question q1: the answer is a mapping; want a letter, letters, true/false or a text",
				`bob.yaml:3: unknown key "answer" ignored; a sheet has student, pack and answers: {question-id: answer}`}},
		{"cy.json", `{"student": "cy", "pack": "demo", "answers": {"q2": ["a", "c"], "q1": "b", "q3": false, "q4": 3.50}}`, "cy", "demo",
			[]quiz.SheetAnswer{{Question: "q1", Given: "b"}, {Question: "q2", Given: "a,c"}, {Question: "q3", Given: "false"}, {Question: "q4", Given: "3.50"}}, nil},
		// play --report: canonical letters, the version asked, hints; a
		// skipped question counts as unanswered whatever it says.
		{"dee.json", `{"student": "dee", "pack": "demo", "score": 1, "mode": "exam", "answers": [
			{"question": "demo/q1", "given": "b", "status": "answered", "hints": 1},
			{"question": "demo/q4", "given": "3", "status": "answered", "python": "2.7"},
			{"question": "demo/q2", "given": "a", "status": "skipped"}]}`, "dee", "demo",
			[]quiz.SheetAnswer{{Question: "demo/q1", Given: "b", Hints: 1}, {Question: "demo/q4", Given: "3", Python: "2.7"}, {Question: "demo/q2"}}, nil},
	}
	for _, tt := range tests {
		ins, probs := Read(tt.name, []byte(tt.src))
		var msgs []string
		for _, p := range probs {
			msgs = append(msgs, p.String())
		}
		assert.Equal(t, tt.problems, msgs, tt.name)
		require.Len(t, ins, 1, tt.name)
		assert.Equal(t, tt.student, ins[0].Sheet.Student, tt.name)
		assert.Equal(t, tt.pack, ins[0].Sheet.Pack, tt.name)
		assert.Equal(t, tt.answers, ins[0].Sheet.Answers, tt.name)
	}
}

func TestReadBrokenFiles(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"a.json", `{"student": "a", "answers": {"q1": "b",}`, "a.json:1: not valid JSON: invalid character '}' looking for beginning of object key string"},
		{"b.json", `["a"]`, "b.json:1: not a JSON object; a sheet has student, pack and answers: {question-id: answer}"},
		{"c.json", `{"student": "c"}`, "c.json: no answers; a sheet has student, pack and answers: {question-id: answer}"},
		{"d.yaml", "student: d\nanswers:\n  q1: [a\n", "d.yaml:2: not valid YAML: did not find expected ',' or ']'"},
		{"e.yaml", "- a\n- b\n", "e.yaml:1: not a mapping; a sheet has student, pack and answers: {question-id: answer}"},
		{"f.yaml", "", "f.yaml: empty; a sheet has student, pack and answers: {question-id: answer}"},
		{"g.csv", "", "g.csv: empty: want a header row of question ids, the student column first"},
		{"h.csv", "student\nada\n", "h.csv:1: the header row has no question ids: want student,question-id,..."},
		{"i.txt", "hello", "i.txt: unknown sheet format; name the file .yaml, .json or .csv"},
		{"j.csv", "student,q1\n\xff\xfe,b\n", "j.csv: not UTF-8 text; save the file as UTF-8"},
	}
	for _, tt := range tests {
		ins, probs := Read(tt.name, []byte(tt.src))
		assert.Empty(t, ins, tt.name)
		require.Len(t, probs, 1, tt.name)
		assert.Equal(t, tt.want, probs[0].String(), tt.name)
	}
}

func TestReadPaths(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	write("a.yaml", "student: a\nanswers: {q1: b}\n")
	write("b.csv", "student,q1\nb,c\nc,d\n")
	write("notes.txt", "not a sheet")
	ins, probs := ReadPaths([]string{dir, filepath.Join(dir, "missing.json")})
	require.Len(t, ins, 3)
	assert.Equal(t, []string{"a", "b", "c"}, []string{ins[0].Sheet.Student, ins[1].Sheet.Student, ins[2].Sheet.Student})
	require.Len(t, probs, 1)
	assert.Equal(t, filepath.Join(dir, "missing.json")+": cannot read it: no such file or directory", probs[0].String())
	_, probs = ReadPaths([]string{t.TempDir()})
	require.Len(t, probs, 1)
	assert.Contains(t, probs[0].Message, "no sheets in this folder")
}

// fuzzPack is what fuzzed sheets are graded against.
const fuzzPack = `format: 1
pack: {id: demo, title: Demo, version: 1.0.0}
questions:
  - {id: q1, type: single, prompt: P, choices: [w, x, y], answer: b}
  - {id: q2, type: multi, prompt: P, choices: [w, x, y, z], answer: "a,c"}
  - {id: q3, type: truefalse, prompt: P, answer: true}
  - {id: q4, type: output, prompt: P, code: "print(1)", answer: "1"}
  - {id: q5, type: short, prompt: P, answer: [yield]}
`

// fuzzSheets reads data as name says, grades what it read and writes the
// report in every format: nothing may panic, every problem names its file,
// and no control character reaches the table, Markdown or HTML.
func fuzzSheets(t *testing.T, name string, data []byte) {
	ins, probs := Read(name, data)
	for _, p := range probs {
		require.Equal(t, name, p.File, "problem without its file: %#v", p)
		require.NotEmpty(t, p.Message, "problem without a message: %#v", p)
	}
	p, _ := quiz.Parse("demo.yaml", []byte(fuzzPack))
	r := Grade(p, ins, probs, Options{Rules: quiz.DefaultRules, Pass: DefaultPass})
	require.GreaterOrEqual(t, len(r.Sheets)+len(r.Problems), len(ins), "a sheet read went missing")
	for _, f := range Formats {
		var b strings.Builder
		require.NoError(t, r.Write(&b, f, WriteOptions{}), "write %s", f)
		if f == Table || f == Markdown || f == HTML {
			for _, c := range b.String() {
				if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c <= 0x9f {
					require.Failf(t, "control character", "%s output holds control character %U", f, c)
				}
			}
		}
	}
	_ = r.Write(io.Discard, JSON, WriteOptions{})
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("student,q1,q2,q3,q4,q5\nada,b,\"a,c\",true,1,yield\nbob,e,x,maybe,,\n"))
	f.Add([]byte("student;q1\nada;b\n"))
	f.Add([]byte("student,q1\n\"ada,b\n"))
	f.Add([]byte("\ufeffstudent,q1,,q1,zz\n,b,c,d,e,f\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzSheets(t, "class.csv", data) })
}

func FuzzReadYAML(f *testing.F) {
	f.Add([]byte("student: ada\npack: demo\nanswers:\n  q1: b\n  q2: [a, c]\n  q3: true\n  q4: 1\n  q5: yield\n"))
	f.Add([]byte("student: bob\nanswers:\n  q1: &x e\n  q2: *x\n  q9: {a: 1}\n"))
	f.Add([]byte("answers:\n  - {question: demo/q1, given: b, status: answered, hints: 2}\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzSheets(t, "ada.yaml", data) })
}

func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`{"student": "ada", "pack": "demo", "answers": {"q1": "b", "q2": ["a", "c"], "q3": true, "q4": 1}}`))
	f.Add([]byte(`{"student": "dee", "pack": "demo", "answers": [{"question": "demo/q1", "given": "b", "status": "answered", "hints": 1, "python": "2.7"}]}`))
	f.Add([]byte(`{"student": "\u001b[31mred", "answers": {"q1": "\u009b"}}`))
	f.Add([]byte(`{"answers": null}`))
	// grade's own JSON report, read back
	f.Add([]byte(`{"pack": "demo", "penalty": null, "multi": "per sheet", "sheets": [{"student": "ada", "pack": "demo", "multi": "all-or-nothing", "penalty": 0.25, "answers": [{"question": "demo/q1", "given": "b", "correct": true, "points": 1, "max": 1}]}, {"student": "", "answers": 3}, null]}`))
	f.Add([]byte(`{"sheets": [{"student": "bob", "penalty": 7, "multi": 1, "answers": [{"question": 1, "given": ["a"]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzSheets(t, "ada.json", data) })
}

// TestReadGradeReportBack: a report written as JSON (by grade, or by serve,
// whose results are grade.Grade over its participants' answers) reads back
// as a class that grades to the same scores, on the rules each sheet was
// graded on; a flag given wins.
func TestReadGradeReportBack(t *testing.T) {
	p := tfPack(t, 3)
	pen := 0.5
	ins := []Input{
		// as serve builds them: the participant's name for the file
		{File: "Lu", Sheet: quiz.Sheet{Student: "Lu", Pack: "tf", Answers: []quiz.SheetAnswer{{Question: "q1", Given: "true", Hints: 1}, {Question: "q2", Given: "false"}}}},
		{File: "eve.json", Penalty: &pen, Sheet: quiz.Sheet{Student: "eve", Pack: "tf", Only: true, Answers: []quiz.SheetAnswer{{Question: "q1", Given: "false"}, {Question: "q3", Given: "true", Python: "3.11"}}}},
	}
	first := Grade(p, ins, nil, defaults)
	var b strings.Builder
	require.NoError(t, first.Write(&b, JSON, WriteOptions{}))

	back, probs := Read("results.json", []byte(b.String()))
	require.Empty(t, probs)
	require.Len(t, back, 2)
	assert.Equal(t, "results.json sheet 2", back[1].Source())
	require.NotNil(t, back[1].Penalty)
	assert.Equal(t, 0.5, *back[1].Penalty, "eve's sheet keeps the penalty it was graded on")
	again := Grade(p, back, nil, defaults)
	require.Empty(t, again.Problems)
	for i := range first.Sheets {
		assert.Equal(t, first.Sheets[i].Score, again.Sheets[i].Score, first.Sheets[i].Student)
		assert.Equal(t, first.Sheets[i].Max, again.Sheets[i].Max, first.Sheets[i].Student)
		assert.Equal(t, first.Sheets[i].Answers(), again.Sheets[i].Answers(), first.Sheets[i].Student)
	}
	assert.Equal(t, -0.5+1, again.Sheets[1].Score)
	assert.Less(t, again.Sheets[0].Score, 1.0, "Lu's hint still costs her")
	assert.Equal(t, 1, again.Sheets[0].Answers()[0].Hints)
	assert.Equal(t, "3.11", again.Sheets[1].Answers()[2].Python)

	// --penalty 0 given: it wins over the sheet's own
	over := defaults
	over.PenaltySet = true
	assert.Equal(t, 1.0, Grade(p, back, nil, over).Sheets[1].Score)
}

// TestReadGradeReportWithoutRules: a report that records no rules (hand
// written, or cut down) is graded on the command line's, without problems;
// one broken sheet does not stop the next.
func TestReadGradeReportWithoutRules(t *testing.T) {
	ins, probs := Read("r.json", []byte(`{"sheets": [{"student": "a", "pack": "tf", "answers": [{"question": "tf/q1", "given": "true"}]},
		{"student": "b", "answers": 1}, {"student": "c", "answers": []}], "items": []}`))
	require.Len(t, probs, 1)
	assert.Equal(t, "r.json sheet 2", probs[0].Sheet)
	require.Len(t, ins, 2)
	assert.Nil(t, ins[0].Penalty)
	assert.Nil(t, ins[0].Multi)
	assert.Equal(t, "c", ins[1].Sheet.Student)
	assert.Equal(t, 3, ins[1].Entry)
}
