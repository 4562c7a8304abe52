package pyrun

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pyquiz/pyquiz/internal/sandbox"
)

// runClock measures a run against --timeout. A run is charged the larger
// of two times, each of which a loaded machine does not inflate:
//
//   - the wall-clock time since it started, minus the time its main
//     process was ready to run but waiting for a CPU (the kernel's
//     run-queue delay, /proc/PID/schedstat). A run that sleeps or waits is
//     timed as by a wall clock; one that other processes starve of CPU is
//     not charged for the wait.
//   - the CPU time (user and system) all of the run's processes and
//     threads have used together, divided by the number of CPUs its main
//     process may run on. No run can finish in less wall time than that on
//     a machine of its own, so this never charges a correct run more than
//     a quiet machine would; and a run whose own threads or child
//     processes keep the CPUs busy, so that its main process waits behind
//     them, is charged for that wait: it times out close to its limit
//     instead of at the wall-clock backstop.
//
// The CPUs are those of the main process's affinity mask, read at each
// poll (a snippet that pins itself to one CPU divides by one), and at most
// GOMAXPROCS when it is left to Go, which follows a cgroup CPU quota of
// pyquiz's. Threads or children that widen their own mask beyond the main
// process's only make the run be charged sooner.
//
// The run's CPU time comes from the sandbox's cgroup where it has one that
// counts CPU (cgroup v2, or v1 with cpuacct): everything in it but the
// fork server belongs to the current run, so that is the group's usage
// since the run started minus the server's own (its /proc/PID/stat), and
// it counts every process of the run, ended or not, setsid or not. Without
// such a cgroup it is the sum, over the live processes below the server,
// of their own CPU time (all their threads, ended ones included) and what
// they have reaped from their children (/proc/PID/stat fields 14-17),
// found through /proc/PID/task/TID/children. In a sandbox with namespaces
// the server is PID 1, so an orphan (a double fork, setsid) is one of its
// children and is counted, and so is an ended process not yet reaped. Not
// counted there: a child reaped by a parent that ignores SIGCHLD (the
// kernel adds its time to no one), and, without namespaces, a process that
// leaves the tree by being orphaned. Either only lets a run go on longer,
// up to the backstop (WallLimit).
//
// The clock is read when the run starts (the cgroup's and the server's
// CPU, and the main process's delay: a few small files) and then only
// when the watcher polls it, near the limit.
type runClock struct {
	start  time.Time
	server int           // the fork server's pid
	main   int           // the run's main process, or 0 (a wall clock then)
	path   string        // the main process's /proc/PID/schedstat, or "" once it is gone
	delay  time.Duration // the last delay read, kept once the process is gone
	base   time.Duration // the delay before the run (a forked child inherits none, a plain run's exec keeps it)

	group      *sandbox.Group // the sandbox's cgroup when it counts CPU, else nil (walk the tree)
	groupBase  time.Duration  // its CPU time when the run started
	serverBase time.Duration  // the server's own CPU time then
	cpu        time.Duration  // the run's CPU time, the largest read so far
	cpus       int            // CPUs the main process may use, the last read; 0 before the first
}

// newRunClock starts the clock of the run that server process server has
// just started (its only child); group is the server's cgroup, or nil.
func newRunClock(server int, group *sandbox.Group, start time.Time) *runClock {
	c := &runClock{start: start, server: server}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(server) + "/task/" + strconv.Itoa(server) + "/children")
	if err != nil {
		return c
	}
	f := strings.Fields(string(data))
	if len(f) != 1 {
		return c
	}
	c.main, _ = strconv.Atoi(f[0])
	c.path = "/proc/" + f[0] + "/schedstat"
	c.base, _ = c.readDelay()
	c.delay = c.base
	if group != nil {
		if u, ok := group.CPU(); ok {
			c.group, c.groupBase = group, u
			c.serverBase, _ = procCPU(server, false)
		}
	}
	return c
}

// readDelay is the main process's run-queue delay so far.
func (c *runClock) readDelay() (time.Duration, bool) {
	data, err := os.ReadFile(c.path)
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0, false
	}
	n, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return time.Duration(n), true
}

// elapsed is the run's time so far, as --timeout counts it.
func (c *runClock) elapsed() time.Duration {
	if c.path != "" {
		if d, ok := c.readDelay(); ok && d >= c.delay {
			c.delay = d
		} else if !ok {
			c.path = "" // ended: its delay stays as it was
		}
	}
	charged := time.Since(c.start) - (c.delay - c.base)
	if c.main == 0 {
		return charged
	}
	if cpu := c.readCPU(); cpu > c.cpu {
		c.cpu = cpu
	}
	var set unix.CPUSet
	if unix.SchedGetaffinity(c.main, &set) == nil && set.Count() > 0 {
		c.cpus = set.Count()
	} else if c.cpus == 0 {
		c.cpus = runtime.NumCPU()
	}
	n := c.cpus
	if os.Getenv("GOMAXPROCS") == "" {
		n = min(n, runtime.GOMAXPROCS(0))
	}
	return max(charged, c.cpu/time.Duration(max(n, 1)))
}

// readCPU is the CPU time the run's processes have used so far.
func (c *runClock) readCPU() time.Duration {
	if c.group != nil {
		u, ok := c.group.CPU()
		if !ok {
			return 0
		}
		own := c.serverBase
		if s, ok := procCPU(c.server, false); ok {
			own = s
		}
		return (u - c.groupBase) - (own - c.serverBase)
	}
	// A forked process starts with no CPU time: all of it is this run's.
	var sum time.Duration
	seen := map[int]bool{c.server: true}
	todo := children(c.server, nil)
	for len(todo) > 0 {
		pid := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[pid] {
			continue
		}
		seen[pid] = true
		if d, ok := procCPU(pid, true); ok {
			sum += d
		}
		todo = children(pid, todo)
	}
	return sum
}

// clockTick is the unit of /proc/PID/stat's times: USER_HZ, which Linux
// fixes at 100 for user space whatever the kernel's own tick.
const clockTick = 10 * time.Millisecond

// procCPU is the CPU time of process pid (user and system, all its
// threads) and, with reaped, of the children it has waited for.
func procCPU(pid int, reaped bool) (time.Duration, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// pid (comm) state ...: the command may hold spaces and parentheses.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 15 {
		return 0, false
	}
	last := 12 // fields 14 and 15: utime, stime
	if reaped {
		last = 14 // and 16, 17: cutime, cstime
	}
	var ticks int64
	for _, x := range f[11 : last+1] {
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return 0, false
		}
		ticks += n
	}
	return time.Duration(ticks) * clockTick, true
}

// children appends the child processes of every thread of pid to list.
func children(pid int, list []int) []int {
	dir := "/proc/" + strconv.Itoa(pid) + "/task/"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return list
	}
	for _, t := range tasks {
		data, err := os.ReadFile(dir + t.Name() + "/children")
		if err != nil {
			continue
		}
		for _, x := range strings.Fields(string(data)) {
			if n, err := strconv.Atoi(x); err == nil {
				list = append(list, n)
			}
		}
	}
	return list
}
