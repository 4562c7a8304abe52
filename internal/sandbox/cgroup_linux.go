package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// A cgroup bounds what a sandbox's processes use together: resource
// limits are per process, so a snippet that forks N children could hold N
// times --memory without one. pyquiz makes a cgroup per sandbox under its
// own one, in a writable hierarchy with the memory and pids controllers:
// cgroup v2 where it may enable them for sub-cgroups (its own cgroup is
// the root, or already hands them down), else cgroup v1's memory and pids
// hierarchies when it may write there (root). The group also says how much
// CPU time its processes have used together (Group.CPU): cgroup v2's
// cpu.stat, which every cgroup has, or v1's cpuacct hierarchy when it is
// mounted and writable.

type hierarchy struct {
	v2      bool
	memory  string // the parent folder of the sandboxes' memory cgroups (v2: of their only cgroup)
	pids    string // v1: the parent folder of their pids cgroups
	cpuacct string // v1: the parent folder of their cpuacct cgroups, or "" (no CPU accounting)
}

// parents are the folders the sandboxes' cgroups are made in.
func (h *hierarchy) parents() []string {
	out := []string{h.memory}
	for _, p := range []string{h.pids, h.cpuacct} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

var (
	cgOnce sync.Once
	cgRoot *hierarchy
	cgWhy  string
	cgSeq  atomic.Int64
)

// Cgroups says whether sandboxes get a cgroup each (NewGroup), and why not
// when they do not.
func Cgroups() (bool, string) {
	cgOnce.Do(func() { cgRoot, cgWhy = findHierarchy() })
	return cgRoot != nil, cgWhy
}

// cgroupMounts lists the cgroup mount points by controller ("" for cgroup2).
func cgroupMounts() (map[string]string, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// id parent maj:min root mountpoint options ... - fstype source superoptions
		fields := strings.Fields(sc.Text())
		sep := -1
		for i, x := range fields {
			if x == "-" {
				sep = i
				break
			}
		}
		if sep < 5 || len(fields) < sep+3 || fields[3] != "/" {
			continue
		}
		point, fstype := unescapeMountPath(fields[4]), fields[sep+1]
		switch fstype {
		case "cgroup2":
			if _, ok := out[""]; !ok {
				out[""] = point
			}
		case "cgroup":
			if len(fields) < sep+4 {
				continue
			}
			for _, o := range strings.Split(fields[sep+3], ",") {
				if o == "memory" || o == "pids" || o == "cpuacct" {
					out[o] = point
				}
			}
		}
	}
	return out, sc.Err()
}

// ownCgroups is /proc/self/cgroup: controller ("" for v2) -> path.
func ownCgroups() (map[string]string, error) {
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[1] == "" {
			out[""] = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			out[c] = parts[2]
		}
	}
	return out, nil
}

func findHierarchy() (*hierarchy, string) {
	mounts, err := cgroupMounts()
	if err != nil {
		return nil, "cannot read the mounts: " + err.Error()
	}
	own, err := ownCgroups()
	if err != nil {
		return nil, "cannot read /proc/self/cgroup: " + err.Error()
	}
	var why []string
	if point, ok := mounts[""]; ok {
		dir := filepath.Join(point, own[""])
		if err := delegate(dir); err == nil {
			h := &hierarchy{v2: true, memory: dir}
			sweep(h)
			return h, ""
		} else {
			why = append(why, fmt.Sprintf("cgroup v2 at %s: %v", dir, err))
		}
	}
	mem, okm := mounts["memory"]
	pids, okp := mounts["pids"]
	if okm && okp {
		h := &hierarchy{memory: filepath.Join(mem, own["memory"]), pids: filepath.Join(pids, own["pids"])}
		if acct, ok := mounts["cpuacct"]; ok {
			h.cpuacct = filepath.Join(acct, own["cpuacct"])
			if tryMake(h) != nil {
				h.cpuacct = "" // the memory and pids groups may still do
			}
		}
		if err := tryMake(h); err == nil {
			sweep(h)
			return h, ""
		} else {
			why = append(why, "cgroup v1: "+err.Error())
		}
	} else if len(why) == 0 {
		why = append(why, "no cgroup hierarchy with the memory and pids controllers")
	}
	return nil, strings.Join(why, "; ")
}

