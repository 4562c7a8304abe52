package cli

import (
	"testing"
	"time"

	"github.com/pyquiz/pyquiz/internal/iostreams"
)

func TestVerifyFlags(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(t *testing.T, o *VerifyOptions)
		wantErr bool
	}{
		{name: "defaults", args: nil, check: func(t *testing.T, o *VerifyOptions) {
			if o.Timeout != 5*time.Second || o.MaxOutput != "1MiB" || o.Jobs < 1 || o.JSON || o.RequireAll {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "all flags", args: []string{"--python", "2.7,3.11", "--timeout", "1s", "--max-output", "64KiB", "-j", "3", "--json", "--require-all", "--pack", "a", "--pack", "b", "--question", "a/q", "x.yaml"},
			check: func(t *testing.T, o *VerifyOptions) {
				if o.Python != "2.7,3.11" || o.pythonSource != "--python" || o.Timeout != time.Second || o.Jobs != 3 || !o.JSON || !o.RequireAll ||
					len(o.Packs) != 2 || len(o.Questions) != 1 || len(o.Paths) != 1 || o.Paths[0] != "x.yaml" {
					t.Errorf("got %+v", o)
				}
			}},
		{name: "env pythons", env: map[string]string{"PYQUIZ_PYTHONS": "3.12"}, check: func(t *testing.T, o *VerifyOptions) {
			if o.Python != "3.12" || o.pythonSource != "PYQUIZ_PYTHONS" {
				t.Errorf("got %q from %s", o.Python, o.pythonSource)
			}
		}},
		{name: "bad timeout", args: []string{"--timeout", "banana"}, wantErr: true},
		{name: "zero timeout", args: []string{"--timeout", "0s"}, wantErr: true},
		{name: "bad size", args: []string{"--max-output", "lots"}, wantErr: true},
		{name: "bad jobs", args: []string{"--jobs", "0"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &Factory{IOStreams: ios, Getenv: func(k string) string { return tc.env[k] }}
			var got *VerifyOptions
			cmd := newVerifyCmd(f, func(o *VerifyOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetOut(ios.Out)
			cmd.SetErr(ios.ErrOut)
			err := cmd.Execute()
			if tc.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, got)
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int{"1MiB": 1 << 20, "64KiB": 64 << 10, "1000": 1000, "2MB": 2000000, "10B": 10} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "0", "lots", "1.5MiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q): want an error", in)
		}
	}
}
