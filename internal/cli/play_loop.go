package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/report"
	"github.com/pyquiz/pyquiz/quiz"
)

// maxAnswerLine is the longest line taken as an answer. A longer line (a
// file pasted by mistake, a hostile pipe) is refused without being echoed
// and without being held in memory whole.
const maxAnswerLine = 1 << 20

// errLineTooLong marks an input line over maxAnswerLine.
var errLineTooLong = errors.New("line too long")

type inputLine struct {
	text string
	err  error // io.EOF, a read error, or errLineTooLong (the line was dropped)
}

// readLines feeds stdin to a channel line by line, so the loop can wait
// for a line, a timer and Ctrl-C at once. The goroutine outlives the
// session when it ends on a timer; it is blocked on a read and harmless.
func readLines(in io.Reader) <-chan inputLine {
	ch := make(chan inputLine)
	go func() {
		r := bufio.NewReaderSize(in, 64<<10)
		for {
			s, err := readLine(r)
			if errors.Is(err, errLineTooLong) {
				ch <- inputLine{err: err}
				continue
			}
			if s != "" {
				ch <- inputLine{text: s}
			}
			if err != nil {
				ch <- inputLine{err: err}
				return
			}
		}
	}()
	return ch
}

// readLine reads one line with its newline. A line longer than
// maxAnswerLine is read to its end and thrown away: errLineTooLong.
func readLine(r *bufio.Reader) (string, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) > maxAnswerLine {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
				return "", err // the line ran into the end of input
			}
			return "", errLineTooLong
		}
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return string(buf), err
	}
}

// player runs one play session. Each step of the loop is a method: ask a
// question, read a line, give a hint, skip, time out, answer, and at the
// end the summary and the report. The state they share lives here.
type player struct {
	o     *PlayOptions
	f     *Factory
	ctx   context.Context
	sess  *quiz.Session
	r     *render.Renderer
	packs map[string]*quiz.Pack
	seed  uint64
	pool  int // questions that matched the selection, before -n

	interactive bool // stdin is a terminal
	lines       <-chan inputLine
	suspends    <-chan os.Signal // Ctrl-Z (SIGTSTP) and SIGCONT, caught while the session runs (suspend_linux.go)
	promptGone  bool             // stopped by Ctrl-Z and not yet redrawn in the foreground
	started     time.Time        // f.Now at the start, for the report
	sessionEnd  time.Time        // end of --time-limit on f.Now's clock (zero: none)
	noHintsSaid bool             // "this question has no hints" is said once per session
	begun       bool             // the first question has been shown

	// the current question
	qStart   time.Time
	deadline time.Time
	pending  *inputLine // a line read ahead (only the end of input)

	interrupted bool

	rec *recorder // writes each answer to the progress database
}

func newPlayer(o *PlayOptions) (*player, error) {
	f := o.f
	opened := o.openStoreEarly()
	qs, packByID, err := playQuestions(o)
	if err != nil {
		if opened != nil {
			<-opened // Run closes the database next: the open must be over
		}
		return nil, err
	}
	p := &player{o: o, f: f, ctx: o.ctx, packs: packByID, pool: len(qs)}
	if p.ctx == nil {
		p.ctx = context.Background()
	}
	p.seed = o.seed
	if !o.seedSet {
		p.seed = uint64(f.Now().UnixNano()) % 1_000_000
	}
	p.sess = quiz.NewSession(qs, quiz.SessionConfig{
		Mode:    o.mode,
		Rules:   quiz.Rules{Multi: o.multi, Penalty: o.Penalty, HintPenalty: -1},
		Seed:    p.seed,
		Shuffle: !o.NoShuffle,
		N:       o.sessionN(),
		Python:  o.python,
		Packs:   packByID,

		KeepOrder: o.keepOrder,
	})
	p.rec = startRecorder(o, p.sess, p.seed, opened)
	ios := f.IOStreams
	p.interactive = ios.IsStdinTTY()
	p.r = render.New(ios.Out, ios.ColorEnabled(), ios.TerminalWidth())
	p.r.Echo = !p.interactive
	p.r.Fold = ios.IsStdoutTTY()
	return p, nil
}

