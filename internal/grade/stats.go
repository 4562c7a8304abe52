package grade

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/pyquiz/pyquiz/quiz"
)

// matrix is the class's scores: one row per sheet, one column per
// question. It works from the report's sheets (canonical answers and
// points) rather than quiz records, so a class of 10,000 is held once.
type matrix struct {
	pack   *quiz.Pack
	keys   []quiz.Answer // each question's key on the default version
	sheets []Sheet
	total  []float64
	upper  []bool // sheet i is in the upper third by total score
	lower  []bool
	group  int // size of each group; 0 when the class is too small
	// scratch columns item reuses from one question to the next
	colBuf, restBuf []float64
}

func newMatrix(p *quiz.Pack, sheets []Sheet, python *quiz.Version) *matrix {
	m := &matrix{pack: p, sheets: sheets, keys: make([]quiz.Answer, len(p.Questions))}
	for j, q := range p.Questions {
		v, _ := quiz.AskVersion(q, python)
		m.keys[j] = quiz.KeyFor(q, v)
	}
	n := len(sheets)
	m.total = make([]float64, n)
	for i := range sheets {
		for _, c := range sheets[i].cells {
			m.total[i] += c.points
		}
	}
	// Upper and lower thirds by total score. Ties at the edge of a group
	// are broken by the order of the sheets, so a report is reproducible.
	m.group = n / 3
	m.upper = make([]bool, n)
	m.lower = make([]bool, n)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return m.total[order[a]] > m.total[order[b]] })
	for k := 0; k < m.group; k++ {
		m.upper[order[k]] = true
		m.lower[order[n-1-k]] = true
	}
	return m
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// variance is the population variance (divided by n).
func variance(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	mu := mean(xs)
	s := 0.0
	for _, x := range xs {
		s += (x - mu) * (x - mu)
	}
	return s / float64(len(xs))
}