// delegate makes sure sub-cgroups of dir get the memory and pids
// controllers.
func delegate(dir string) error {
	ctl, err := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
	if err != nil {
		return err
	}
	have := strings.Fields(string(ctl))
	for _, c := range []string{"memory", "pids"} {
		if !contains(have, c) {
			return fmt.Errorf("no %s controller", c)
		}
	}
	sub, err := os.ReadFile(filepath.Join(dir, "cgroup.subtree_control"))
	if err != nil {
		return err
	}
	on := strings.Fields(string(sub))
	if contains(on, "memory") && contains(on, "pids") {
		return tryMake(&hierarchy{v2: true, memory: dir})
	}
	// Refused (EBUSY) unless dir is the root or holds no process: pyquiz
	// does not move itself.
	if err := os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte("+memory +pids"), 0); err != nil {
		return fmt.Errorf("cannot hand the memory and pids controllers down: %w", err)
	}
	return tryMake(&hierarchy{v2: true, memory: dir})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// tryMake makes and removes a test cgroup.
func tryMake(h *hierarchy) error {
	g, err := h.make(1<<30, 16)
	if err != nil {
		return err
	}
	return g.Close()
}

// Group is the cgroup of one sandbox: the sum of its processes' memory
// (RAM, and swap) and their number are bounded, and their CPU time is
// counted.
type Group struct {
	h    *hierarchy
	dirs []string // memory (v2: the only one), then pids, then cpuacct when there is one
}

// prefix names pyquiz's cgroups: pyquiz-<pid>-<n>.
const cgPrefix = "pyquiz-"

// NewGroup makes the cgroup of one sandbox, with a memory limit (bytes,
// RAM and RAM+swap) and a limit on processes and threads. Put the sandbox
// in it with Spec.Cgroups = g.Procs(); Close removes it.
func NewGroup(memory, processes uint64) (*Group, error) {
	if ok, why := Cgroups(); !ok {
		return nil, errors.New(why)
	}
	return cgRoot.make(memory, processes)
}

func (h *hierarchy) make(memory, processes uint64) (*Group, error) {
	name := fmt.Sprintf("%s%d-%d", cgPrefix, os.Getpid(), cgSeq.Add(1))
	g := &Group{h: h}
	for _, p := range h.parents() {
		d := filepath.Join(p, name)
		if err := os.Mkdir(d, 0o755); err != nil {
			g.Close()
			return nil, err
		}
		g.dirs = append(g.dirs, d)
	}
	if err := g.SetMemory(memory); err != nil {
		g.Close()
		return nil, err
	}
	if err := g.write(g.dirs[min(1, len(g.dirs)-1)], "pids.max", strconv.FormatUint(processes, 10)); err != nil {
		g.Close()
		return nil, err
	}
	return g, nil
}

func (g *Group) write(dir, file, value string) error {
	if err := os.WriteFile(filepath.Join(dir, file), []byte(value), 0); err != nil {
		return fmt.Errorf("set %s: %w", file, err)
	}
	return nil
}

// SetMemory sets the memory limit: RAM, and no swap beyond it.
func (g *Group) SetMemory(n uint64) error {
	v := strconv.FormatUint(n, 10)
	if g.h.v2 {
		if err := g.write(g.dirs[0], "memory.max", v); err != nil {
			return err
		}
		// Absent when swap is not accounted: then there is none to use.
		if _, err := os.Stat(filepath.Join(g.dirs[0], "memory.swap.max")); err == nil {
			return g.write(g.dirs[0], "memory.swap.max", "0")
		}
		return nil
	}
	// v1: memsw (RAM+swap) may never be below the RAM limit: raise it
	// first, then set both.
	memsw := filepath.Join(g.dirs[0], "memory.memsw.limit_in_bytes")
	_, err := os.Stat(memsw)
	hasSwap := err == nil
	if hasSwap {
		os.WriteFile(memsw, []byte(v), 0)
	}
	if err := g.write(g.dirs[0], "memory.limit_in_bytes", v); err != nil {
		return err
	}
	if hasSwap {
		return g.write(g.dirs[0], "memory.memsw.limit_in_bytes", v)
	}
	return nil
}