// playRun plays a session: the intro, every question, the summary and the
// report.
func playRun(o *PlayOptions) error {
	p, err := newPlayer(o)
	if err != nil {
		return err
	}
	// Every way out waits for the session's start to be recorded: Run
	// closes the database after this returns.
	defer p.rec.wait()
	if o.Report != "" {
		// Now, not after the last question: a session must not be
		// played only to find that its report cannot be written.
		if err := report.Check(o.Report, o.Force); err != nil {
			return FlagErrorf("--report %v", err)
		}
	}
	p.intro()
	p.started = p.f.Now()
	if o.TimeLimit > 0 {
		p.sessionEnd = p.f.Now().Add(o.TimeLimit)
	}
	p.lines = readLines(p.f.IOStreams.In)
	if p.interactive {
		var stop func()
		p.suspends, stop = watchSuspend()
		defer stop()
	}
	for !p.sess.Done() && p.ask() {
	}
	return p.finish()
}

// intro says what the session is: how many questions of how many, the
// mode, the seed (when shuffled) and the timers.
func (p *player) intro() {
	o := p.o
	n := p.sess.Len()
	what := plural(n, "question")
	if n < p.pool {
		what = fmt.Sprintf("%d of %s", n, plural(p.pool, "question"))
	}
	intro := fmt.Sprintf("%s, %s mode", what, o.mode)
	if !o.NoShuffle {
		intro += fmt.Sprintf(", seed %d", p.seed)
	}
	if o.TimeLimit > 0 {
		intro += ", " + render.Duration(o.TimeLimit) + " in all"
	}
	if o.QuestionTime > 0 {
		intro += ", " + render.Duration(o.QuestionTime) + " per question"
	}
	p.r.Note(intro + ". Type ? for help, q to stop.")
}

// ask shows the current question and reads lines until one settles it
// (an answer, a skip or a time-out). It returns false when the session
// must end: q, the end of input, Ctrl-C or the session's time limit.
func (p *player) ask() bool {
	it := p.sess.Current()
	sum := p.sess.Summary()
	p.r.Question(it, render.Status{N: p.sess.Index() + 1, Total: p.sess.Len(), Score: sum.Total.Points, Max: sum.Total.Max, ShowScore: p.o.mode == quiz.Study && p.sess.Index() > 0})
	if !p.begun {
		// The first question is on screen: now wait for the session's
		// start to be recorded (see startRecorder), so that a warning that
		// nothing will be saved comes before the first answer is typed.
		// The session's clock starts after that wait, as it did when the
		// database was opened before anything was shown: the wait is not
		// the learner's time, nor the time limit's.
		p.begun = true
		p.rec.wait()
		p.started = p.f.Now()
		if p.o.TimeLimit > 0 {
			p.sessionEnd = p.started.Add(p.o.TimeLimit)
		}
	}
	p.qStart = p.f.Now()
	var qEnd time.Time
	if p.o.QuestionTime > 0 {
		qEnd = p.qStart.Add(p.o.QuestionTime)
	}
	p.deadline = earliest(qEnd, p.sessionEnd)
	for {
		in, ev := p.read()
		switch ev {
		case evInterrupt:
			p.interrupted = true
			return false
		case evTimeout:
			return p.timeout()
		}
		if in.err != nil {
			if errors.Is(in.err, errLineTooLong) {
				p.r.Echoed("…")
				p.r.Invalid(fmt.Sprintf("That line is over %d MiB; it is not taken as an answer", maxAnswerLine>>20))
				continue
			}
			fmt.Fprintln(p.f.IOStreams.Out)
			if !errors.Is(in.err, io.EOF) {
				fmt.Fprintf(p.f.IOStreams.ErrOut, "pyquiz: read answers: %v\n", in.err)
			}
			p.r.Note("End of input.")
			return false
		}
		p.r.Echoed(in.text)
		switch command(in.text, it) {
		case "help":
			p.r.Help(it)
		case "hint":
			p.hint(it)
		case "skip":
			rec, _ := p.sess.Skip(p.f.Now().Sub(p.qStart))
			p.recorded(rec)
			return true
		case "quit":
			return false
		default:
			if p.answer(it, in.text) {
				return true
			}
		}
	}
}

