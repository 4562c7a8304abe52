package grade

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/pyquiz/pyquiz/internal/packs"
	"github.com/pyquiz/pyquiz/quiz"
)

// MaxFileSize bounds a sheet file: a class's CSV of 10,000 students is a
// few MiB; anything much bigger is a mistake, not a class.
const MaxFileSize = 64 << 20

// sheetExts are the file names ReadPath takes from a folder.
var sheetExts = []string{".yaml", ".yml", ".json", ".csv", ".tsv"}

// ReadPaths reads every sheet the paths hold; a folder gives its sheet
// files (by extension, sorted). Nothing stops at a bad file: it becomes a
// problem and the next one is read.
func ReadPaths(paths []string) ([]Input, []Problem) {
	var ins []Input
	var probs []Problem
	readPaths(paths, false, func(in Input) { ins = append(ins, in) }, func(p Problem) { probs = append(probs, p) })
	return ins, probs
}

// readPaths hands each sheet read to emit as soon as it is read.
func readPaths(paths []string, reuse bool, emit func(Input), problem func(Problem)) {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err == nil && st.IsDir() {
			entries, err := os.ReadDir(p)
			if err != nil {
				problem(FileProblem(p, 0, "cannot read the folder: %v", unwrapPath(err)))
				continue
			}
			found := false
			for _, e := range entries {
				if !e.IsDir() && isSheetName(e.Name()) {
					found = true
					readFile(filepath.Join(p, e.Name()), reuse, emit, problem)
				}
			}
			if !found {
				problem(FileProblem(p, 0, "no sheets in this folder (want .yaml, .json or .csv files)"))
			}
			continue
		}
		readFile(p, reuse, emit, problem)
	}
}

func isSheetName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range sheetExts {
		if ext == e {
			return true
		}
	}
	return false
}

// unwrapPath drops the path an *os.PathError repeats: the problem names the file already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadFile reads one sheet file: YAML or JSON (one sheet, or one of play's
// JSON reports) or CSV (one sheet per row).
func ReadFile(path string) ([]Input, []Problem) {
	var ins []Input
	var probs []Problem
	readFile(path, false, func(in Input) { ins = append(ins, in) }, func(p Problem) { probs = append(probs, p) })
	return ins, probs
}

func readFile(path string, reuse bool, emit func(Input), problem func(Problem)) {
	// packs.ReadRegular refuses a FIFO, a device or a socket before
	// opening it: reading one would hang or never end.
	data, err := packs.ReadRegular(path, MaxFileSize, "an answer sheet")
	if err != nil {
		problem(FileProblem(path, 0, "%v", err))
		return
	}
	if len(data) > MaxFileSize {
		problem(FileProblem(path, 0, "larger than %d MiB; not a sheet", MaxFileSize>>20))
		return
	}
	read(path, data, reuse, emit, problem)
}

// Read reads sheets from data; the name's extension says the format.
func Read(name string, data []byte) ([]Input, []Problem) {
	var ins []Input
	var probs []Problem
	read(name, data, false, func(in Input) { ins = append(ins, in) }, func(p Problem) { probs = append(probs, p) })
	return ins, probs
}

func read(name string, data []byte, reuse bool, emit func(Input), problem func(Problem)) {
	if !utf8.Valid(data) {
		problem(FileProblem(name, 0, "not UTF-8 text; save the file as UTF-8"))
		return
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var in *Input
	var probs []Problem
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		readCSVRows(name, data, 0, reuse, emit, problem)
		return
	case ".tsv":
		readCSVRows(name, data, '\t', reuse, emit, problem)
		return
	case ".json":
		if isGradeReport(data) {
			readGradeReport(name, data, emit, problem)
			return
		}
		in, probs = ReadJSON(name, data)
	case ".yaml", ".yml":
		in, probs = ReadYAML(name, data)
	default:
		probs = []Problem{FileProblem(name, 0, "unknown sheet format; name the file .yaml, .json or .csv")}
	}
	for _, p := range probs {
		problem(p)
	}
	if in != nil {
		emit(*in)
	}
}

// ReadCSV reads a class's CSV: a header row of question ids with the
// student column first, then a row per student. comma 0 picks ',' or,
// when the header has no comma but semicolons (a spreadsheet in a locale
// that writes decimal commas), ';'.
func ReadCSV(name string, data []byte, comma rune) ([]Input, []Problem) {
	var ins []Input
	var probs []Problem
	readCSV(name, data, comma, func(in Input) { ins = append(ins, in) }, func(p Problem) { probs = append(probs, p) })
	return ins, probs
}

