package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

const supported = true

const unsupported = ""

// reexec: the helper sets the sandbox up in a re-executed copy of this
// binary.
const reexec = true

// self is this binary, even if its file was replaced since it started.
func self() string { return "/proc/self/exe" }

func sysProcAttr(isolate bool) *syscall.SysProcAttr {
	// Setsid: no controlling terminal, so the program cannot open /dev/tty
	// and type into (or read from) the caller's terminal. Pdeathsig: if
	// pyquiz dies, the kernel kills the sandbox's PID 1, and with it all.
	attr := &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	if !isolate {
		return attr
	}
	attr.Cloneflags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWPID | syscall.CLONE_NEWNET |
		syscall.CLONE_NEWNS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWUTS
	// The caller is root inside, so that the helper keeps its capabilities
	// in the new namespace across its exec (a non-root user loses them),
	// and is still the caller outside: the program reads what the caller
	// can read (its interpreter may live in a private home) and is nobody
	// else. It loses every capability before the program starts.
	uid, gid := os.Getuid(), os.Getgid()
	attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}}
	attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}}
	if uid == 0 {
		// The kernel does not count root's processes against RLIMIT_NPROC,
		// so root's program runs as nobody (mapped to itself), after the
		// set-up done as root has made its interpreter reachable.
		attr.UidMappings = append(attr.UidMappings, syscall.SysProcIDMap{ContainerID: nobody, HostID: nobody, Size: 1})
		attr.GidMappings = append(attr.GidMappings, syscall.SysProcIDMap{ContainerID: nobody, HostID: nobody, Size: 1})
		attr.GidMappingsEnableSetgroups = true
	}
	return attr
}

// nobody is the user and group root's sandboxed programs run as.
const nobody = 65534

func setUp(spec *Spec) error {
	// Capabilities, no_new_privs and the bounding set are per thread; the
	// thread that drops them must be the one that executes the program.
	runtime.LockOSThread()
	if spec.Isolate {
		if err := isolate(spec); err != nil {
			return err
		}
	}
	return nil
}

func execProgram(spec *Spec) error {
	if err := os.Chdir(spec.Dir); err != nil {
		return err
	}
	if err := dropPrivileges(spec.Isolate); err != nil {
		return err
	}
	if spec.Isolate && spec.AsNobody {
		if err := unix.Setgroups(nil); err != nil {
			return fmt.Errorf("setgroups: %w", err)
		}
		if err := unix.Setresgid(nobody, nobody, nobody); err != nil {
			return fmt.Errorf("setgid: %w", err)
		}
		if err := unix.Setresuid(nobody, nobody, nobody); err != nil {
			return fmt.Errorf("setuid: %w", err)
		}
	}
	if err := clearCapabilities(spec.Isolate); err != nil {
		return err
	}
	// Limits last: the address-space cap is for the program, not for this
	// Go process, which executes it right away. A Go process can already
	// hold more address space than the cap, so nothing may allocate between
	// setrlimit and execve: a new heap span would fail with "runtime: cannot
	// allocate memory". The C strings are made first and execve is called
	// directly (syscall.Exec allocates them itself).
	path, err := syscall.BytePtrFromString(spec.Path)
	if err != nil {
		return err
	}
	argv, err := syscall.SlicePtrFromStrings(spec.Args)
	if err != nil {
		return err
	}
	envv, err := syscall.SlicePtrFromStrings(spec.Env)
	if err != nil {
		return err
	}
	debug.SetGCPercent(-1)
	if err := setLimits(spec.Limits); err != nil {
		return err
	}
	_, _, errno := syscall.RawSyscall(syscall.SYS_EXECVE,
		uintptr(unsafe.Pointer(path)),
		uintptr(unsafe.Pointer(&argv[0])),
		uintptr(unsafe.Pointer(&envv[0])))
	return errno
}

func isolate(spec *Spec) error {
	step := func(what string, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	if err := step("make mounts private", unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, "")); err != nil {
		return err
	}
	if err := step("make the filesystem read-only", readOnlyAll()); err != nil {
		return err
	}
	size := spec.TmpfsSize
	if size == 0 {
		size = 64 << 20
	}
	tmpfs := func(dir, mode string) error {
		opts := fmt.Sprintf("size=%d,nr_inodes=16384,mode=%s", size, mode)
		return step("mount tmpfs on "+dir, unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, opts))
	}
	if err := tmpfs("/tmp", "1777"); err != nil {
		return err
	}
	if err := step("hide the caller's files", hide(spec)); err != nil {
		return err
	}
	if err := step("build /dev", buildDev(spec)); err != nil {
		return err
	}
	if err := tmpfs("/dev/shm", "1777"); err != nil {
		return err
	}
	for _, s := range spec.Scratch {
		if err := tmpfs(filepath.Join(Dir, s), "1777"); err != nil {
			return err
		}
	}
	if spec.AsNobody {
		if err := step("make "+spec.Path+" reachable", reachable(spec.Path)); err != nil {
			return err
		}
	}
	// A /proc of the new PID namespace: only the sandbox's processes.
	procFlags := uintptr(unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC | unix.MS_RDONLY)
	if err := step("mount /proc", unix.Mount("proc", "/proc", "proc", procFlags, "")); err != nil {
		return err
	}
	if err := step("bring the loopback up", loopbackUp()); err != nil {
		return err
	}
	return step("set the host name", unix.Sethostname([]byte("pyquiz-sandbox")))
}

