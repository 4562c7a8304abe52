package render

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/pyquiz/pyquiz/quiz"
)

// Renderer writes a quiz session. With Color it styles text with lipgloss
// and highlights code; without, every line is plain and stable so scripts
// can match it.
type Renderer struct {
	w     io.Writer
	color bool
	width int
	// Echo writes each answer line after the prompt: on a pipe the typed
	// text is not on screen, and a transcript reads better with it.
	Echo bool
	// Fold folds text to the width without colour too: a terminal with
	// NO_COLOR is still a terminal. (With colour, text always folds.)
	Fold bool

	leftWidth int // width of the clock on screen
	rows      int // the terminal's height while the clock ticks on its last row, else 0
}

// New returns a renderer writing to w. width is the terminal width (text
// is wrapped to it only when colour is on, i.e. on a terminal).
func New(w io.Writer, color bool, width int) *Renderer {
	if width <= 0 {
		width = 80
	}
	return &Renderer{w: w, color: color, width: width}
}

var (
	stHeader  = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("4"))
	stDim     = lipgloss.NewStyle().Foreground(lipgloss.Color("8"))
	stLetter  = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("6"))
	stGood    = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("2"))
	stBad     = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("1"))
	stWarn    = lipgloss.NewStyle().Foreground(lipgloss.Color("3"))
	stBold    = lipgloss.NewStyle().Bold(true)
	stPrompt  = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("5"))
	stCodeBar = lipgloss.NewStyle().Foreground(lipgloss.Color("8"))
)

func (r *Renderer) style(st lipgloss.Style, s string) string {
	if !r.color || s == "" {
		return s
	}
	return st.Render(s)
}

// styleLines styles each line of s on its own: a multi-line string styled
// whole is padded to its widest line, which a following text would push
// past the edge of the terminal.
func (r *Renderer) styleLines(st lipgloss.Style, s string) string {
	lines := strings.Split(s, "\n")
	for i, ln := range lines {
		lines[i] = r.style(st, ln)
	}
	return strings.Join(lines, "\n")
}

func (r *Renderer) printf(format string, args ...any) { fmt.Fprintf(r.w, format, args...) }

// folds reports whether text is folded to the width: on a terminal (or
// wherever colour is on), never in plain output a script reads.
func (r *Renderer) folds() bool { return r.color || r.Fold }

// wrap folds pack text to the terminal width, indented by indent spaces.
// Plain output is never wrapped: scripts match whole lines.
func (r *Renderer) wrap(s string, indent int) string {
	pad := strings.Repeat(" ", indent)
	if r.folds() && r.width-indent > 20 {
		s = lipgloss.Wrap(s, r.width-indent, "")
	}
	return pad + strings.ReplaceAll(unwhole(s), "\n", "\n"+pad)
}

// whole keeps an id on one line when text is folded: the folder breaks
// at every hyphen, so its hyphens become non-breaking ones until unwhole
// turns them back after folding.
func whole(id string) string { return strings.ReplaceAll(id, "-", "\u2011") }

func unwhole(s string) string { return strings.ReplaceAll(s, "\u2011", "-") }

// hang writes label and text folded to the terminal width with a hanging
// indent (on a terminal only, like wrap).
func (r *Renderer) hang(label, text string, indent int) string {
	if !r.folds() || r.width-indent <= 20 {
		return unwhole(label + text)
	}
	folded := unwhole(lipgloss.Wrap(label+text, r.width-indent, ""))
	return strings.ReplaceAll(folded, "\n", "\n"+strings.Repeat(" ", indent))
}

// codeSpan is a Markdown code span. It may run over a line break: pack
// text is folded by hand, and a span often continues on the next line.
var codeSpan = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("`([^`]+)`") })

// text escapes pack text; on a terminal, `code` spans lose their backticks
// and turn cyan. Only the foreground is set and reset (SGR 36/39), so the
// span sits inside a bold prompt without ending the bold. Spans are found
// per paragraph, never across a blank line.
func (r *Renderer) text(s string) string {
	s = Escape(s)
	if !r.color {
		return s
	}
	paras := strings.Split(s, "\n\n")
	for i, p := range paras {
		paras[i] = codeSpan().ReplaceAllString(p, "\x1b[36m$1\x1b[39m")
	}
	return strings.Join(paras, "\n\n")
}