func readCSV(name string, data []byte, comma rune, emit func(Input), problem func(Problem)) {
	readCSVRows(name, data, comma, false, emit, problem)
}

// readCSVRows reads the rows of a CSV class. With reuse, every Input
// emitted shares one answers slice, overwritten by the next row: for an
// emit that is done with a row when it returns (GradePaths).
func readCSVRows(name string, data []byte, comma rune, reuse bool, emit func(Input), problem func(Problem)) {
	if comma == 0 {
		comma = ','
		head, _, _ := bytes.Cut(data, []byte("\n"))
		if !bytes.ContainsRune(head, ',') && bytes.ContainsRune(head, ';') {
			comma = ';'
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		problem(FileProblem(name, 0, "empty: want a header row of question ids, the student column first"))
		return
	}
	if err != nil {
		problem(FileProblem(name, csvLine(err), "header row: %v", csvErr(err)))
		return
	}
	if len(header) < 2 {
		problem(FileProblem(name, 1, "the header row has no question ids: want student,question-id,..."))
		return
	}
	ids := make([]string, len(header))
	seen := map[string]int{}
	for c := 1; c < len(header); c++ {
		id := strings.TrimSpace(header[c])
		if id == "" {
			problem(FileProblem(name, 1, "column %d has no question id in the header; column ignored", c+1))
			continue
		}
		if first, dup := seen[id]; dup {
			problem(FileProblem(name, 1, "columns %d and %d both name question %s; column %d ignored", first+1, c+1, id, c+1))
			continue
		}
		seen[id] = c
		ids[c] = id
	}
	r.ReuseRecord = reuse
	var answers []quiz.SheetAnswer
	// Rows are numbered as a spreadsheet shows them: the line a row
	// starts on (blank lines count; the header is row 1).
	row := 1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err == nil {
			row, _ = r.FieldPos(0)
		} else if l := csvLine(err); l > 0 {
			row = l
		} else {
			row++
		}
		if err != nil {
			// A broken row is one problem; the rows after it still count.
			problem(Problem{Sheet: source(name, row), File: name, Row: row, Message: "malformed row: " + csvErr(err).Error()})
			continue
		}
		if blank(rec) {
			continue
		}
		student := strings.TrimSpace(rec[0])
		if student == "" {
			student = fmt.Sprintf("(row %d)", row)
			problem(Problem{Sheet: source(name, row), File: name, Row: row, Message: "no student name in the first column; graded as " + student})
		}
		if len(rec) > len(header) {
			problem(Problem{Sheet: source(name, row), File: name, Row: row,
				Message: fmt.Sprintf("%d cells but the header has %d; the extra cells are ignored", len(rec), len(header))})
		}
		in := Input{File: name, Row: row, Sheet: quiz.Sheet{Student: student}}
		if reuse && answers != nil {
			in.Sheet.Answers = answers[:0]
		} else {
			in.Sheet.Answers = make([]quiz.SheetAnswer, 0, len(header)-1)
		}
		for c := 1; c < len(header) && c < len(rec); c++ {
			if ids[c] != "" {
				in.Sheet.Answers = append(in.Sheet.Answers, quiz.SheetAnswer{Question: ids[c], Given: rec[c]})
			}
		}
		if reuse {
			answers = in.Sheet.Answers
		}
		emit(in)
	}
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func csvLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	return 0
}

func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

const sheetShape = "a sheet has student, pack and answers: {question-id: answer}"

