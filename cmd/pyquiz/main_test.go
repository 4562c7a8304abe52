package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pyquiz/pyquiz/internal/cli"
	"github.com/pyquiz/pyquiz/internal/pyrun"
	"github.com/pyquiz/pyquiz/internal/sandbox"
)

func TestMain(m *testing.M) {
	sandbox.Main()
	testscript.Main(m, map[string]func(){
		"pyquiz": func() { os.Exit(cli.Main()) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script against the
// real binary. Each script gets its own state and data folders.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			env.Setenv("PYQUIZ_HOME", filepath.Join(env.WorkDir, ".pyquiz-state"))
			env.Setenv("XDG_DATA_HOME", filepath.Join(env.WorkDir, ".data"))
			env.Setenv("XDG_STATE_HOME", filepath.Join(env.WorkDir, ".state"))
			env.Setenv("PYQUIZ_PACKS", "")
			env.Setenv("NO_COLOR", "")
			env.Setenv("CLICOLOR_FORCE", "")
			env.Setenv("COLUMNS", "80")
			// verify needs interpreters: keep the caller's PATH and pyenv root.
			env.Setenv("PATH", os.Getenv("PATH"))
			if h, err := os.UserHomeDir(); err == nil {
				env.Setenv("PYENV_ROOT", envOr("PYENV_ROOT", filepath.Join(h, ".pyenv")))
			}
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"pty":        cmdPty,
			"brokenpipe": cmdBrokenPipe,
			"serveinfo":  cmdServeInfo,
			"http":       cmdHTTP,
		},
		Condition: func(cond string) (bool, error) {
			// [namespaces]: verify's full sandbox is available here.
			if cond == "namespaces" {
				return haveNamespaces(), nil
			}
			// [python:3.11] is true when pythonX.Y is on PATH or in pyenv.
			if len(cond) > 7 && cond[:7] == "python:" {
				_, err := exec.LookPath("python" + cond[7:])
				return err == nil, nil
			}
			return false, nil
		},
	})
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// haveNamespaces says whether the kernel lets verify's sandbox make its
// namespaces (probed once).
var haveNamespaces = sync.OnceValue(func() bool {
	r := pyrun.NewRunner(nil, pyrun.Limits{})
	defer r.Close()
	level, _ := r.Sandbox()
	return level == sandbox.LevelNamespaces
})
