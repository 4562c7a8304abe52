package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/internal/grade"
	"github.com/pyquiz/pyquiz/internal/iostreams"
	"github.com/pyquiz/pyquiz/quiz"
)

// argv -> options for grade.
func TestGradeArgs(t *testing.T) {
	f := testFactory(t)
	var got *GradeOptions
	root := NewRootCmd(f)
	root.RemoveCommand(mustFind(t, root, "grade"))
	root.AddCommand(newGradeCmd(f, func(o *GradeOptions) error { got = o; return nil }))
	root.SetArgs([]string{"grade", "--pack", "demo", "a.csv", "dir", "--format", "HTML", "--pass", "50",
		"--fail-under", "40", "--multi", "all-or-nothing", "--penalty", "0.25", "--python", "2.7"})
	require.NoError(t, root.Execute())
	assert.Equal(t, "demo", got.Pack)
	assert.Equal(t, []string{"a.csv", "dir"}, got.Sheets)
	assert.Equal(t, grade.HTML, got.format)
	assert.Equal(t, 50.0, got.Pass)
	assert.True(t, got.failUnder)
	assert.Equal(t, 40.0, got.FailUnder)
	assert.Equal(t, quiz.AllOrNothing, got.multi)
	assert.Equal(t, 0.25, got.Penalty)
	require.NotNil(t, got.python)
	assert.Equal(t, "2.7", got.python.String())

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"grade", "--pack", "demo"}, "no sheets to grade"},
		{[]string{"grade", "a.csv", "--format", "pdf"}, "--format pdf"},
		{[]string{"grade", "a.csv", "--pass", "120"}, "--pass 120"},
		{[]string{"grade", "a.csv", "--fail-under", "-1"}, "--fail-under -1"},
		{[]string{"grade", "a.csv", "--multi", "some"}, "--multi some"},
		{[]string{"grade", "a.csv", "--penalty", "1.5"}, "--penalty 1.5"},
		{[]string{"grade", "a.csv", "--python", "9"}, "--python 9"},
	} {
		ios, _, _, errOut := iostreams.Test()
		f.IOStreams = ios
		code := Run(context.Background(), f, tt.args)
		assert.Equal(t, ExitUsage, code, "%v", tt.args)
		assert.Contains(t, errOut.String(), tt.want, "%v", tt.args)
	}
}

// options -> output: problems go to stderr for the machine formats, the
// exit is 1 with a problem or a sheet under --fail-under.
func TestGradeRun(t *testing.T) {
	dir := t.TempDir()
	pack := filepath.Join(dir, "demo.yaml")
	require.NoError(t, os.WriteFile(pack, []byte(playTestPack), 0o644))
	csv := filepath.Join(dir, "class.csv")
	require.NoError(t, os.WriteFile(csv, []byte("student,new-first,is-int\nada,b,true\nbob,c,maybe\n"), 0o644))
	f, out, errOut := playFactory(t, strings.NewReader(""))
	o := &GradeOptions{f: f, Pack: pack, Sheets: []string{csv}, Format: "json", Pass: 60, Multi: "partial"}
	require.NoError(t, o.validate())
	err := gradeRun(o)
	assert.ErrorIs(t, err, ErrFindings)
	assert.Contains(t, out.String(), `"student":"bob"`)
	assert.Contains(t, errOut.String(), `class.csv row 3: question is-int: "maybe" is not true or false`)

	require.NoError(t, os.WriteFile(csv, []byte("student,new-first,is-int\nada,b,true\nbob,c,true\n"), 0o644))
	out.Reset()
	errOut.Reset()
	o.Format = "table"
	require.NoError(t, o.validate())
	require.NoError(t, gradeRun(o))
	assert.Contains(t, errOut.String(), "Graded 2 sheet(s) of demo")
	o.FailUnder, o.failUnder = 60, true
	assert.ErrorIs(t, gradeRun(o), ErrFindings, "bob has 50%")
	assert.Contains(t, errOut.String(), "1 below 60%")
}