type event int

const (
	evLine event = iota
	evTimeout
	evInterrupt
)

// read shows the prompt and waits for a line, the deadline or Ctrl-C.
// On a terminal with a timer the clock ticks every second on the
// terminal's last row (see render.StartClock), clear of what is typed.
// Every wait is on the factory's clock, so PYQUIZ_NOW drives it in tests.
func (p *player) read() (inputLine, event) {
	if p.pending != nil {
		in := *p.pending
		p.pending = nil
		return in, evLine
	}
	left := func() time.Duration { return p.deadline.Sub(p.f.Now()) }
	timed := p.interactive && !p.deadline.IsZero()
	// The clock is drawn with cursor movements: only when the prompt is
	// on a terminal, never into a file or a pipe, and only on a terminal
	// tall enough to spare a row.
	p.promptGone = false // drawn now
	ticking := p.startClock(left(), timed)
	defer p.r.EndClock()
	p.r.Prompt(left(), timed)
	var timeout <-chan time.Time
	if !p.deadline.IsZero() {
		timeout = p.f.after(left())
	}
	for {
		var tick <-chan time.Time
		if ticking {
			tick = p.f.after(nextTick(left()))
		}
		select {
		case <-p.ctx.Done():
			fmt.Fprintln(p.f.IOStreams.Out)
			return inputLine{}, evInterrupt
		case <-timeout:
			fmt.Fprintln(p.f.IOStreams.Out)
			return inputLine{}, evTimeout
		case sig := <-p.suspends:
			ticking = p.suspend(sig, ticking, left, timed)
		case <-tick:
			if p.f.IOStreams.TerminalRows() != p.r.ClockRows() {
				// resized: no row is known to be free any more
				p.r.DropClock()
				ticking = false
				continue
			}
			p.r.Tick(left())
		case in := <-p.lines:
			return in, evLine
		}
	}
}

// startClock starts the ticking clock for a timed question: drawn with
// cursor movements, so only when the prompt is on a terminal, never into
// a file or a pipe, and only on a terminal tall enough to spare a row. It
// tells whether the clock ticks.
func (p *player) startClock(left time.Duration, timed bool) bool {
	ios := p.f.IOStreams
	if !timed || !ios.IsStdoutTTY() {
		return false
	}
	rows := ios.TerminalRows()
	if rows < 4 {
		return false
	}
	p.r.StartClock(left, rows)
	return true
}

// suspend handles Ctrl-Z (SIGTSTP) and the SIGCONT that ends it. Before
// the process stops, the clock's row and scrolling region are given back
// to the terminal (the shell must not inherit a terminal one row short).
// Once it runs again in the foreground (fg at once, or fg after bg: in
// the background the read stops the job again), the clock is set up anew
// and the prompt drawn on a fresh line: the terminal dropped what was
// typed when Ctrl-Z was pressed. The question's time runs on while the
// process is stopped, as an exam's clock does: the deadline does not
// move. It tells whether the clock ticks from now on.
func (p *player) suspend(sig os.Signal, ticking bool, left func() time.Duration, timed bool) bool {
	ios := p.f.IOStreams
	if isStop(sig) {
		p.r.EndClock()
		ticking, p.promptGone = false, true
		suspendSelf()
	}
	if !p.promptGone || !ios.IsForeground() {
		return ticking
	}
	p.promptGone = false
	fmt.Fprintln(ios.Out)
	ticking = p.startClock(left(), timed)
	p.r.Prompt(left(), timed)
	return ticking
}

