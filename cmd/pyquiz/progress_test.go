package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/store"
)

// These tests run the real pyquiz binary (the test binary under the name
// pyquiz, put on PATH by testscript.Main) as separate processes against
// one real SQLite file.

func pyquizCmd(t *testing.T, home string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := exec.LookPath("pyquiz")
	require.NoError(t, err)
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "PYQUIZ_HOME="+home, "PYQUIZ_PACKS=", "XDG_DATA_HOME="+filepath.Join(home, "data"), "NO_COLOR=1")
	return cmd
}

func attemptCount(t *testing.T, home string) (attempts int, sessions []store.Session) {
	t.Helper()
	st, err := store.OpenDir(home)
	require.NoError(t, err)
	defer st.Close()
	ctx := context.Background()
	require.NoError(t, st.ReapKilled(ctx))
	sessions, err = st.Sessions(ctx, 0)
	require.NoError(t, err)
	for _, s := range sessions {
		attempts += s.Attempts
	}
	return attempts, sessions
}

func TestKillNineKeepsEveryAnswerGiven(t *testing.T) {
	home := t.TempDir()
	cmd := pyquizCmd(t, home, "play", "--pack", "pitfalls", "-n", "10", "--seed", "4")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(stdout)
	answered := 0
	// Skip three questions, waiting each time for the feedback that shows
	// the skip was taken; then kill -9 with the fourth question on screen.
	for answered < 3 {
		_, err := io.WriteString(stdin, "s\n")
		require.NoError(t, err)
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), "Skipped.") {
				answered++
				break
			}
		}
		require.NoError(t, lines.Err())
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	err = cmd.Wait()
	require.Error(t, err, "the process was killed")

	n, sessions := attemptCount(t, home)
	assert.Equal(t, 3, n, "every answer given before kill -9 is in the database")
	require.Len(t, sessions, 1)
	assert.Equal(t, store.SessionKilled, sessions[0].Status, "a killed session is marked as such")
}

func TestTwoProcessesAtOnceBothLandEveryAnswer(t *testing.T) {
	home := t.TempDir()
	// Every built-in question skipped (s works for every type), by two
	// processes at once, three rounds: each skip is its own transaction.
	const rounds = 3
	var wg sync.WaitGroup
	errs := make(chan error, 2*rounds)
	outs := make([]string, 2*rounds)
	start := time.Now()
	for r := 0; r < rounds; r++ {
		for p := 0; p < 2; p++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				cmd := pyquizCmd(t, home, "play", "-n", "0", "--seed", fmt.Sprint(i))
				cmd.Stdin = strings.NewReader(strings.Repeat("s\n", 200))
				out, err := cmd.CombinedOutput()
				outs[i] = string(out)
				if err != nil {
					errs <- fmt.Errorf("process %d: %v\n%s", i, err, out)
				}
			}(2*r + p)
		}
		wg.Wait()
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d sessions in %s", 2*rounds, time.Since(start))
	n, sessions := attemptCount(t, home)
	require.Len(t, sessions, 2*rounds)
	per := sessions[0].Attempts
	assert.Greater(t, per, 50)
	assert.Equal(t, 2*rounds*per, n, "both processes land every answer")
	for _, s := range sessions {
		assert.Equal(t, store.SessionFinished, s.Status)
		assert.Equal(t, per, s.Attempts)
	}
	for _, out := range outs {
		assert.NotContains(t, out, "pyquiz: warning")
	}
}
