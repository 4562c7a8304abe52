//go:build unix

// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb in
// a temporary folder, a server on a Unix socket in that folder (no TCP
// port, nothing shared with the machine), fsync off. As root (CI), the
// cluster runs as the unprivileged user nobody, since initdb refuses root.
// Tests skip with a message where no PostgreSQL binaries are installed.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

var (
	once    sync.Once
	dir     string
	binDir  string
	startEr error
	dbs     atomic.Int64
	runAs   *user.User
)

// bin finds the PostgreSQL server binaries: PYQUIZ_PG_BIN, Debian's
// /usr/lib/postgresql/N/bin (newest first), or initdb on PATH.
func bin() string {
	if d := os.Getenv("PYQUIZ_PG_BIN"); d != "" {
		return d
	}
	ds, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(ds, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(ds[i])))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(ds[j])))
		return a > b
	})
	for _, d := range ds {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

// command runs a PostgreSQL binary, as nobody when we are root.
func command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(binDir, name), args...)
	if runAs != nil {
		uid, _ := strconv.Atoi(runAs.Uid)
		gid, _ := strconv.Atoi(runAs.Gid)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	}
	cmd.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
	return cmd
}

func start() error {
	binDir = bin()
	if binDir == "" {
		return errNoBinaries
	}
	var err error
	if dir, err = os.MkdirTemp("", "pyquiz-pg-"); err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		if runAs, err = user.Lookup("nobody"); err != nil {
			return fmt.Errorf("running as root and there is no user nobody to run PostgreSQL as: %w", err)
		}
		uid, _ := strconv.Atoi(runAs.Uid)
		gid, _ := strconv.Atoi(runAs.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := command("initdb", "-D", data, "-U", "pyquiz", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, out)
	}
	opts := fmt.Sprintf("-F -k %s -c listen_addresses= -c max_connections=200 -c shared_buffers=32MB", dir)
	if out, err := command("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	return nil
}

var errNoBinaries = fmt.Errorf("no PostgreSQL server binaries (initdb) in /usr/lib/postgresql/*/bin or on PATH")

// Stop stops the cluster and removes its folder; call it from TestMain
// after m.Run.
func Stop() {
	if dir == "" || binDir == "" {
		return
	}
	command("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop").Run()
	os.RemoveAll(dir)
}

// Main runs the tests and stops the cluster if one was started.
func Main(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// DSN returns the URL of a new, empty database in the shared cluster,
// starting the cluster on first use; it skips t where PostgreSQL is not
// installed and fails it where it is installed but will not start.
func DSN(t testing.TB) string {
	t.Helper()
	once.Do(func() { startEr = start() })
	if startEr == errNoBinaries {
		t.Skipf("skipping the PostgreSQL test: %v", startEr)
	}
	if startEr != nil {
		t.Fatalf("start PostgreSQL: %v", startEr)
	}
	base := fmt.Sprintf("postgres://pyquiz@localhost/%%s?host=%s&sslmode=disable", dir)
	db, err := sql.Open("pgx", fmt.Sprintf(base, "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	return fmt.Sprintf(base, name)
}