// sampleSD is the standard deviation with n-1, as Moodle reports it.
func sampleSD(xs []float64) float64 {
	n := len(xs)
	if n < 2 {
		return 0
	}
	return math.Sqrt(variance(xs) * float64(n) / float64(n-1))
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// pearson is the correlation of xs and ys; ok is false when either does
// not vary.
func pearson(xs, ys []float64) (float64, bool) {
	mx, my := mean(xs), mean(ys)
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx < 1e-12 || syy < 1e-12 {
		return 0, false
	}
	return sxy / math.Sqrt(sxx*syy), true
}

// column is the points of every sheet on question j.
func (m *matrix) column(j int) []float64 {
	col := m.colBuf[:0]
	for i := range m.sheets {
		col = append(col, m.sheets[i].cells[j].points)
	}
	m.colBuf = col
	return col
}

func ptr(x float64) *float64 {
	x = round(x)
	return &x
}

func round(x float64) float64 {
	x = math.Round(x*10000) / 10000
	if x == 0 {
		return 0 // no -0 in the output
	}
	return x
}

// summary: mean, median and SD of the totals; Cronbach's alpha over the
// questions that carry points, k/(k-1) * (1 - sum of item variances /
// variance of the totals), which is KR-20 when every question is scored
// right or wrong; SEM = SD * sqrt(1 - alpha).
func (m *matrix) summary() Summary {
	s := Summary{Sheets: len(m.sheets), GroupSize: m.group}
	for _, q := range m.pack.Questions {
		s.Max += q.Points
	}
	if len(m.sheets) == 0 {
		s.Max = round(s.Max)
		return s
	}
	// Out of what the sheets were out of: a play report's session asked
	// some of the pack (the same for every sheet of a plain class).
	maxes := make([]float64, len(m.sheets))
	for i, sh := range m.sheets {
		maxes[i] = sh.Max
	}
	s.Max = round(mean(maxes))
	s.Mean = round(mean(m.total))
	s.Median = round(median(m.total))
	sd := sampleSD(m.total)
	s.SD = round(sd)
	// The mean of the sheets' percents: a play report's sheet is out of
	// the questions its session asked, not the whole pack.
	pcts := make([]float64, 0, len(m.sheets))
	for i, sh := range m.sheets {
		if sh.Max > 0 {
			pcts = append(pcts, 100*m.total[i]/sh.Max)
		}
	}
	if len(pcts) > 0 {
		s.MeanPercent = round(mean(pcts))
	}
	m.alpha(&s)
	return s
}

// alpha sets Cronbach's alpha, k/(k-1) * (1 - sum of item variances /
// variance of the totals), over the k questions that carry points and that
// every sheet was asked (KR-20 when they are all right or wrong), and the
// SEM, SD * sqrt(1 - alpha), with the SD of the totals over those same
// questions. Over questions some sheets were not asked, a sheet's total
// would count what it was never asked as if it were wrong.
func (m *matrix) alpha(s *Summary) {
	var common []int
	asked := 0
	for j, q := range m.pack.Questions {
		if q.Points <= 0 {
			continue
		}
		every, some := true, false
		for i := range m.sheets {
			if m.sheets[i].cells[j].notAsked {
				every = false
			} else {
				some = true
			}
		}
		if some {
			asked++
		}
		if every {
			common = append(common, j)
		}
	}
	k := len(common)
	s.AlphaQuestions = k
	switch {
	case len(m.sheets) < 2:
		s.AlphaNote = "needs 2 sheets or more"
		return
	case k < 2:
		s.AlphaNote = fmt.Sprintf("needs 2 questions or more that every sheet was asked (there are %d)", k)
		return
	}
	total := m.total
	if k < asked {
		total = make([]float64, len(m.sheets))
		for _, j := range common {
			for i := range m.sheets {
				total[i] += m.sheets[i].cells[j].points
			}
		}
		s.AlphaNote = fmt.Sprintf("over the %d questions every sheet was asked (of %d asked)", k, asked)
	}
	sumVar := 0.0
	for _, j := range common {
		sumVar += variance(m.column(j))
	}
	vt := variance(total)
	if vt <= 1e-12 {
		s.AlphaNote = "every sheet has the same score on the questions it covers"
		return
	}
	alpha := float64(k) / float64(k-1) * (1 - sumVar/vt)
	s.Alpha = ptr(alpha)
	s.SEM = ptr(sampleSD(total) * math.Sqrt(math.Max(0, 1-alpha)))
}

func (m *matrix) item(j int) Item {
	q := m.pack.Questions[j]
	it := Item{Question: q.FullID(), Type: string(q.Type), Prompt: strings.TrimSpace(q.Prompt), Max: round(q.Points),
		Distractors: []Distractor{}, Flags: []string{}}
	key := m.keys[j]
	wrong := map[string]int{}
	wrongShown := map[string]string{}
	// Only the sheets that were asked the question count for it. The
	// question's points and the rest of each sheet's total go into the
	// matrix's scratch columns: no allocation per question.
	col, rest := m.colBuf[:0], m.restBuf[:0]
	// Facility and discrimination count each sheet's score on the
	// question as a share of its range, from the lowest score the sheet's
	// rules give (-penalty * points) to the highest, as Moodle's quiz
	// statistics do ("the formulae must not assume that the minimum item
	// score is zero"): a share in [0, 1] whatever the penalty.
	var fac, up, lo float64
	var nu, nl int
	for i := range m.sheets {
		rec := &m.sheets[i].cells[j]
		if rec.notAsked {
			continue
		}
		pts := rec.points
		col = append(col, pts)
		rest = append(rest, m.total[i]-pts)
		share := 0.0
		if low := -m.sheets[i].Penalty * q.Points; q.Points-low > 0 {
			share = (pts - low) / (q.Points - low)
		}
		fac += share
		if m.upper[i] {
			up += share
			nu++
		}
		if m.lower[i] {
			lo += share
			nl++
		}
		if rec.given == 0 {
			it.Unanswered++
			continue
		}
		it.Answered++
		if rec.correct {
			it.Right++
			continue
		}
		given := m.sheets[i].given(j)
		k := answerKey(q, given)
		wrong[k]++
		if _, ok := wrongShown[k]; !ok {
			wrongShown[k] = given
		}
	}
	m.colBuf, m.restBuf = col, rest
	it.Key = strings.TrimRight(quiz.KeyText(q, key), "\n")
	best := ""
	for k, n := range wrong {
		if n > it.TopWrongCount || n == it.TopWrongCount && k < best {
			best, it.TopWrongCount = k, n
		}
	}
	if best != "" {
		it.TopWrong = wrongShown[best]
	}
	if q.Points > 0 && len(col) > 0 {
		fac /= float64(len(col))
		it.Facility = ptr(fac)
		if m.group > 0 && nu > 0 && nl > 0 {
			it.Discrimination = ptr(up/float64(nu) - lo/float64(nl))
		}
		if r, ok := pearson(col, rest); ok {
			it.ItemRest = ptr(r)
		}
		if fac < HardBelow {
			it.Flags = append(it.Flags, FlagTooHard)
		}
		if fac > EasyAbove {
			it.Flags = append(it.Flags, FlagTooEasy)
		}
		if it.Discrimination != nil && *it.Discrimination < 0 {
			it.Flags = append(it.Flags, FlagBackwards)
		}
	}
	it.Distractors = m.distractors(j, key)
	return it
}

// answerKey folds a given answer so that equal answers count together:
// output and short answers compare as play compares them.
func answerKey(q *quiz.Question, given string) string {
	switch q.Type {
	case quiz.Output:
		return quiz.NormalizeOutput(given)
	case quiz.Short:
		if !q.CaseSensitive {
			return strings.ToLower(quiz.NormalizeOutput(given))
		}
		return quiz.NormalizeOutput(given)
	}
	return given
}

// maxTextRows bounds the distractor table of an output or short question:
// the most given answers, the key first.
const maxTextRows = 6

func (m *matrix) distractors(j int, key quiz.Answer) []Distractor {
	q := m.pack.Questions[j]
	var rows []Distractor
	index := map[string]int{}
	add := func(ans, text string, correct bool) int {
		if i, ok := index[ans]; ok {
			return i
		}
		index[ans] = len(rows)
		rows = append(rows, Distractor{Answer: ans, Text: text, Correct: correct})
		return len(rows) - 1
	}
	count := func(i, sheet int) {
		rows[i].Total++
		if m.upper[sheet] {
			rows[i].Upper++
		}
		if m.lower[sheet] {
			rows[i].Lower++
		}
	}
	switch q.Type {
	case quiz.Single, quiz.Multi:
		right := map[int]bool{}
		for _, c := range key.Choices {
			right[c] = true
		}
		for c, text := range q.Choices {
			add(quiz.Letter(c), text, right[c])
		}
		for i := range m.sheets {
			forChoices(m.sheets[i].given(j), func(c int) {
				if c < len(q.Choices) {
					count(c, i)
				}
			})
		}
	case quiz.TrueFalse:
		add("true", "true", key.Bool)
		add("false", "false", !key.Bool)
		for i := range m.sheets {
			switch m.sheets[i].given(j) {
			case "true":
				count(0, i)
			case "false":
				count(1, i)
			}
		}
	default:
		right := -1
		if len(key.Texts) > 0 {
			right = add(answerKey(q, key.Texts[0]), strings.TrimRight(key.Texts[0], "\n"), true)
		}
		for i := range m.sheets {
			rec := &m.sheets[i].cells[j]
			given := m.sheets[i].given(j)
			switch {
			case given == "":
			case rec.correct && right >= 0:
				count(right, i)
			default:
				count(add(answerKey(q, given), given, rec.correct), i)
			}
		}
		if len(rows) > 1 {
			rest := rows[1:]
			sort.SliceStable(rest, func(a, b int) bool { return rest[a].Total > rest[b].Total })
		}
		if len(rows) > maxTextRows {
			rows = rows[:maxTextRows]
		}
		for i := range rows {
			rows[i].Answer = ""
		}
	}
	if rows == nil {
		rows = []Distractor{}
	}
	return rows
}

// forChoices calls f with each choice a graded answer's canonical letters
// name ("a,c"; choices past z are numbers, as quiz.Letter writes them).
func forChoices(given string, f func(c int)) {
	for given != "" {
		var l string
		if len(given) == 1 || given[1] == ',' {
			l = given[:1]
			given = given[min(2, len(given)):]
		} else {
			l, given, _ = strings.Cut(given, ",")
		}
		if c := quiz.LetterIndex(l); c >= 0 {
			f(c)
		} else if n, err := strconv.Atoi(l); err == nil && n > 0 {
			f(n - 1)
		}
	}
}
