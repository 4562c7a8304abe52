// Package sandbox runs a program (a Python interpreter) cut off from the
// caller. On Linux the program gets new user, PID, network, mount, IPC and
// UTS namespaces, made with clone flags and nothing but the kernel:
//
//   - the network is an unconnected loopback;
//   - the whole filesystem is read-only, except fresh size-capped tmpfs
//     folders: /tmp, /dev/shm and a scratch folder under /dev/pyquiz;
//   - /dev holds only null, zero, full, random, urandom and the fd links;
//   - /proc is a fresh one of the new PID namespace, so the caller's
//     processes (and their environment and working folder) are invisible;
//   - the program is PID 1 of that namespace: when it ends, the kernel
//     kills everything it started, setsid or double fork included;
//   - resource limits (address space, file size, open files, processes)
//     are set, every capability is dropped and no_new_privs is set before
//     the program is executed.
//
// This takes a re-execution of our own binary: Command starts
// /proc/self/exe with the namespaces and the specification in the
// environment; Main, called first thing in main (and in TestMain), sees
// it, sets the sandbox up from the inside and executes the program. Where
// the kernel refuses namespaces the program runs with the limits only
// (LevelLimits) and Probe says why.
package sandbox

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// specEnv carries the Spec from Command to Main.
const specEnv = "PYQUIZ_SANDBOX_SPEC"

// Level is how strong the sandbox in force is.
type Level int

const (
	// LevelLimits: resource limits only; the program can still read and
	// write the caller's files, use the network and outlive its run.
	LevelLimits Level = iota
	// LevelNamespaces: the full sandbox described in the package comment.
	LevelNamespaces
)

func (l Level) String() string {
	if l == LevelNamespaces {
		return "namespaces"
	}
	return "limits only"
}

// Limits are the resource limits of a sandboxed program (and of everything
// it starts). Zero means "leave as it is".
type Limits struct {
	AddressSpace uint64 // bytes of virtual memory per process (RLIMIT_AS)
	FileSize     uint64 // bytes per file written (RLIMIT_FSIZE)
	OpenFiles    uint64 // descriptors per process (RLIMIT_NOFILE)
	Processes    uint64 // processes and threads (RLIMIT_NPROC); with namespaces, counted in the sandbox only
}

// Spec is one program to run in the sandbox.
type Spec struct {
	Path string   // the program
	Args []string // its argv, argv[0] included
	Env  []string // its whole environment
	Dir  string   // its working folder, inside the sandbox

	Isolate bool // new namespaces (LevelNamespaces); false: limits only
	Limits  Limits

	// Files are written, read-only, into /dev/pyquiz (names relative to
	// it) before the program starts; Isolate only.
	Files map[string][]byte
	// Scratch names folders under /dev/pyquiz that get their own small
	// writable tmpfs; Isolate only.
	Scratch []string
	// TmpfsSize caps each writable tmpfs (/tmp, /dev/shm, scratch).
	TmpfsSize uint64

	// Keep names folders the program needs (its interpreter's installation
	// prefix) that are bound back, read-only, where Hide covers them.
	Keep []string
	// Hide names the folders covered by an empty read-only tmpfs (Command
	// fills it in: every top folder but the system ones, /run, /var/tmp
	// and the like, the caller's home and working folder); Isolate only.
	Hide []string `json:"hide,omitempty"`

	// AsNobody: the caller is root, and the program runs as nobody (set by
	// Command).
	AsNobody bool `json:"as_nobody,omitempty"`

	// Cgroups are the cgroup.procs files of the cgroups the sandbox joins
	// before anything else (Group.Procs), so that everything in it counts
	// against their limits.
	Cgroups []string `json:"cgroups,omitempty"`

	// check makes the helper set everything up and exit 0 instead of
	// executing the program: Probe's test run.
	Check bool `json:"check,omitempty"`
}

// Dir is where Spec.Files and Spec.Scratch live inside the sandbox.
const Dir = "/dev/pyquiz"