// prose is pack text ready to print: escaped, its paragraphs joined (on a
// terminal), code spans styled over the whole paragraph, then folded to
// the width and indented. Spans are styled after the paragraph is joined
// and before it is folded, so a span that pack authors broke over two
// lines is one span.
func (r *Renderer) prose(s string, indent int) string {
	if r.folds() {
		s = reflow(s)
	}
	return r.wrap(r.text(s), indent)
}

// reflow joins the lines of each paragraph of pack text (YAML block
// scalars are usually folded by hand at ~75 columns), so that wrapping to
// the terminal gives even lines. Paragraphs whose lines start with a space,
// a list marker or a code fence keep their line breaks.
func reflow(s string) string {
	paras := strings.Split(s, "\n\n")
	for i, p := range paras {
		lines := strings.Split(p, "\n")
		keep := false
		for _, ln := range lines {
			t := strings.TrimLeft(ln, " \t")
			if t != ln || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "```") || strings.HasPrefix(t, ">>>") {
				keep = true
				break
			}
		}
		if !keep {
			paras[i] = strings.Join(lines, " ")
		}
	}
	return strings.Join(paras, "\n\n")
}

// Points formats a score without float noise: 1, 0.5, 0.67, -0.25.
func Points(x float64) string {
	x = math.Round(x*100) / 100
	if x == 0 {
		x = 0 // no "-0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// Percent formats a percentage rounded to a whole number.
func Percent(p float64) string { return strconv.Itoa(int(math.Round(p))) + "%" }

// Duration formats a duration for people: 45s, 3m07s, 1h02m.
func Duration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// Clock formats time left as m:ss, counting down as clocks do: the
// seconds are rounded up, so 0:00 shows only when the time is up.
func Clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// PromptText is the question's prompt as asked: output questions whose key
// comes from one Python version name it ("On Python 2.7, what does this print?").
func PromptText(it *quiz.Item) string {
	p := strings.TrimSpace(it.Question.Prompt)
	if !it.VersionShown {
		return p
	}
	if p == "" {
		p = "What does this print?"
	}
	return fmt.Sprintf("On Python %s, %s", it.Version, lowerFirst(p))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	// Keep "Python", "I" and identifiers as written: only a plain
	// capitalised English word is lowered.
	w := strings.Fields(s)[0]
	if len(w) > 1 && w[0] >= 'A' && w[0] <= 'Z' && strings.ToLower(w[1:]) == w[1:] && !strings.HasPrefix(w, "Python") {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}

// Status is the running state shown in a question's header.
type Status struct {
	N, Total   int     // 1-based question number and count
	Score, Max float64 // so far; Max 0 hides the score (exam mode)
	ShowScore  bool
}

// Question prints one question: the header, the prompt, the code and the
// choices in display order.
func (r *Renderer) Question(it *quiz.Item, st Status) {
	q := it.Question
	head := fmt.Sprintf("Question %d/%d [%s]", st.N, st.Total, whole(Escape(q.FullID())))
	if q.Difficulty != "" {
		head += fmt.Sprintf(" (%s)", q.Difficulty)
	}
	if q.Points != 1 {
		head += fmt.Sprintf(" %s points", Points(q.Points))
	}
	score := ""
	if st.ShowScore {
		score = fmt.Sprintf("score %s/%s", Points(st.Score), Points(st.Max))
	}
	if r.folds() && len([]rune(head))+2+len(score) > r.width {
		// A narrow terminal: the header folds at spaces and the score
		// goes on its own line rather than past the edge.
		r.printf("\n%s", r.styleLines(stHeader, r.wrap(head, 0)))
		if score != "" {
			r.printf("\n%s", r.style(stDim, score))
		}
	} else {
		r.printf("\n%s", r.style(stHeader, unwhole(head)))
		if score != "" {
			r.printf("  %s", r.style(stDim, score))
		}
	}
	r.printf("\n%s\n", r.style(stBold, r.prose(PromptText(it), 0)))
	if q.Code != "" {
		r.printf("\n%s\n", r.Code(q.Code))
	}
	if len(it.Order) > 0 {
		r.printf("\n")
		for i, c := range it.Order {
			letter := r.style(stLetter, quiz.Letter(i)+")")
			if text := strings.TrimRight(q.Choices[c], "\n"); strings.Contains(text, "\n") {
				// an output of several lines (--choices): as lines, never joined
				r.printf("  %s\n%s\n", letter, r.block(Escape(text), 3))
				continue
			}
			r.printf("  %s %s\n", letter, strings.TrimPrefix(r.prose(q.Choices[c], 5), "     "))
		}
	}
	if h := inputHint(it); h != "" {
		r.printf("%s\n", r.style(stDim, r.wrap(h, 0)))
	}
}

// inputHint is the line under a question saying how to answer it, and
// whether it has hints (most questions have none, so h is worth trying
// only where this says so).
func inputHint(it *quiz.Item) string {
	var parts []string
	switch it.Question.Type {
	case quiz.Multi:
		parts = append(parts, "pick every right answer, e.g. a,c")
	case quiz.TrueFalse:
		parts = append(parts, "t/f")
	case quiz.Output:
		parts = append(parts, "type the output; Error if it raises, Nothing if it prints nothing")
	}
	switch n := len(it.Question.Hints); n {
	case 0:
	case 1:
		parts = append(parts, "h for a hint")
	default:
		parts = append(parts, fmt.Sprintf("h for a hint, %d in all", n))
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, "; ") + ")"
}

// Code returns a snippet indented by four spaces, highlighted when colour is on.
func (r *Renderer) Code(code string) string {
	code = strings.TrimRight(strings.ReplaceAll(Escape(code), "\t", "    "), "\n")
	if r.color {
		code = highlight(code)
		bar := r.style(stCodeBar, "│ ")
		return "  " + bar + strings.ReplaceAll(code, "\n", "\n  "+bar)
	}
	lines := strings.Split(code, "\n")
	for i, ln := range lines {
		if ln != "" {
			lines[i] = "    " + ln
		}
	}
	return strings.Join(lines, "\n")
}

// WarnLeft is the time left from which the clock warns.
const WarnLeft = 10 * time.Second

// Prompt asks for an answer; left is the time left, or 0 for no timer.
// A prompt whose clock ticks (StartClock) is "> " alone.
func (r *Renderer) Prompt(left time.Duration, timer bool) {
	if r.rows == 0 {
		r.leftWidth = 0
	}
	r.printf("%s", r.prompt(left, timer && r.rows == 0))
}

// prompt is "> ", or "[0:20 left] > " with a timer that does not tick (a
// transcript, or a terminal whose output goes to a file). From WarnLeft on
// the clock turns red, or reads LEFT without colour.
func (r *Renderer) prompt(left time.Duration, timer bool) string {
	if !timer {
		return r.style(stPrompt, "> ")
	}
	if left <= WarnLeft {
		return r.clock(left) + r.style(stPrompt, " > ")
	}
	return r.style(stPrompt, r.clockText(left)+" > ")
}

// The ticking clock lives on the terminal's last row, which is taken out
// of the scrolling region while a timed question waits for its answer.
// Drawn on the prompt's own line it would collide with the answer: the
// terminal, not pyquiz, echoes what is typed (the line is read whole, with
// the terminal's own editing keys), so once an answer wraps past the width
// nothing says which row the prompt is on, and a redraw there overwrites
// what was typed. Typed text scrolls inside the region and never reaches
// the last row.

// StartClock reserves the last of rows for the clock and draws it. The
// newline and the move back up leave the cursor where it was, scrolling
// the screen by one line first when the cursor is on the last row (the
// way apt reserves its progress line). Call it at the start of an empty
// line, before the prompt.
func (r *Renderer) StartClock(left time.Duration, rows int) {
	r.rows, r.leftWidth = rows, 0
	r.printf("\n\x1b7\x1b[1;%dr\x1b8\x1b[1A", rows-1)
	r.Tick(left)
}

// Tick redraws the clock on the reserved row: save the cursor, write the
// clock on the last row, restore the cursor. What is typed stays as typed,
// however many rows it takes.
func (r *Renderer) Tick(left time.Duration) {
	r.printf("\x1b7\x1b[%d;1H\x1b[2K%s\x1b8", r.rows, r.clock(left))
}

// ClockRows is the height the clock was drawn for (0: not ticking). When
// the window is resized the terminal resets its scrolling region and
// moves the text; nothing then says which row is free, so the loop stops
// the clock for that question (DropClock) rather than draw over an answer.
func (r *Renderer) ClockRows() int { return r.rows }

// DropClock stops the clock after a resize: the scrolling region is given
// back (most terminals have done so already), and nothing is cleared, as
// the row the clock was on may now hold the prompt.
func (r *Renderer) DropClock() {
	if r.rows == 0 {
		return
	}
	r.printf("\x1b7\x1b[r\x1b8")
	r.rows = 0
}

// EndClock clears the clock's row and gives it back to the scrolling
// region (setting the region moves the cursor, so it is saved around it).
func (r *Renderer) EndClock() {
	if r.rows == 0 {
		return
	}
	r.printf("\x1b7\x1b[%d;1H\x1b[2K\x1b[r\x1b8", r.rows)
	r.rows = 0
}

// clock is the ticking clock's text: "[0:20 left]", keeping the width it
// started with; from WarnLeft on red, or LEFT without colour.
func (r *Renderer) clock(left time.Duration) string {
	c := r.clockText(left)
	if left <= WarnLeft {
		return r.style(stBad, c)
	}
	return r.style(stPrompt, c)
}

// clockText is the clock unstyled. It keeps the width it started with
// ("[ 9:59 left]" after "[10:00 left]"), so a redraw covers the last.
func (r *Renderer) clockText(left time.Duration) string {
	c := Clock(left)
	if len(c) < r.leftWidth {
		c = strings.Repeat(" ", r.leftWidth-len(c)) + c
	}
	r.leftWidth = len(c)
	if left <= WarnLeft && !r.color {
		return "[" + c + " LEFT]"
	}
	return "[" + c + " left]"
}

// Echoed writes the answer line when Echo is on.
func (r *Renderer) Echoed(line string) {
	if r.Echo {
		r.printf("%s\n", Escape(strings.TrimRight(line, "\r\n")))
	}
}

// Invalid says why a line was not taken as an answer.
func (r *Renderer) Invalid(reason string) {
	r.printf("%s\n", r.style(stWarn, r.wrap(reason+" (? for help)", 0)))
}

// Note prints a line of information.
func (r *Renderer) Note(s string) { r.printf("%s\n", r.style(stDim, r.wrap(s, 0))) }

// Hint prints hint n of total.
func (r *Renderer) Hint(n, total int, hint string, penalty float64) {
	cost := ""
	if penalty > 0 {
		cost = fmt.Sprintf(" (-%s%% of the points)", Points(100*penalty))
	}
	if r.folds() {
		hint = reflow(hint)
	}
	r.printf("%s\n", r.hang(r.style(stWarn, fmt.Sprintf("Hint %d/%d%s:", n, total, cost))+" ", r.text(hint), 2))
}

// Help prints the keys the loop understands for this question.
func (r *Renderer) Help(it *quiz.Item) {
	var how string
	switch it.Question.Type {
	case quiz.Single:
		how = "type the letter of your answer (b or B)"
	case quiz.Multi:
		how = "type every right letter (a,c or a c or ac)"
	case quiz.TrueFalse:
		how = "type t or f (true, false)"
	case quiz.Output:
		how = "type what the code prints, on one line (spaces and newlines compare equal); Error if it raises, Nothing if it prints nothing"
	case quiz.Short:
		how = "type your answer on one line"
	}
	keys := "Keys: h (or hint) hint, s (or skip) skip, q (or quit) quit and show the summary, ? this help."
	if it.Question.Type == quiz.Output || it.Question.Type == quiz.Short {
		keys = "Keys: h hint, s skip, q quit and show the summary, ? this help."
	}
	for _, line := range []string{"Answer: " + how + ".", keys, "Ctrl-D ends the session too; Ctrl-C interrupts it (the summary is still shown)."} {
		r.printf("%s\n", r.wrap(line, 0))
	}
}

// AnswerText shows a record's answer in the question's terms: "c) __init__".
func AnswerText(q *quiz.Question, rec quiz.Record) string {
	switch {
	case rec.Skipped:
		return "skipped"
	case rec.TimedOut:
		return "no answer (time ran out)"
	case rec.NotReached:
		return "not reached"
	case !rec.Answered:
		return "no answer"
	}
	if q.Type == quiz.Single || q.Type == quiz.Multi {
		return choicesText(rec.Item, rec.Response.Choices)
	}
	return Escape(oneLine(rec.Given))
}

// KeyText shows an item's key: "b) __new__" with the letters as the
// choices were shown, or an output key on one line.
func KeyText(it *quiz.Item) string {
	if q := it.Question; q.Type == quiz.Single || q.Type == quiz.Multi {
		return choicesText(it, it.Key.Choices)
	}
	return Escape(oneLine(quiz.KeyText(it.Question, it.Key)))
}

// choicesText lists canonical choices by the letters they were shown with,
// in display order.
func choicesText(it *quiz.Item, canonical []int) string {
	want := map[int]bool{}
	for _, c := range canonical {
		want[c] = true
	}
	var parts []string
	for i, c := range it.Order {
		if want[c] {
			text := Escape(strings.TrimRight(it.Question.Choices[c], "\n"))
			if strings.Contains(text, "\n") {
				// an output of several lines (--choices): the letter,
				// then the lines under it
				parts = append(parts, quiz.Letter(i)+")\n"+text)
				continue
			}
			parts = append(parts, quiz.Letter(i)+") "+text)
		}
	}
	return strings.Join(parts, ", ")
}

// choiceSpans styles the `code` spans of a choice question's answer on a
// terminal, as the choices themselves are shown. An output question's
// answer is what a program printed: its backticks are its own.
func (r *Renderer) choiceSpans(q *quiz.Question, answer string) string {
	if !r.color || q.Type != quiz.Single && q.Type != quiz.Multi || q.ChoicesOf != nil {
		return answer
	}
	return codeSpan().ReplaceAllString(answer, "\x1b[36m$1\x1b[39m")
}

func oneLine(s string) string {
	return strings.TrimRight(s, "\n")
}

// block shows a multi-line answer as lines in the code gutter, indented by
// indent: joined on one line ("3 / -4") it would read as an expression.
func (r *Renderer) block(text string, indent int) string {
	lines := strings.Split(text, "\n")
	pad := strings.Repeat(" ", indent)
	bar := "  "
	if r.color {
		bar = r.style(stCodeBar, "│ ")
	}
	for i, ln := range lines {
		lines[i] = strings.TrimRight(pad+bar+ln, " ")
	}
	return strings.Join(lines, "\n")
}

// answerIs writes lead and the answer: on the same line when it is one
// line ("Wrong. The answer is 3.5."), else under it as a block.
func (r *Renderer) answerIs(lead, answer string, indent int) {
	if !strings.Contains(answer, "\n") {
		r.printf("%s\n", r.hang(lead+" ", answer+".", indent))
		return
	}
	r.printf("%s:\n%s\n", lead, r.block(answer, indent))
}

// Feedback prints the verdict on one answer, with the per-choice feedback
// and the explanation (study mode).
func (r *Renderer) Feedback(rec quiz.Record) {
	it := rec.Item
	q := it.Question
	switch {
	case rec.Correct:
		msg := "Correct."
		if rec.Hints > 0 {
			msg += fmt.Sprintf(" (+%s of %s with %d hint(s))", Points(rec.Points), Points(rec.Max), rec.Hints)
		}
		r.printf("%s\n", r.style(stGood, msg))
	case rec.Answered && rec.Points > 0:
		r.answerIs(r.style(stWarn, fmt.Sprintf("Partly right (+%s of %s).", Points(rec.Points), Points(rec.Max)))+" The answer is", r.choiceSpans(q, KeyText(it)), 2)
	case rec.Answered:
		r.answerIs(r.style(stBad, "Wrong.")+" The answer is", r.choiceSpans(q, KeyText(it)), 2)
	case rec.TimedOut:
		r.answerIs(r.style(stBad, "Time is up.")+" The answer is", r.choiceSpans(q, KeyText(it)), 2)
	default:
		r.answerIs(r.style(stDim, "Skipped.")+" The answer is", r.choiceSpans(q, KeyText(it)), 2)
	}
	if rec.Answered && !rec.Correct {
		for _, f := range quiz.FeedbackFor(q, it.Key, rec.Response) {
			r.printf("%s\n", r.style(stWarn, r.prose(strings.TrimSpace(f), 2)))
		}
	}
	if e := strings.TrimSpace(q.Explanation); e != "" {
		r.printf("%s\n", r.prose(e, 2))
	}
}

// Summary prints the end of a session: score, time, breakdowns and the
// missed questions with their keys and explanations. In exam mode
// (review) every question is reviewed, not just the missed ones.
func (r *Renderer) Summary(s *quiz.Session, sum quiz.Summary, elapsed time.Duration, review bool) {
	if review && len(s.Records) > 0 {
		r.printf("\n%s\n", r.style(stHeader, "Review"))
		for i, rec := range s.Records {
			r.reviewItem(i+1, rec)
		}
	}
	r.printf("\n%s\n", r.style(stHeader, "Summary"))
	t := sum.Total
	r.printf("Score: %s/%s (%s) in %s\n", r.style(stBold, Points(t.Points)), Points(t.Max), Percent(t.Percent()), Duration(elapsed))
	parts := []string{fmt.Sprintf("%d right", t.Correct), fmt.Sprintf("%d answered", sum.Answered)}
	if sum.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", sum.Skipped))
	}
	if sum.TimedOut > 0 {
		parts = append(parts, fmt.Sprintf("%d timed out", sum.TimedOut))
	}
	if sum.NotReached > 0 {
		parts = append(parts, fmt.Sprintf("%d not reached", sum.NotReached))
	}
	if sum.NotAsked > 0 {
		parts = append(parts, fmt.Sprintf("%d not asked", sum.NotAsked))
	}
	r.printf("Questions: %d (%s)\n", t.Questions, strings.Join(parts, ", "))
	if len(sum.ByPack) > 1 {
		r.groups("By pack", sum.ByPack)
	}
	r.groups("By difficulty", sum.ByDifficulty)
	// A tag asked once says little and a session touches many: only the
	// tags with two questions or more, weakest first. Reports list all.
	tags := quiz.Weakest(sum.ByTag, 2)
	r.groups("By tag, weakest first", tags)
	switch n := len(sum.ByTag) - len(tags); {
	case n > 0 && len(tags) > 0:
		r.printf("%s\n", r.styleLines(stDim, r.wrap(fmt.Sprintf("(and %s asked once; --report lists every tag)", plural(n, "tag")), 2)))
	case n > 0:
		r.printf("%s\n", r.styleLines(stDim, r.wrap(fmt.Sprintf("By tag: %s, each asked once (--report lists them).", plural(n, "tag")), 0)))
	}
	if !review && len(sum.Missed) > 0 {
		r.printf("\n%s\n", r.style(stHeader, "Missed"))
		for i, rec := range sum.Missed {
			r.reviewItem(i+1, rec)
		}
	}
}

func (r *Renderer) groups(title string, gs []quiz.Group) {
	if len(gs) == 0 {
		return
	}
	w := 0
	for _, g := range gs {
		w = max(w, len(g.Name))
	}
	r.printf("%s:\n", title)
	for _, g := range gs {
		r.printf("  %-*s  %s/%s (%s)\n", w, Escape(g.Name), Points(g.Points), Points(g.Max), Percent(g.Percent()))
	}
}

// labelled writes "   Right answer: x", or the label and the answer's
// lines under it when it has several.
func (r *Renderer) labelled(label, answer string, st lipgloss.Style) {
	if !strings.Contains(answer, "\n") {
		r.printf("%s\n", r.hang(label+" ", r.style(st, answer), 5))
		return
	}
	r.printf("%s\n%s\n", label, r.block(answer, 5))
}

func (r *Renderer) reviewItem(n int, rec quiz.Record) {
	it := rec.Item
	q := it.Question
	mark := r.style(stBad, "✗")
	switch {
	case rec.Correct:
		mark = r.style(stGood, "✓")
	case rec.Answered && rec.Points > 0:
		mark = r.style(stWarn, "~")
	}
	if !r.color {
		mark = map[bool]string{true: "right", false: "wrong"}[rec.Correct]
		if !rec.Correct && rec.Answered && rec.Points > 0 {
			mark = "partly right"
		}
		if !rec.Answered {
			mark = "unanswered"
		}
	}
	r.printf("\n%s\n", r.hang(fmt.Sprintf("%d. %s %s ", n, r.style(stBold, whole(Escape(q.FullID()))), mark), fmt.Sprintf("(%s/%s)", Points(rec.Points), Points(rec.Max)), 3))
	r.printf("%s\n", r.prose(PromptText(it), 3))
	if q.Code != "" {
		// One more column than the question's own block, so the code's
		// bar lines up with the review text ("   ") rather than left of it.
		lines := strings.Split(r.Code(q.Code), "\n")
		for i, ln := range lines {
			if ln != "" {
				lines[i] = " " + ln
			}
		}
		r.printf("%s\n", strings.Join(lines, "\n"))
	}
	r.labelled("   Your answer:", r.choiceSpans(q, AnswerText(q, rec)), lipgloss.NewStyle())
	if !rec.Correct {
		r.labelled("   Right answer:", r.choiceSpans(q, KeyText(it)), stGood)
		if rec.Answered {
			for _, f := range quiz.FeedbackFor(q, it.Key, rec.Response) {
				r.printf("%s\n", r.prose(strings.TrimSpace(f), 3))
			}
		}
	}
	if e := strings.TrimSpace(q.Explanation); e != "" {
		r.printf("%s\n", r.prose(e, 3))
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