// nextTick is how long until the clock shown for left (whole seconds,
// rounded up) changes: at the next whole second of time left. Timers never
// fire early, so the clock drawn then shows the new second.
func nextTick(left time.Duration) time.Duration {
	wait := left % time.Second
	if wait <= 0 {
		wait += time.Second
	}
	return wait
}

// timeout records the current question as timed out. It returns false
// when it was the session's time limit that ran out.
func (p *player) timeout() bool {
	p.discardTyped()
	rec, _ := p.sess.Timeout(p.f.Now().Sub(p.qStart))
	p.rec.sync()
	if p.o.mode == quiz.Study {
		p.r.Feedback(rec)
	} else {
		p.r.Note("Time is up for this question.")
	}
	if !p.sessionEnd.IsZero() && !p.f.Now().Before(p.sessionEnd) {
		p.r.Note("The session's time limit is up.")
		return false
	}
	return true
}

// discardTyped drops what was typed for a question whose time ran out: the
// terminal's unread input, and a line read just as the time ran out. Left
// alone, "half typed" would become the start of the next answer while the
// screen shows only what is typed after it. Piped input is kept: its
// lines are the answers to the questions that follow.
func (p *player) discardTyped() {
	if !p.interactive {
		return
	}
	p.f.IOStreams.DiscardTypeahead()
	select {
	case in := <-p.lines:
		if in.err != nil && !errors.Is(in.err, errLineTooLong) {
			p.pending = &in // the end of input still ends the session
		}
	default:
	}
}

// hint shows the next hint of the question, if it has one left.
func (p *player) hint(it *quiz.Item) {
	n := p.sess.HintsUsed()
	h, ok := p.sess.Hint()
	pack := p.packs[it.Question.PackID]
	switch {
	case ok:
		cost := quiz.HintFactor(pack, n, quiz.DefaultRules) - quiz.HintFactor(pack, n+1, quiz.DefaultRules)
		p.r.Hint(n+1, len(it.Question.Hints), h, cost)
	case len(it.Question.Hints) == 0 && !p.noHintsSaid:
		// Many questions have none; saying so on each one is noise. Said
		// once per session: after that, h on a question without hints
		// just asks again (the line under each prompt says which have some).
		p.noHintsSaid = true
		p.r.Note("This question has no hints. Questions that have some say so under the prompt; this is said once.")
	case len(it.Question.Hints) == 0:
	default:
		p.r.Note("No more hints for this question.")
	}
}

// answer parses a line as an answer and records it; false when the line
// is not an answer (the reason is shown and the question asked again).
func (p *player) answer(it *quiz.Item, line string) bool {
	resp, err := quiz.ParseResponse(it.Question, strings.TrimRight(line, "\r\n"), it.Order)
	if err != nil {
		p.r.Invalid(err.Error())
		return false
	}
	rec, _ := p.sess.Answer(resp, p.f.Now().Sub(p.qStart))
	p.recorded(rec)
	return true
}

// recorded is called with every answer and skip as it is recorded.
func (p *player) recorded(rec quiz.Record) {
	p.rec.sync()
	if p.o.mode == quiz.Study {
		p.r.Feedback(rec)
	}
}

// finish ends the session: the summary, then the report.
func (p *player) finish() error {
	p.sess.Finish()
	p.rec.finish(p.interrupted)
	elapsed := p.f.Now().Sub(p.started)
	p.r.Summary(p.sess, p.sess.Summary(), elapsed, p.o.mode == quiz.Exam)
	if p.o.Report != "" {
		info := report.Info{Student: p.student(), Started: p.started, Duration: elapsed, Seed: p.seed}
		if err := report.WriteFile(p.o.Report, p.o.Force, p.sess, info); err != nil {
			return err
		}
		fmt.Fprintf(p.f.IOStreams.ErrOut, "Report written to %s\n", render.Escape(p.o.Report))
	}
	if p.interrupted {
		return ErrInterrupted
	}
	return nil
}

func (p *player) student() string {
	if p.o.Student != "" {
		return p.o.Student
	}
	if s := p.f.Getenv("USER"); s != "" {
		return s
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