// reachable lets nobody reach path when a folder on the way is closed to
// others (root's interpreters often live in /root, mode 0700): the folder
// is covered by a read-only tmpfs holding only the next folder on the way,
// bound from the real one.
func reachable(path string) error {
	parts := strings.Split(filepath.Clean(path), "/")
	dir := "/"
	for i := 1; i < len(parts)-1; i++ {
		next := filepath.Join(dir, parts[i])
		fi, err := os.Stat(dir)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			stage := fmt.Sprintf("/tmp/.pyquiz-reach-%d", i)
			if err := os.Mkdir(stage, 0o755); err != nil {
				return err
			}
			if err := unix.Mount(next, stage, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
				return fmt.Errorf("bind %s: %w", next, err)
			}
			if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "size=64k,mode=0755"); err != nil {
				return fmt.Errorf("cover %s: %w", dir, err)
			}
			if err := os.Mkdir(next, 0o755); err != nil {
				return err
			}
			if err := unix.Mount(stage, next, "", unix.MS_MOVE, ""); err != nil {
				return fmt.Errorf("move %s: %w", next, err)
			}
			if err := os.Remove(stage); err != nil {
				return err
			}
			if err := unix.Mount("", dir, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV, ""); err != nil {
				return err
			}
		}
		dir = next
	}
	return nil
}

// readOnlyAll makes every mount read-only, recursively: one mount_setattr
// call (Linux 5.12), else a read-only bind remount of each mount.
func readOnlyAll() error {
	attr := unix.MountAttr{Attr_set: unix.MOUNT_ATTR_RDONLY}
	err := unix.MountSetattr(unix.AT_FDCWD, "/", unix.AT_RECURSIVE, &attr)
	if err == nil || !(errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL)) {
		return err
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	defer f.Close()
	var points []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 4 {
			points = append(points, unescapeMountPath(fields[4]))
		}
	}
	for _, p := range points {
		var st unix.Statfs_t
		if unix.Statfs(p, &st) != nil {
			continue // covered by a later mount
		}
		// A remount must keep the flags the parent namespace locked.
		flags := uintptr(unix.MS_REMOUNT | unix.MS_BIND | unix.MS_RDONLY)
		for _, m := range []struct{ st, ms int64 }{
			{unix.ST_NOSUID, unix.MS_NOSUID}, {unix.ST_NODEV, unix.MS_NODEV}, {unix.ST_NOEXEC, unix.MS_NOEXEC},
			{unix.ST_NOATIME, unix.MS_NOATIME}, {unix.ST_NODIRATIME, unix.MS_NODIRATIME}, {unix.ST_RELATIME, unix.MS_RELATIME},
		} {
			if st.Flags&m.st != 0 {
				flags |= uintptr(m.ms)
			}
		}
		if err := unix.Mount("", p, "", flags, ""); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return sc.Err()
}

