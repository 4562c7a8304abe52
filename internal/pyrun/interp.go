package pyrun

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pyquiz/pyquiz/quiz"
)

// Interpreter is one Python found on this machine.
type Interpreter struct {
	Path    string       `json:"path"`  // the real executable (sys.executable, symlinks resolved)
	Version quiz.Version `json:"-"`     // exact, from sys.version_info
	Found   string       `json:"found"` // where it was found: "--python", "PYQUIZ_PYTHONS", "PATH (…)", "pyenv"
	Via     string       `json:"via"`   // the path it was found as (a pyenv shim, a symlink)
	// Build identifies the exact build: sys.version (with its build date
	// and compiler) and the executable's size and modification time. Any
	// change means verify's cached verdicts no longer apply.
	Build string `json:"-"`
}

// Prefix is the folder py is installed in (the parent of its bin folder):
// what a sandbox must leave readable for it to start.
func Prefix(py Interpreter) string { return filepath.Dir(filepath.Dir(py.Path)) }

// VersionString is the exact version, "3.11.7".
func (p Interpreter) VersionString() string { return p.Version.String() }

// DiscoverOptions says where to look for interpreters.
type DiscoverOptions struct {
	// Specs are versions ("2.7", "3.11.7") or interpreter paths, from
	// --python or PYQUIZ_PYTHONS; when set, only those are returned.
	Specs []string
	// SpecSource names where Specs came from in messages: "--python".
	SpecSource string
	Getenv     func(string) string
	// Environ is the environment probes run in (pyenv shims need theirs);
	// os.Environ() when nil. Snippets never see it.
	Environ []string
	// ProbeCache, when set, is a file that remembers probes: an
	// interpreter (or a symlink to one) whose file is unchanged is not
	// started again. Wrapper scripts such as pyenv's shims are always run.
	ProbeCache string
}

// SpecError is a --python value that names nothing usable.
type SpecError struct{ Msg string }

func (e *SpecError) Error() string { return e.Msg }

