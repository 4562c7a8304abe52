package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/quiz"
)

// errNothingToAsk ends play --missed or review that has nothing to ask,
// after saying so: exit 0, it is not a mistake.
var errNothingToAsk = errors.New("nothing to ask")

// quietNothing turns errNothingToAsk into success.
func quietNothing(err error) error {
	if errors.Is(err, errNothingToAsk) {
		return nil
	}
	return err
}

// recorder writes a session to the progress database as it happens: one
// transaction per answer, committed before the next question is shown.
// Without a database (a state folder that cannot be written, a damaged or
// newer database) the quiz still runs, with a warning that nothing will
// be saved.
type recorder struct {
	f       *Factory
	st      *store.Store
	sess    *quiz.Session
	id      string
	budget  time.Duration // --question-time, or each question's default
	written int           // records already stored
	failed  bool

	// started is closed once the session's start is recorded or cannot
	// be; until then st, id and startErr belong to the goroutine that
	// records it (see startRecorder), and wait joins it.
	started  chan struct{}
	startErr error
	warned   bool
}

// storeResult is the progress database as Factory.Store opened it.
type storeResult struct {
	st  *store.Store
	err error
}

// openStoreEarly starts opening the progress database while the packs
// load, so the first question does not wait for it: the open (the schema
// version check, WAL mode, the migrations) and the sweep for killed
// sessions cost several milliseconds, and the packs as much CPU again on
// another core. The recorder takes the result; nil when there is no
// database, or when choosing the questions reads it (--missed, review),
// which opens it before anything else.
func (o *PlayOptions) openStoreEarly() <-chan storeResult {
	if o.f.Store == nil || o.Missed || o.pick != nil {
		return nil
	}
	ch := make(chan storeResult, 1)
	go func() {
		st, err := o.f.Store()
		ch <- storeResult{st, err}
	}()
	return ch
}

// startRecorder records the start of a session in the background: the
// first question is shown meanwhile, and every write waits for it (wait),
// so the first answer is still committed before the next question. The
// database comes from opened (openStoreEarly) when it is set.
func startRecorder(o *PlayOptions, sess *quiz.Session, seed uint64, opened <-chan storeResult) *recorder {
	r := &recorder{f: o.f, sess: sess, budget: o.QuestionTime, started: make(chan struct{})}
	if o.f.Store == nil && opened == nil {
		close(r.started)
		return r
	}
	kind := o.kind
	if kind == "" {
		kind = store.KindPlay
	}
	s := &store.Session{Kind: kind, Packs: sessionPacks(sess), Mode: string(o.mode), Flags: o.flagsText(), Seed: seed, Started: o.f.Now()}
	go func() {
		defer close(r.started)
		var res storeResult
		if opened != nil {
			res = <-opened
		} else {
			res.st, res.err = o.f.Store()
		}
		if res.err != nil {
			r.startErr = res.err
			return
		}
		if err := res.st.StartSession(context.Background(), s); err != nil {
			r.startErr = err
			return
		}
		r.st, r.id = res.st, s.ID
	}()
	return r
}

// wait joins the recording of the session's start and says, once, when
// the session cannot be saved.
func (r *recorder) wait() {
	<-r.started
	if r.startErr != nil && !r.warned {
		r.warned = true
		fmt.Fprintf(r.f.IOStreams.ErrOut, "pyquiz: warning: this session will not be saved: %s\n", render.Escape(r.startErr.Error()))
	}
}