// Command returns the command that runs spec in the sandbox; the caller
// sets its standard streams and extra files and starts it. The returned
// command's process is the sandbox's PID 1 (with Isolate): killing it
// kills everything in the sandbox.
func Command(spec Spec) (*exec.Cmd, error) {
	if !reexec {
		// No helper: the program runs as it is, with no limits.
		cmd := exec.Command(spec.Path)
		cmd.Args, cmd.Env, cmd.Dir = spec.Args, spec.Env, spec.Dir
		return cmd, nil
	}
	spec.AsNobody = spec.Isolate && os.Getuid() == 0
	if spec.Isolate {
		spec.Hide = hidden(os.Getenv("HOME"))
	}
	data, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self())
	cmd.Args = []string{"pyquiz-sandbox"}
	cmd.Env = []string{specEnv + "=" + string(data)}
	cmd.Dir = "/"
	if !spec.Isolate {
		cmd.Dir = spec.Dir
	}
	cmd.SysProcAttr = sysProcAttr(spec.Isolate)
	return cmd, nil
}

// Main runs the sandbox helper when this process is one (see Command) and
// never returns then; otherwise it returns at once. Call it first in main
// and in the TestMain of tests that start sandboxed programs.
func Main() {
	data, ok := os.LookupEnv(specEnv)
	if !ok {
		return
	}
	os.Unsetenv(specEnv)
	var spec Spec
	if err := json.Unmarshal([]byte(data), &spec); err != nil {
		fail("read spec", err)
	}
	if err := joinCgroups(spec.Cgroups); err != nil {
		fail("set up", err)
	}
	if err := setUp(&spec); err != nil {
		fail("set up", err)
	}
	if spec.Check {
		os.Exit(0)
	}
	fail("exec "+spec.Path, execProgram(&spec))
}

// ExitSetup is the helper's exit code when the sandbox could not be set up.
const ExitSetup = 125

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "pyquiz sandbox: %s: %v\n", what, err)
	os.Exit(ExitSetup)
}

// Probe tries the full sandbox once and says which level is available,
// with the reason when it is not LevelNamespaces.
func Probe(spec Spec) (Level, string) {
	if !supported {
		return LevelLimits, unsupported
	}
	spec.Isolate, spec.Check = true, true
	if spec.Path == "" {
		spec.Path, spec.Args, spec.Dir = "/bin/true", []string{"true"}, "/"
	}
	cmd, err := Command(spec)
	if err != nil {
		return LevelLimits, err.Error()
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(out)), "pyquiz sandbox: "))
		if msg == "" {
			msg = err.Error()
		}
		return LevelLimits, msg
	}
	return LevelNamespaces, ""
}

// system folders are never hidden: the interpreter and its libraries live
// there.
var system = map[string]bool{"/": true, "/usr": true, "/lib": true, "/lib32": true, "/lib64": true, "/libx32": true,
	"/bin": true, "/sbin": true, "/etc": true, "/opt": true, "/nix": true, "/gnu": true, "/proc": true, "/sys": true,
	"/dev": true, "/tmp": true, "/var": true, "/boot": true}

// hidden lists the folders a sandbox covers: every top folder but the
// system ones (so /home, /root, /work, /srv, /mnt ...: wherever anyone's
// files are), the places anyone can write or leave sockets in under /var
// and /run, and the caller's home and working folder wherever they are.
// /tmp and /dev/shm get a fresh tmpfs of their own.
func hidden(home string) []string {
	out := []string{"/run", "/var/run", "/var/tmp", "/var/mail", "/var/spool", "/var/www", "/var/lib/docker"}
	if ents, err := os.ReadDir("/"); err == nil {
		for _, e := range ents {
			// Top folders, and files lying at the top (a container's
			// description, an installer): a file is covered by /dev/null.
			if (e.IsDir() || e.Type().IsRegular()) && !system["/"+e.Name()] {
				out = append(out, "/"+e.Name())
			}
		}
	}
	add := func(p string) {
		if p == "" || !filepath.IsAbs(p) {
			return
		}
		p = filepath.Clean(p)
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		top := "/" + strings.SplitN(strings.TrimPrefix(p, "/"), "/", 2)[0]
		switch {
		case !system[top]:
			out = append(out, top)
		case !system[p]:
			out = append(out, p)
		}
	}
	add(home)
	if wd, err := os.Getwd(); err == nil {
		add(wd)
	}
	return out
}