// Usage is the memory the group's processes use now (RAM, page cache
// included).
func (g *Group) Usage() uint64 {
	file := "memory.usage_in_bytes"
	if g.h.v2 {
		file = "memory.current"
	}
	data, err := os.ReadFile(filepath.Join(g.dirs[0], file))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	return n
}

// OOMKills is how many of the group's processes the kernel has killed for
// passing the memory limit.
func (g *Group) OOMKills() int {
	file := "memory.oom_control"
	if g.h.v2 {
		file = "memory.events"
	}
	data, err := os.ReadFile(filepath.Join(g.dirs[0], file))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "oom_kill" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

// CPU is the CPU time (user and system) the group's processes have used
// since it was made, those that ended included; false when the kernel
// does not say (cgroup v1 without the cpuacct hierarchy).
func (g *Group) CPU() (time.Duration, bool) {
	if g.h.v2 {
		data, err := os.ReadFile(filepath.Join(g.dirs[0], "cpu.stat"))
		if err != nil {
			return 0, false
		}
		rest, ok := strings.CutPrefix(string(data), "usage_usec ")
		if !ok {
			return 0, false
		}
		line, _, _ := strings.Cut(rest, "\n")
		n, err := strconv.ParseInt(line, 10, 64)
		if err != nil {
			return 0, false
		}
		return time.Duration(n) * time.Microsecond, true
	}
	if len(g.dirs) < 3 {
		return 0, false
	}
	data, err := os.ReadFile(filepath.Join(g.dirs[2], "cpuacct.usage"))
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return 0, false
	}
	return time.Duration(n), true
}

// Procs are the files a process writes "0" into to join the group: the
// sandbox helper does, before anything else (Spec.Cgroups).
func (g *Group) Procs() []string {
	var out []string
	for _, d := range g.dirs {
		out = append(out, filepath.Join(d, "cgroup.procs"))
	}
	return out
}

// Close kills whatever is left in the group and removes it.
func (g *Group) Close() error {
	var err error
	for i := len(g.dirs) - 1; i >= 0; i-- {
		if e := removeGroup(g.dirs[i]); e != nil && err == nil {
			err = e
		}
	}
	g.dirs = nil
	return err
}

// removeGroup kills every process in dir and removes it, waiting a little
// for the kernel to finish them.
func removeGroup(dir string) error {
	var err error
	for i := 0; i < 200; i++ {
		if err = syscall.Rmdir(dir); err == nil || errors.Is(err, syscall.ENOENT) {
			return nil
		}
		if !errors.Is(err, syscall.EBUSY) {
			return err
		}
		if data, rerr := os.ReadFile(filepath.Join(dir, "cgroup.procs")); rerr == nil {
			for _, f := range strings.Fields(string(data)) {
				if pid, perr := strconv.Atoi(f); perr == nil && pid > 0 {
					syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("remove cgroup %s: %w", dir, err)
}

// sweep removes the cgroups an earlier pyquiz left behind (killed before
// it could clean up): pyquiz-<pid>-<n> whose pid is gone.
func sweep(h *hierarchy) {
	for _, parent := range h.parents() {
		ents, _ := os.ReadDir(parent)
		for _, e := range ents {
			rest, ok := strings.CutPrefix(e.Name(), cgPrefix)
			if !ok || !e.IsDir() {
				continue
			}
			pid, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
			if err != nil || pid == os.Getpid() {
				continue
			}
			if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
				continue
			}
			removeGroup(filepath.Join(parent, e.Name()))
		}
	}
}

// joinCgroups puts the calling process (the sandbox helper, before it sets
// anything up) into the cgroups whose cgroup.procs files are named.
func joinCgroups(procs []string) error {
	for _, p := range procs {
		if err := os.WriteFile(p, []byte("0"), 0); err != nil {
			return fmt.Errorf("join cgroup %s: %w", filepath.Dir(p), err)
		}
	}
	return nil
}

// OwnGroups lists the cgroups this process has made and not removed.
func OwnGroups() []string {
	if ok, _ := Cgroups(); !ok {
		return nil
	}
	var out []string
	for _, parent := range cgRoot.parents() {
		matches, _ := filepath.Glob(filepath.Join(parent, fmt.Sprintf("%s%d-*", cgPrefix, os.Getpid())))
		out = append(out, matches...)
	}
	return out
}