// ReadYAML reads one sheet written in YAML.
func ReadYAML(name string, data []byte) (*Input, []Problem) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		msg := err.Error()
		// "yaml: line 3: did not find expected key"
		if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
			if n, tail, ok := strings.Cut(rest, ": "); ok {
				line, _ = strconv.Atoi(n)
				msg = tail
			}
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		return nil, []Problem{FileProblem(name, line, "not valid YAML: %s", msg)}
	}
	if len(doc.Content) == 0 {
		return nil, []Problem{FileProblem(name, 0, "empty; %s", sheetShape)}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, []Problem{FileProblem(name, root.Line, "not a mapping; %s", sheetShape)}
	}
	in := &Input{File: name}
	var probs []Problem
	var answers *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "student":
			in.Sheet.Student = scalar(v)
		case "pack":
			in.Sheet.Pack = scalar(v)
		case "answers":
			answers = v
		default:
			if !reportKeys[k.Value] {
				probs = append(probs, FileProblem(name, k.Line, "unknown key %q ignored; %s", k.Value, sheetShape))
			}
		}
	}
	if answers == nil {
		return nil, append(probs, FileProblem(name, root.Line, "no answers; %s", sheetShape))
	}
	switch answers.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(answers.Content); i += 2 {
			k, v := answers.Content[i], answers.Content[i+1]
			given, err := yamlAnswer(v)
			if err != nil {
				probs = append(probs, Problem{Sheet: name, File: name, Line: v.Line, Question: k.Value, Message: err.Error()})
				continue
			}
			in.Sheet.Answers = append(in.Sheet.Answers, quiz.SheetAnswer{Question: k.Value, Given: given})
			in.Lines = append(in.Lines, v.Line)
		}
	case yaml.SequenceNode:
		// play's report, written as YAML: a list of {question, given, ...}.
		for _, e := range answers.Content {
			var ra reportAnswer
			if err := e.Decode(&ra); err != nil || e.Kind != yaml.MappingNode {
				probs = append(probs, FileProblem(name, e.Line, "an answer of a report is {question, given}"))
				continue
			}
			in.Sheet.Answers = append(in.Sheet.Answers, ra.sheetAnswer())
			in.Lines = append(in.Lines, e.Line)
		}
		in.Sheet.Only = true
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			switch k.Value {
			case "penalty":
				var x float64
				if err := v.Decode(&x); err != nil || x < 0 || x > 1 {
					probs = append(probs, FileProblem(name, v.Line, "penalty %q is not a share between 0 and 1; the command line's is used", v.Value))
				} else {
					in.Penalty = &x
				}
			case "multi":
				if m, err := quiz.ParseMultiRule(v.Value); err != nil {
					probs = append(probs, FileProblem(name, v.Line, "multi %q is not partial or all-or-nothing; the command line's is used", v.Value))
				} else {
					in.Multi = &m
				}
			}
		}
	default:
		if answers.Tag != "!!null" {
			return nil, append(probs, FileProblem(name, answers.Line, "answers is not a mapping; %s", sheetShape))
		}
	}
	defaultStudent(in)
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	return in, probs
}

// reportKeys are the other fields of play's JSON report: a report is a sheet.
var reportKeys = map[string]bool{"score": true, "max": true, "percent": true, "mode": true, "started": true,
	"duration_seconds": true, "seed": true, "multi": true, "penalty": true, "pass": true, "source": true}

func scalar(n *yaml.Node) string {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// yamlAnswer is an answer value as text: a scalar as written (so 3.50
// stays 3.50), a list of letters joined by commas, null for no answer.
func yamlAnswer(n *yaml.Node) (string, error) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "", nil
		}
		return n.Value, nil
	case yaml.SequenceNode:
		parts := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return "", errors.New("a list answer holds letters such as [a, c]")
			}
			parts = append(parts, c.Value)
		}
		return strings.Join(parts, ","), nil
	}
	return "", errors.New("the answer is a mapping; want a letter, letters, true/false or a text")
}

func defaultStudent(in *Input) {
	if strings.TrimSpace(in.Sheet.Student) == "" {
		base := filepath.Base(in.File)
		in.Sheet.Student = strings.TrimSuffix(base, filepath.Ext(base))
	}
}

// reportAnswer is one answer of play's JSON report.
type reportAnswer struct {
	Question string `json:"question" yaml:"question"`
	Given    any    `json:"given" yaml:"given"`
	Status   string `json:"status" yaml:"status"`
	Python   string `json:"python" yaml:"python"`
	Hints    int    `json:"hints" yaml:"hints"`
}

func (ra reportAnswer) sheetAnswer() quiz.SheetAnswer {
	a := quiz.SheetAnswer{Question: ra.Question, Python: ra.Python, Hints: max(ra.Hints, 0)}
	if ra.Status == "" || ra.Status == "answered" {
		a.Given = anyText(ra.Given)
	}
	return a
}