func unescapeMountPath(s string) string {
	r := strings.NewReplacer(`\040`, " ", `\011`, "\t", `\012`, "\n", `\134`, `\`)
	return r.Replace(s)
}

// buildDev replaces /dev with a small read-only tmpfs: the harmless
// devices bound from the real /dev, the /proc/self/fd links, an empty shm
// folder, and Dir with spec.Files. It is built in /tmp (already private)
// and moved into place, because the devices must be bound from the real
// /dev before it is covered.
func buildDev(spec *Spec) error {
	stage := "/tmp/.pyquiz-dev"
	if err := os.Mkdir(stage, 0o755); err != nil {
		return err
	}
	if err := unix.Mount("tmpfs", stage, "tmpfs", unix.MS_NOSUID|unix.MS_NOEXEC, "size=4m,mode=0755"); err != nil {
		return err
	}
	for _, name := range []string{"null", "zero", "full", "random", "urandom"} {
		src := "/dev/" + name
		if _, err := os.Stat(src); err != nil {
			continue
		}
		dst := filepath.Join(stage, name)
		if err := os.WriteFile(dst, nil, 0o666); err != nil {
			return err
		}
		if err := unix.Mount(src, dst, "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("bind %s: %w", src, err)
		}
	}
	links := map[string]string{"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2"}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(stage, name)); err != nil {
			return err
		}
	}
	if err := os.Mkdir(filepath.Join(stage, "shm"), 0o1777); err != nil {
		return err
	}
	pq := filepath.Join(stage, strings.TrimPrefix(Dir, "/dev/"))
	if err := os.Mkdir(pq, 0o755); err != nil {
		return err
	}
	for name, data := range spec.Files {
		if err := os.WriteFile(filepath.Join(pq, filepath.Base(name)), data, 0o444); err != nil {
			return err
		}
	}
	for _, s := range spec.Scratch {
		if err := os.Mkdir(filepath.Join(pq, filepath.Base(s)), 0o755); err != nil {
			return err
		}
	}
	if err := unix.Mount(stage, "/dev", "", unix.MS_MOVE, ""); err != nil {
		return fmt.Errorf("move into place: %w", err)
	}
	if err := os.Remove(stage); err != nil {
		return err
	}
	return unix.Mount("", "/dev", "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NOEXEC, "")
}

func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}

// dropPrivileges leaves the program no capability, in the sandbox's user
// namespace or anywhere, and no way to gain one (set-uid files, file
// capabilities). Outside a sandbox an ordinary user has nothing to drop.
func dropPrivileges(isolate bool) error {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("no_new_privs: %w", err)
	}
	unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
	for c := 0; c < 64; c++ {
		err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0)
		if errors.Is(err, unix.EINVAL) {
			break // past the last capability this kernel knows
		}
		if err != nil && isolate {
			return fmt.Errorf("drop capability %d: %w", c, err)
		}
	}
	return nil
}

// clearCapabilities empties the capability sets (after any change of
// user, which needs them).
func clearCapabilities(isolate bool) error {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capset(&hdr, &data[0]); err != nil && isolate {
		return fmt.Errorf("capset: %w", err)
	}
	return nil
}

func setLimits(l Limits) error {
	set := func(what string, res int, n uint64) error {
		if n == 0 {
			return nil
		}
		var cur unix.Rlimit
		if err := unix.Getrlimit(res, &cur); err != nil {
			return err
		}
		n = min(n, cur.Max)
		if err := unix.Setrlimit(res, &unix.Rlimit{Cur: n, Max: n}); err != nil {
			return fmt.Errorf("limit %s: %w", what, err)
		}
		return nil
	}
	for _, x := range []struct {
		what string
		res  int
		n    uint64
	}{
		{"core dumps", unix.RLIMIT_CORE, 0},
		{"address space", unix.RLIMIT_AS, l.AddressSpace},
		{"file size", unix.RLIMIT_FSIZE, l.FileSize},
		{"open files", unix.RLIMIT_NOFILE, l.OpenFiles},
		{"processes", unix.RLIMIT_NPROC, l.Processes},
	} {
		if x.res == unix.RLIMIT_CORE {
			if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{}); err != nil {
				return fmt.Errorf("limit core dumps: %w", err)
			}
			continue
		}
		if err := set(x.what, x.res, x.n); err != nil {
			return err
		}
	}
	return nil
}

// hide covers each existing folder of spec.Hide with an empty read-only
// tmpfs, then binds spec.Keep back where a covered folder held it (staged
// in /tmp, which is already the sandbox's own).
func hide(spec *Spec) error {
	var dirs []string
	for _, d := range spec.Hide {
		d = filepath.Clean(d)
		fi, err := os.Lstat(d)
		switch {
		case err != nil:
		case fi.IsDir():
			dirs = append(dirs, d)
		case fi.Mode().IsRegular():
			if err := unix.Mount("/dev/null", d, "", unix.MS_BIND, ""); err != nil {
				return fmt.Errorf("cover %s: %w", d, err)
			}
		}
	}
	sort.Strings(dirs)
	var outer []string // no folder inside another
	for _, d := range dirs {
		if n := len(outer); n > 0 && within(d, outer[n-1]) {
			continue
		}
		outer = append(outer, d)
	}
	type kept struct{ path, stage string }
	var keeps []kept
	for i, k := range spec.Keep {
		k = filepath.Clean(k)
		covered := false
		for _, d := range outer {
			covered = covered || within(k, d)
		}
		if fi, err := os.Stat(k); err != nil || !fi.IsDir() || !covered {
			continue
		}
		stage := fmt.Sprintf("/tmp/.pyquiz-keep-%d", i)
		if err := os.Mkdir(stage, 0o755); err != nil {
			return err
		}
		if err := unix.Mount(k, stage, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return fmt.Errorf("bind %s: %w", k, err)
		}
		keeps = append(keeps, kept{k, stage})
	}
	for _, d := range outer {
		if err := unix.Mount("tmpfs", d, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "size=1m,nr_inodes=4096,mode=0755"); err != nil {
			return fmt.Errorf("cover %s: %w", d, err)
		}
	}
	for _, k := range keeps {
		if err := os.MkdirAll(k.path, 0o755); err != nil {
			return err
		}
		if err := unix.Mount(k.stage, k.path, "", unix.MS_MOVE, ""); err != nil {
			return fmt.Errorf("move %s: %w", k.path, err)
		}
		if err := os.Remove(k.stage); err != nil {
			return err
		}
	}
	for _, d := range outer {
		if err := unix.Mount("", d, "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV, ""); err != nil {
			return fmt.Errorf("make %s read-only: %w", d, err)
		}
	}
	return nil
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, strings.TrimSuffix(dir, "/")+"/")
}
