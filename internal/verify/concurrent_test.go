package verify

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

// TestRecordHelper is not a test: TestConcurrentRecord starts the test
// binary once per process with PYQUIZ_TEST_RECORD=<dir>:<n>, and this
// records question n as proven on 3.12.1 into <dir>/verified.json.
func TestRecordHelper(t *testing.T) {
	arg := os.Getenv("PYQUIZ_TEST_RECORD")
	if arg == "" {
		t.Skip("helper process only")
	}
	i := strings.LastIndex(arg, ":")
	dir := arg[:i]
	n, _ := strconv.Atoi(arg[i+1:])
	q := question(fmt.Sprintf("q%d", n), fmt.Sprintf("print(%d)", n), "", quiz.Outcome{Stdout: fmt.Sprintf("%d\n", n)})
	rep := &Report{Results: []Result{{Question: q.FullID(), Python: "3.12.1", Status: OK, q: q}}}
	_, err := Record(dir, rep)
	require.NoError(t, err)
	j := job{q: q, py: py("3.12.1"), exp: expectation{stdout: "same for every process"}}
	j.py.Build = "b"
	(&ResultCache{Dir: dir + "/results"}).put(j, Result{Status: OK, Got: strconv.Itoa(n)})
}

// TestConcurrentRecord runs verify's recording in real concurrent
// processes and wants every one's result in verified.json: without the
// lock, a process that read the file before another saved it wrote its
// own view back and the other's result was lost.
func TestConcurrentRecord(t *testing.T) {
	const procs, rounds = 6, 5
	for round := range rounds {
		dir := t.TempDir()
		var wg sync.WaitGroup
		errs := make([]error, procs)
		out := make([][]byte, procs)
		for n := range procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(os.Args[0], "-test.run=^TestRecordHelper$", "-test.count=1")
				cmd.Env = append(os.Environ(), fmt.Sprintf("PYQUIZ_TEST_RECORD=%s:%d", dir, n))
				out[n], errs[n] = cmd.CombinedOutput()
			}()
		}
		wg.Wait()
		for n := range procs {
			require.NoError(t, errs[n], "process %d: %s", n, out[n])
		}
		c, err := LoadCache(dir)
		require.NoError(t, err)
		for n := range procs {
			q := question(fmt.Sprintf("q%d", n), fmt.Sprintf("print(%d)", n), "", quiz.Outcome{Stdout: fmt.Sprintf("%d\n", n)})
			assert.Equal(t, []string{"3.12.1"}, c.VerifiedOn(q), "round %d: process %d's result lost", round, n)
		}
		// Every process wrote the same result-cache entry; it is whole.
		j := job{q: question("q0", "print(0)", "", quiz.Outcome{Stdout: "0\n"}), py: py("3.12.1"), exp: expectation{stdout: "same for every process"}}
		j.py.Build = "b"
		r, ok := (&ResultCache{Dir: dir + "/results"}).get(j)
		require.True(t, ok, "round %d: cached entry unreadable", round)
		assert.Equal(t, OK, r.Status)
	}
}