func anyText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case int:
		return strconv.Itoa(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = anyText(e)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// ReadJSON reads one sheet written in JSON, or one of play's JSON reports
// (answers as a list of {question, given, status, python, hints}).
func ReadJSON(name string, data []byte) (*Input, []Problem) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, []Problem{jsonProblem(name, data, err)}
	}
	if top == nil {
		return nil, []Problem{FileProblem(name, 0, "not an object; %s", sheetShape)}
	}
	in := &Input{File: name}
	var probs []Problem
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch k {
		case "student", "pack":
			var s *string
			if err := json.Unmarshal(top[k], &s); err != nil {
				probs = append(probs, FileProblem(name, 0, "%s is not a string", k))
			} else if s != nil && k == "student" {
				in.Sheet.Student = *s
			} else if s != nil {
				in.Sheet.Pack = *s
			}
		case "answers":
		default:
			if !reportKeys[k] {
				probs = append(probs, FileProblem(name, 0, "unknown key %q ignored; %s", k, sheetShape))
			}
		}
	}
	raw, ok := top["answers"]
	if !ok {
		return nil, append(probs, FileProblem(name, 0, "no answers; %s", sheetShape))
	}
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > 0 && raw[0] == '[':
		var list []reportAnswer
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&list); err != nil {
			return nil, append(probs, FileProblem(name, 0, "answers: a report's answers are [{question, given}]: %v", err))
		}
		for _, ra := range list {
			in.Sheet.Answers = append(in.Sheet.Answers, ra.sheetAnswer())
		}
		// play's report: graded over its session's questions, on its rules.
		in.Sheet.Only = true
		probs = append(probs, reportRules(name, top, in)...)
	case len(raw) > 0 && raw[0] == '{':
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return nil, append(probs, FileProblem(name, 0, "answers: %v", err))
		}
		ids := make([]string, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if _, isMap := m[id].(map[string]any); isMap {
				probs = append(probs, Problem{Sheet: name, File: name, Question: id, Message: "the answer is an object; want a letter, letters, true/false or a text"})
				continue
			}
			in.Sheet.Answers = append(in.Sheet.Answers, quiz.SheetAnswer{Question: id, Given: anyText(m[id])})
		}
	case string(raw) == "null":
	default:
		return nil, append(probs, FileProblem(name, 0, "answers is not an object; %s", sheetShape))
	}
	defaultStudent(in)
	return in, probs
}

// reportRules reads the penalty and multi rule a play report recorded.
func reportRules(name string, top map[string]json.RawMessage, in *Input) []Problem {
	var probs []Problem
	if raw, ok := top["penalty"]; ok {
		var x float64
		if err := json.Unmarshal(raw, &x); err != nil || x < 0 || x > 1 {
			probs = append(probs, FileProblem(name, 0, "penalty %s is not a share between 0 and 1; the command line's is used", clipRaw(raw)))
		} else {
			in.Penalty = &x
		}
	}
	if raw, ok := top["multi"]; ok {
		var s string
		m, err := quiz.MultiRule(0), json.Unmarshal(raw, &s)
		if err == nil {
			m, err = quiz.ParseMultiRule(s)
		}
		if err != nil {
			probs = append(probs, FileProblem(name, 0, "multi %s is not partial or all-or-nothing; the command line's is used", clipRaw(raw)))
		} else {
			in.Multi = &m
		}
	}
	return probs
}

func clipRaw(raw json.RawMessage) string {
	s := string(bytes.TrimSpace(raw))
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}

// jsonProblem places a JSON syntax error on its line.
func jsonProblem(name string, data []byte, err error) Problem {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return FileProblem(name, lineOf(data, se.Offset), "not valid JSON: %v", se)
	case errors.As(err, &te):
		return FileProblem(name, lineOf(data, te.Offset), "not a JSON object; %s", sheetShape)
	}
	return FileProblem(name, 0, "not valid JSON: %v", err)
}