// SplitSpecs splits "2.7,3.11" into its parts.
func SplitSpecs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var pythonName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^python([23](\.[0-9]+)?)?$`) })

// Discover finds interpreters on PATH and in pyenv's versions folder (or
// only those Specs name), asks each for its exact version and real path,
// and drops duplicates. The result is sorted by version.
func Discover(ctx context.Context, opts DiscoverOptions) ([]Interpreter, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	environ := opts.Environ
	if environ == nil {
		environ = os.Environ()
	}
	type cand struct{ path, found string }
	var cands []cand
	var versions []string // version specs to filter the automatic set by
	var explicit []cand
	for _, s := range opts.Specs {
		if strings.ContainsRune(s, os.PathSeparator) {
			explicit = append(explicit, cand{s, opts.SpecSource})
			continue
		}
		v, err := quiz.ParseVersion(s)
		if err != nil || (v.Major != 2 && v.Major != 3) {
			if _, lerr := exec.LookPath(s); lerr == nil && strings.HasPrefix(s, "python") {
				explicit = append(explicit, cand{s, opts.SpecSource})
				continue
			}
			return nil, &SpecError{fmt.Sprintf("%s %s: not a Python version or interpreter path (examples: 2.7, 3.11, 3.11.7, /usr/bin/python3)", opts.SpecSource, s)}
		}
		versions = append(versions, s)
	}
	cands = append(cands, explicit...)
	if len(opts.Specs) == 0 || len(versions) > 0 {
		root := getenv("PYENV_ROOT")
		if root == "" {
			if home := getenv("HOME"); home != "" {
				root = filepath.Join(home, ".pyenv")
			}
		}
		var pyenvVersions []string
		if root != "" {
			pyenvVersions, _ = filepath.Glob(filepath.Join(root, "versions", "*", "bin", "python"))
			sort.Strings(pyenvVersions)
		}
		seen := map[string]bool{}
		for _, dir := range filepath.SplitList(getenv("PATH")) {
			if dir == "" {
				continue
			}
			ents, err := os.ReadDir(dir)
			if err != nil {
				continue
			}
			// pyenv's shims can only lead to an interpreter of its versions
			// folder, read below, or to one of the system's, found on PATH
			// anyway; each costs a bash start-up and `pyenv exec` to probe.
			if len(pyenvVersions) > 0 && isPyenvShimDir(root, dir) {
				continue
			}
			for _, e := range ents {
				if !pythonName().MatchString(e.Name()) {
					continue
				}
				p := filepath.Join(dir, e.Name())
				if seen[p] {
					continue
				}
				seen[p] = true
				cands = append(cands, cand{p, "PATH (" + e.Name() + ")"})
			}
		}
		for _, m := range pyenvVersions {
			cands = append(cands, cand{m, "pyenv"})
		}
	}

	// Probe in parallel: pyenv shims are shell scripts and take 100+ ms each.
	type probed struct {
		py  Interpreter
		err error
	}
	res := make([]probed, len(cands))
	pc := loadProbeCache(opts.ProbeCache)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, c := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			py, err := pc.probe(ctx, c.path, environ)
			py.Found = c.found
			res[i] = probed{py, err}
		}()
	}
	wg.Wait()
	pc.save()

	var exp, auto []Interpreter
	byPath := map[string]bool{}
	byVersion := map[string]bool{}
	for i, r := range res {
		if r.err != nil {
			if i < len(explicit) {
				return nil, &SpecError{fmt.Sprintf("%s %s: %v", opts.SpecSource, cands[i].path, r.err)}
			}
			continue
		}
		if i < len(explicit) {
			if !byPath[r.py.Path] {
				exp = append(exp, r.py)
			}
			byPath[r.py.Path] = true
			continue
		}
		v := r.py.Version.String()
		if byPath[r.py.Path] || byVersion[v] {
			continue
		}
		byPath[r.py.Path] = true
		byVersion[v] = true
		auto = append(auto, r.py)
	}
	out := append(exp, auto...)
	if len(opts.Specs) > 0 {
		out = exp
		for _, s := range versions {
			c := quiz.MustConstraint(s)
			n := 0
			for _, py := range auto {
				if c.Allows(py.Version) {
					py.Found = opts.SpecSource + " " + s + ": " + py.Found
					out = append(out, py)
					n++
				}
			}
			if n == 0 {
				var have []string
				for _, py := range auto {
					have = append(have, py.Version.String())
				}
				found := "found none"
				if len(have) > 0 {
					found = "found: " + strings.Join(have, ", ")
				}
				return nil, &SpecError{fmt.Sprintf("%s %s: no Python %s interpreter on PATH or in pyenv (%s)", opts.SpecSource, s, s, found)}
			}
		}
		out = dedupe(out)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := out[i].Version.Compare(out[j].Version); c != 0 {
			return c < 0
		}
		return out[i].Path < out[j].Path
	})
	return out, nil
}

// isPyenvShimDir reports whether dir is pyenv's shims folder (or a plugin's).
func isPyenvShimDir(root, dir string) bool {
	rel, err := filepath.Rel(root, dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	return rel == "shims" || (strings.HasPrefix(rel, "plugins"+string(filepath.Separator)) && filepath.Base(rel) == "shims")
}

func dedupe(in []Interpreter) []Interpreter {
	seen := map[string]bool{}
	var out []Interpreter
	for _, py := range in {
		if !seen[py.Path] {
			seen[py.Path] = true
			out = append(out, py)
		}
	}
	return out
}

const probeCode = `import sys; sys.stdout.write("%d.%d.%d\n%s\n%s\n" % (tuple(sys.version_info[:3]) + (sys.executable, sys.version.replace("\n", " "))))`

// Probe asks the interpreter at path for its exact version and real path.
func Probe(ctx context.Context, path string, environ []string) (Interpreter, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-E", "-S", "-c", probeCode)
	cmd.Env = environ
	out, err := cmd.Output()
	if err != nil {
		return Interpreter{Via: path}, fmt.Errorf("not a working Python interpreter: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		return Interpreter{Via: path}, fmt.Errorf("not a working Python interpreter (it printed %q)", out)
	}
	v, err := quiz.ParseVersion(lines[0])
	if err != nil {
		return Interpreter{Via: path}, err
	}
	real := strings.TrimSpace(lines[1])
	if real == "" {
		real = path
	}
	if r, err := filepath.EvalSymlinks(real); err == nil {
		real = r
	}
	build := strings.TrimSpace(lines[2])
	if fi, err := os.Stat(real); err == nil {
		build = fmt.Sprintf("%s|%d|%d", build, fi.Size(), fi.ModTime().UnixNano())
	}
	return Interpreter{Path: real, Version: v, Via: path, Build: build}, nil
}

// probeCache remembers what Probe said about an interpreter file, keyed by
// the path and what stat says about the file it leads to.
type probeCache struct {
	file    string
	mu      sync.Mutex
	entries map[string]probeEntry
	changed bool
}

type probeEntry struct {
	Stat    string `json:"stat"`
	Path    string `json:"path"`
	Version string `json:"version"`
	Build   string `json:"build"`
}

func loadProbeCache(file string) *probeCache {
	pc := &probeCache{file: file, entries: map[string]probeEntry{}}
	if file == "" {
		return pc
	}
	if data, err := os.ReadFile(file); err == nil {
		json.Unmarshal(data, &pc.entries)
	}
	return pc
}

func statKey(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	key := fmt.Sprintf("%d|%d|%s", fi.Size(), fi.ModTime().UnixNano(), fi.Mode())
	return key + fileID(fi)
}

func (pc *probeCache) probe(ctx context.Context, path string, environ []string) (Interpreter, error) {
	if pc.file == "" {
		return Probe(ctx, path, environ)
	}
	stat := statKey(path)
	pc.mu.Lock()
	e, ok := pc.entries[path]
	pc.mu.Unlock()
	if ok && stat != "" && e.Stat == stat {
		if v, err := quiz.ParseVersion(e.Version); err == nil {
			return Interpreter{Path: e.Path, Version: v, Via: path, Build: e.Build}, nil
		}
	}
	py, err := Probe(ctx, path, environ)
	if err != nil || stat == "" {
		return py, err
	}
	// Only an interpreter reached through symlinks is what its file says;
	// a script in between (a pyenv shim) may pick another one each time.
	if real, rerr := filepath.EvalSymlinks(path); rerr == nil && real == py.Path {
		pc.mu.Lock()
		pc.entries[path] = probeEntry{Stat: stat, Path: py.Path, Version: py.Version.String(), Build: py.Build}
		pc.changed = true
		pc.mu.Unlock()
	}
	return py, nil
}

// save writes the cache atomically; a cache that cannot be written only
// costs a probe next time.
func (pc *probeCache) save() {
	if pc.file == "" || !pc.changed {
		return
	}
	data, err := json.Marshal(pc.entries)
	if err != nil || os.MkdirAll(filepath.Dir(pc.file), 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(pc.file), ".probe-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), pc.file) != nil {
		os.Remove(tmp.Name())
	}
}
