package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pyquiz/pyquiz/quiz"
)

// CacheFile is the name of the verified-on cache in the state folder.
const CacheFile = "verified.json"

// Cache remembers, per question, the exact Python versions its key was
// proven on, so `show --answer` can say "verified on" without running code.
// An entry counts only while the question's code and expect are unchanged.
type Cache struct {
	Version   int                   `json:"version"`
	Questions map[string]CacheEntry `json:"questions"` // by full question id
	path      string
}

// CacheEntry is one question's proof.
type CacheEntry struct {
	Hash    string   `json:"hash"`    // QuestionHash of code + expect when proven
	Pythons []string `json:"pythons"` // exact versions, sorted
}

// QuestionHash identifies what was proven: the code and the expect
// outcomes (and, for output questions checked against their answer, the answer).
func QuestionHash(q *quiz.Question) string {
	h := sha256.New()
	fmt.Fprintf(h, "code\x00%s\x00", q.Code)
	for _, o := range q.Expect {
		fmt.Fprintf(h, "outcome\x00%s\x00%s\x00%s\x00", o.Python.String(), o.Stdout, o.Raises)
	}
	if len(q.Expect) == 0 {
		fmt.Fprintf(h, "answer\x00%s\x00", strings.Join(q.Answer.Texts, "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// LoadCache reads stateDir/verified.json; a missing file is an empty cache.
func LoadCache(stateDir string) (*Cache, error) {
	c := &Cache{Version: 1, Questions: map[string]CacheEntry{}, path: filepath.Join(stateDir, CacheFile)}
	data, err := os.ReadFile(c.path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read verify cache: %w", err)
	}
	if err := json.Unmarshal(data, c); err != nil {
		return &Cache{Version: 1, Questions: map[string]CacheEntry{}, path: c.path}, fmt.Errorf("read verify cache %s: %w", c.path, err)
	}
	if c.Questions == nil {
		c.Questions = map[string]CacheEntry{}
	}
	return c, nil
}

// VerifiedOn returns the exact versions q's key was proven on, sorted, or
// nil when it never was or its code or expect changed since.
func (c *Cache) VerifiedOn(q *quiz.Question) []string {
	if c == nil {
		return nil
	}
	e, ok := c.Questions[q.FullID()]
	if !ok || e.Hash != QuestionHash(q) {
		return nil
	}
	return append([]string(nil), e.Pythons...)
}

// Update records a report: versions that were ok are added, versions that
// failed are removed, and an entry for changed code starts afresh.
func (c *Cache) Update(rep *Report) {
	type acc struct {
		q        *quiz.Question
		ok, fail []string
	}
	byQ := map[string]*acc{}
	var order []string
	for _, r := range rep.Results {
		if r.q == nil || r.Python == "" {
			continue
		}
		a := byQ[r.Question]
		if a == nil {
			a = &acc{q: r.q}
			byQ[r.Question] = a
			order = append(order, r.Question)
		}
		if r.Status == OK {
			a.ok = append(a.ok, r.Python)
		} else {
			a.fail = append(a.fail, r.Python)
		}
	}
	for _, id := range order {
		a := byQ[id]
		h := QuestionHash(a.q)
		set := map[string]bool{}
		if e, ok := c.Questions[id]; ok && e.Hash == h {
			for _, v := range e.Pythons {
				set[v] = true
			}
		}
		for _, v := range a.fail {
			delete(set, v)
		}
		for _, v := range a.ok {
			set[v] = true
		}
		var vs []string
		for v := range set {
			vs = append(vs, v)
		}
		SortVersions(vs)
		if len(vs) == 0 {
			delete(c.Questions, id)
			continue
		}
		c.Questions[id] = CacheEntry{Hash: h, Pythons: vs}
	}
}

// Record merges rep into stateDir/verified.json under an exclusive lock
// (flock on verified.json.lock): read, update, write, unlock. Two verify
// runs at once then each add their results to what the other wrote,
// instead of the last one to save replacing the file with its own view.
// A broken file is started afresh; the error says so.
func Record(stateDir string, rep *Report) (loadErr, err error) {
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("write verify cache: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(stateDir, CacheFile+".lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("write verify cache: %w", err)
	}
	defer lock.Close()
	if err := lockFile(lock); err != nil {
		return nil, fmt.Errorf("lock verify cache: %w", err)
	}
	defer unlockFile(lock)
	c, loadErr := LoadCache(stateDir)
	c.Update(rep)
	return loadErr, c.Save()
}

// Save writes the cache atomically.
func (c *Cache) Save() error {
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return fmt.Errorf("write verify cache: %w", err)
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".verified-*.json")
	if err != nil {
		return fmt.Errorf("write verify cache: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write verify cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write verify cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return fmt.Errorf("write verify cache: %w", err)
	}
	return nil
}

// SortVersions sorts version strings numerically (2.7.18 < 3.6.15 < 3.10.13).
func SortVersions(vs []string) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, errA := quiz.ParseVersion(vs[i])
		b, errB := quiz.ParseVersion(vs[j])
		if errA != nil || errB != nil {
			return vs[i] < vs[j]
		}
		return a.Compare(b) < 0
	})
}
