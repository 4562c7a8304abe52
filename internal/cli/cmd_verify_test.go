package cli

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
			assert.Equal(t, 5*time.Second, o.Timeout)
			assert.Equal(t, "1MiB", o.MaxOutput)
			assert.GreaterOrEqual(t, o.Jobs, 1)
			assert.False(t, o.JSON)
			assert.False(t, o.RequireAll)
		}},
		{name: "all flags", args: []string{"--python", "2.7,3.11", "--timeout", "1s", "--max-output", "64KiB", "-j", "3", "--json", "--require-all", "--pack", "a", "--pack", "b", "--question", "a/q", "x.yaml"},
			check: func(t *testing.T, o *VerifyOptions) {
				assert.Equal(t, "2.7,3.11", o.Python)
				assert.Equal(t, "--python", o.pythonSource)
				assert.Equal(t, time.Second, o.Timeout)
				assert.Equal(t, 3, o.Jobs)
				assert.True(t, o.JSON)
				assert.True(t, o.RequireAll)
				assert.Equal(t, []string{"a", "b"}, o.Packs)
				assert.Equal(t, []string{"a/q"}, o.Questions)
				assert.Equal(t, []string{"x.yaml"}, o.Paths)
			}},
		{name: "env pythons", env: map[string]string{"PYQUIZ_PYTHONS": "3.12"}, check: func(t *testing.T, o *VerifyOptions) {
			assert.Equal(t, "3.12", o.Python)
			assert.Equal(t, "PYQUIZ_PYTHONS", o.pythonSource)
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
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			tc.check(t, got)
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int{"1MiB": 1 << 20, "64KiB": 64 << 10, "1000": 1000, "2MB": 2000000, "10B": 10} {
		got, err := parseSize(in)
		if assert.NoError(t, err, "parseSize(%q)", in) {
			assert.Equal(t, want, got, "parseSize(%q)", in)
		}
	}
	for _, in := range []string{"", "-1", "0", "lots", "1.5MiB"} {
		_, err := parseSize(in)
		assert.Error(t, err, "parseSize(%q)", in)
	}
}
