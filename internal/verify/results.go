package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pyquiz/pyquiz/internal/pyrun"
)

// ResultCache remembers verdicts the way `go test` remembers test results:
// a verdict is reused while the snippet, what its key says for that version,
// the interpreter's exact build and the runner's settings are unchanged.
// Each entry is its own file named by the hash of all that, written to a
// temporary file and renamed into place, so concurrent verify runs never
// see half an entry and never lose one another's.
type ResultCache struct {
	Dir string // created on first Put
	// Salt is everything else a verdict depends on: the runner's limits
	// and sandbox, the fork server's version.
	Salt string
}

// resultCacheVersion changes when what a cached Result means changes.
const resultCacheVersion = "verify-result-1"

// cacheable reports whether a verdict is worth keeping: ok and mismatch
// (and a flood) come out the same on every run; a time-out depends on the
// machine's load and nondeterminism on luck, so those run again.
func cacheable(s Status) bool { return s == OK || s == Mismatch || s == Flood }

func (c *ResultCache) key(j job) string {
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s\x00", len(s), s) }
	field(resultCacheVersion)
	field(c.Salt)
	field(j.q.Code)
	e := j.exp
	field(fmt.Sprintf("%q %q %v %v %v", e.stdout, e.raises, e.loose, e.forever, e.anyErr))
	field(j.py.Path)
	field(j.py.Version.String())
	field(j.py.Build)
	return hex.EncodeToString(h.Sum(nil))
}

func (c *ResultCache) path(key string) string {
	return filepath.Join(c.Dir, key[:2], key[2:])
}

// get returns the cached verdict of j, if any.
func (c *ResultCache) get(j job) (Result, bool) {
	if c == nil || c.Dir == "" || j.py.Build == "" {
		return Result{}, false
	}
	data, err := os.ReadFile(c.path(c.key(j)))
	if err != nil {
		return Result{}, false
	}
	var r Result
	if json.Unmarshal(data, &r) != nil || !cacheable(r.Status) {
		return Result{}, false
	}
	r.Question, r.Python, r.q = j.q.FullID(), j.py.Version.String(), j.q
	return r, true
}

// put stores j's verdict; a cache that cannot be written is only slower.
func (c *ResultCache) put(j job, r Result) {
	if c == nil || c.Dir == "" || j.py.Build == "" || !cacheable(r.Status) {
		return
	}
	data, err := json.Marshal(r)
	if err != nil {
		return
	}
	p := c.path(c.key(j))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}

// RunnerSalt describes a runner's settings for ResultCache.Salt.
func RunnerSalt(parts ...string) string {
	return strings.Join(append([]string{pyrun.Version}, parts...), "\x00")
}
