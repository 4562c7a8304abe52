package cli

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/store"
)

// watchedOut is a stdout that calls on with everything written so far,
// after each write, on the writing goroutine.
type watchedOut struct {
	mu  sync.Mutex
	buf bytes.Buffer
	on  func(string)
}

func (w *watchedOut) Write(p []byte) (int, error) {
	w.mu.Lock()
	n, _ := w.buf.Write(p)
	s := w.buf.String()
	w.mu.Unlock()
	w.on(s)
	return n, nil
}

func (w *watchedOut) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// attempts counts the attempts in the progress database of dir, through a
// connection of its own.
func attempts(t *testing.T, dir string) int {
	t.Helper()
	st, err := store.OpenDir(dir)
	require.NoError(t, err)
	defer st.Close()
	n, _, err := st.Count(context.Background(), "")
	require.NoError(t, err)
	return n
}

// TestPlayFirstQuestionBeforeDatabase checks that the first question is on
// screen while the progress database is still being opened (PRODUCT.md
// section 10: start-up), and that every answer is still saved, each one
// before the next question is shown.
func TestPlayFirstQuestionBeforeDatabase(t *testing.T) {
	f, _, errOut := playFactory(t, strings.NewReader("c\nt\n"))
	dir := f.StateDir()
	shown := make(chan struct{})
	var once sync.Once
	var atSecond []int
	out := &watchedOut{on: func(s string) {
		if strings.Contains(s, "Question 1/") {
			once.Do(func() { close(shown) })
		}
		if strings.Contains(s, "Question 2/") && len(atSecond) == 0 {
			atSecond = append(atSecond, attempts(t, dir))
		}
	}}
	f.IOStreams.Out = out
	release := make(chan struct{})
	f.Store = func() (*store.Store, error) {
		<-release
		return store.OpenDir(dir)
	}
	done := make(chan int, 1)
	go func() { done <- Run(context.Background(), f, []string{"play", "--no-shuffle"}) }()
	select {
	case <-shown:
	case <-time.After(20 * time.Second):
		close(release)
		<-done
		t.Fatal("the first question waited for the progress database")
	}
	close(release)
	code := <-done
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "Score: 1/2 (50%)")
	assert.Equal(t, []int{1}, atSecond, "attempts saved when question 2 was shown")
	assert.Equal(t, 2, attempts(t, dir))
}

// TestPlayWarnsBeforeFirstAnswer checks that a database that cannot be
// opened is said, once, before the first answer is taken, as it was when
// the database was opened first: stdout and stderr go to one terminal.
func TestPlayWarnsBeforeFirstAnswer(t *testing.T) {
	f, _, _ := playFactory(t, strings.NewReader("c\nt\n"))
	term := &watchedOut{on: func(string) {}}
	f.IOStreams.Out, f.IOStreams.ErrOut = term, term
	f.Store = func() (*store.Store, error) {
		return nil, &store.UnwritableError{Path: "/nowhere", Err: assert.AnError}
	}
	code := Run(context.Background(), f, []string{"play", "--no-shuffle"})
	s := term.String()
	require.Equal(t, 0, code, s)
	assert.Equal(t, 1, strings.Count(s, "this session will not be saved"), s)
	warn, answer := strings.Index(s, "this session will not be saved"), strings.Index(s, "> c\n")
	assert.True(t, warn >= 0 && answer > warn, "the warning comes after the first answer:\n%s", s)
	assert.Contains(t, s, "Score: 1/2 (50%)")
}