func sessionPacks(sess *quiz.Session) []string {
	seen := map[string]bool{}
	var ids []string
	for _, it := range sess.Items {
		if id := it.Question.PackID; !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// flagsText is the session's choices as a command line, for the record.
func (o *PlayOptions) flagsText() string {
	var b []string
	add := func(flag string, vals ...string) {
		for _, v := range vals {
			b = append(b, flag+" "+v)
		}
	}
	add("--pack", o.Packs...)
	add("--tag", o.Tags...)
	add("--difficulty", o.Difficulties...)
	if o.Python != "" {
		add("--python", o.Python)
	}
	if o.N > 0 {
		add("-n", fmt.Sprint(o.N))
	}
	if o.Multi != "" && o.Multi != "partial" {
		add("--multi", o.Multi)
	}
	if o.Penalty > 0 {
		add("--penalty", fmt.Sprint(o.Penalty))
	}
	if o.TimeLimit > 0 {
		add("--time-limit", o.TimeLimit.String())
	}
	if o.QuestionTime > 0 {
		add("--question-time", o.QuestionTime.String())
	}
	if o.Missed {
		b = append(b, "--missed")
	}
	return strings.Join(b, " ")
}

// sync stores the records the session made since the last call. The loop
// calls it after every answer, skip and time-out.
func (r *recorder) sync() {
	r.wait()
	for r.st != nil && !r.failed && r.written < len(r.sess.Records) {
		rec := r.sess.Records[r.written]
		a := attemptOf(rec)
		if p := r.sess.Config.Packs[rec.Item.Question.PackID]; p != nil {
			a.PackVersion = p.Version
		}
		a.Session, a.Mode, a.At = r.id, string(r.sess.Config.Mode), r.f.Now()
		budget := r.budget
		if budget == 0 {
			budget = store.DefaultBudget(rec.Item.Question)
		}
		a.Rating = store.Rate(a, budget)
		if err := r.st.RecordAttempt(context.Background(), &a); err != nil {
			r.failed = true
			fmt.Fprintf(r.f.IOStreams.ErrOut, "pyquiz: warning: answers from here on will not be saved: %s\n", render.Escape(err.Error()))
			return
		}
		r.written++
	}
}

// attemptOf is a session record as the store keeps it.
func attemptOf(rec quiz.Record) store.Attempt {
	q := rec.Item.Question
	a := store.Attempt{
		Question:    q.FullID(),
		ContentHash: store.ContentHash(q),
		Given:       rec.Given,
		Status:      store.StatusOf(rec),
		Correct:     rec.Correct,
		Points:      rec.Points,
		Max:         rec.Max,
		Hints:       rec.Hints,
		Seconds:     rec.Duration.Seconds(),
	}
	if q.ChoicesOf == nil && len(rec.Item.Order) > 0 {
		// the letters the student saw, for a report rebuilt later
		a.Order = quiz.Letters(rec.Item.Order)
	}
	return a
}

// finish stores what is left (exam questions not reached) and marks the
// session finished, or interrupted after Ctrl-C.
func (r *recorder) finish(interrupted bool) {
	r.sync()
	if r.st == nil {
		return
	}
	status := store.SessionFinished
	if interrupted {
		status = store.SessionInterrupted
	}
	if err := r.st.EndSession(context.Background(), r.id, status, r.f.Now()); err != nil {
		fmt.Fprintf(r.f.IOStreams.ErrOut, "pyquiz: warning: %s\n", render.Escape(err.Error()))
	}
}

// narrow applies --missed (and review's choice, through o.pick) to the
// questions the selection flags matched.
func (o *PlayOptions) narrow(qs []*quiz.Question) ([]*quiz.Question, error) {
	if o.Missed {
		o.kind = store.KindMissed
		return missedQuestions(o, qs)
	}
	if o.pick != nil {
		return o.pick(qs)
	}
	return qs, nil
}

// missedQuestions keeps the questions missed in the last session that
// asked any of the packs of qs, in the order they were asked.
func missedQuestions(o *PlayOptions, qs []*quiz.Question) ([]*quiz.Question, error) {
	if o.f.Store == nil {
		return nil, errors.New("--missed needs the progress database")
	}
	st, err := o.f.Store()
	if err != nil {
		return nil, fmt.Errorf("--missed: %w", err)
	}
	byID := map[string]*quiz.Question{}
	var packs []string
	for _, q := range qs {
		if !slices.Contains(packs, q.PackID) {
			packs = append(packs, q.PackID)
		}
		byID[q.FullID()] = q
	}
	session, missed, err := st.Missed(context.Background(), packs)
	if err != nil {
		return nil, fmt.Errorf("--missed: %w", err)
	}
	ios := o.f.IOStreams
	if session == "" {
		fmt.Fprintln(ios.ErrOut, "No session recorded yet for these packs, so nothing was missed. Run pyquiz play first.")
		return nil, errNothingToAsk
	}
	var out []*quiz.Question
	for _, id := range missed {
		if q := byID[id]; q != nil {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		fmt.Fprintf(ios.ErrOut, "Nothing was missed in the last session (%s). Well done.\n", session)
		return nil, errNothingToAsk
	}
	fmt.Fprintf(ios.ErrOut, "The %s missed in session %s.\n", nQuestions(len(out)), session)
	return out, nil
}

// nQuestions is "1 question", "3 questions".
func nQuestions(n int) string {
	if n == 1 {
		return "1 question"
	}
	return fmt.Sprintf("%d questions", n)
}