func lineOf(data []byte, off int64) int {
	if off < 0 {
		return 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// isGradeReport tells a report of `grade --format json` (or serve's
// results, which are the same) from a sheet: a "sheets" list and no
// "answers" at the top.
func isGradeReport(data []byte) bool {
	var top struct {
		Sheets  []struct{}      `json:"sheets"` // only whether it is a list
		Answers json.RawMessage `json:"answers"`
	}
	var te *json.UnmarshalTypeError
	if err := json.Unmarshal(data, &top); err != nil && !errors.As(err, &te) {
		return false
	}
	return top.Sheets != nil && top.Answers == nil
}

// gradedSheet is one sheet of a grade report read back.
type gradedSheet struct {
	Student string          `json:"student"`
	Pack    string          `json:"pack"`
	Penalty json.RawMessage `json:"penalty"`
	Multi   json.RawMessage `json:"multi"`
	Answers []reportAnswer  `json:"answers"`
}

// readGradeReport reads the sheets of a grade report (`grade --format
// json`, or serve's results) so that a class can be graded again, with
// other flags or a corrected pack. Each sheet is graded over the questions
// it lists, on the rules it was graded on (the sheet's own, else the
// report's), unless --penalty or --multi says otherwise: a report read
// back without flags grades to the scores it holds.
func readGradeReport(name string, data []byte, emit func(Input), problem func(Problem)) {
	// Read as a stream, one sheet at a time: a report of 10,000 sheets is
	// tens of MiB. The report's own rules come before its sheets (grade
	// and serve write them so); a sheet's own rules win over them.
	dec := json.NewDecoder(bytes.NewReader(data))
	broken := func(err error) {
		problem(FileProblem(name, 0, "a grade report is {\"sheets\": [{student, pack, answers}]}: %s", jsonErr(err)))
	}
	if _, err := dec.Token(); err != nil { // {
		broken(err)
		return
	}
	var topPenalty, topMulti json.RawMessage
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			broken(err)
			return
		}
		var skip json.RawMessage
		switch t {
		case "penalty":
			err = dec.Decode(&topPenalty)
		case "multi":
			err = dec.Decode(&topMulti)
		case "sheets":
			err = readGradedSheets(dec, name, base, topPenalty, topMulti, emit, problem)
		default:
			err = dec.Decode(&skip)
		}
		if err != nil {
			broken(err)
			return
		}
	}
}

// readGradedSheets reads the list of sheets dec is at, one at a time.
func readGradedSheets(dec *json.Decoder, name, base string, topPenalty, topMulti json.RawMessage, emit func(Input), problem func(Problem)) error {
	if t, err := dec.Token(); err != nil {
		return err
	} else if t != json.Delim('[') {
		return errors.New("sheets is not a list")
	}
	for k := 1; dec.More(); k++ {
		in := Input{File: name, Entry: k}
		var gs gradedSheet
		if err := dec.Decode(&gs); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return err
			}
			// the decoder is past this sheet: the next ones still count
			problem(Problem{Sheet: in.Source(), File: name, Message: "not a graded sheet {student, pack, answers: [{question, given}]}: " + jsonErr(err)})
			continue
		}
		in.Sheet = quiz.Sheet{Student: gs.Student, Pack: gs.Pack, Only: true}
		if strings.TrimSpace(in.Sheet.Student) == "" {
			in.Sheet.Student = fmt.Sprintf("%s sheet %d", base, k)
		}
		in.Sheet.Answers = make([]quiz.SheetAnswer, 0, len(gs.Answers))
		for _, ra := range gs.Answers {
			in.Sheet.Answers = append(in.Sheet.Answers, ra.sheetAnswer())
		}
		// The sheet's own rules, else the report's where it had one rule.
		rules := map[string]json.RawMessage{"penalty": topPenalty, "multi": topMulti}
		if gs.Penalty != nil {
			rules["penalty"] = gs.Penalty
		}
		if gs.Multi != nil {
			rules["multi"] = gs.Multi
		}
		for key, v := range rules {
			if v == nil || string(v) == "null" || string(v) == `"`+PerSheet+`"` {
				delete(rules, key)
			}
		}
		for _, p := range reportRules(name, rules, &in) {
			p.Sheet = in.Source()
			problem(p)
		}
		emit(in)
	}
	_, err := dec.Token() // ]
	return err
}

// jsonErr is a decoding error without encoding/json's Go type names.
func jsonErr(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("%s is not a %s", te.Field, jsonKind(te.Type.Kind().String()))
		}
		return "wrong kind of value"
	}
	return err.Error()
}

func jsonKind(goKind string) string {
	switch goKind {
	case "slice", "array":
		return "list"
	case "struct", "map":
		return "object"
	case "float64", "int":
		return "number"
	}
	return goKind
}
