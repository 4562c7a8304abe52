package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

func out(t *testing.T, f Format, s *quiz.Session) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, f, s, Info{Student: "ada", Duration: time.Second}))
	return buf.String()
}

// The human reports use the letters the student saw; the JSON keeps the
// pack's letters for grade and adds the order the choices were shown in.
func TestReportsShowLettersAsSeen(t *testing.T) {
	s := session(t) // p/a shows y, x, w, z: the pack's a and c are shown as c) and a)
	it := s.Items[0]
	if it.Question.ID != "a" {
		it = s.Items[1]
	}
	require.Equal(t, []int{2, 1, 0, 3}, it.Order, "the fixture's shuffle changed")

	md := out(t, Markdown, s)
	assert.Contains(t, md, "- a) y\n- b) x\n- c) w\n- d) z\n")
	assert.Contains(t, md, "- Your answer: a) y, c) w\n")

	html := out(t, HTML, s)
	assert.Contains(t, html, "<li>y</li><li>x</li><li>w</li><li>z</li>")
	assert.Contains(t, html, "Your answer: <b>a) y, c) w</b>")

	var sheet Sheet
	require.NoError(t, json.Unmarshal([]byte(out(t, JSON, s)), &sheet))
	for _, a := range sheet.Answers {
		if a.Question == "p/a" {
			assert.Equal(t, "a,c", a.Given)
			assert.Equal(t, "c,b,a,d", a.Order)
		}
	}
}

func oneQuestion(t *testing.T, q *quiz.Question, mode quiz.Mode, penalty float64, line string) *quiz.Session {
	t.Helper()
	if q.PackID == "" {
		q.PackID = "p"
	}
	if q.Points == 0 {
		q.Points = 1
	}
	s := quiz.NewSession([]*quiz.Question{q}, quiz.SessionConfig{Mode: mode, Rules: quiz.Rules{Penalty: penalty}})
	r, err := quiz.ParseResponse(q, line, s.Current().Order)
	require.NoError(t, err)
	_, err = s.Answer(r, time.Second)
	require.NoError(t, err)
	s.Finish()
	return s
}

// Inline code in the HTML report is <code>, code blocks are highlighted
// with inline styles, and no backtick is left over.
func TestHTMLCodeSpansAndHighlighting(t *testing.T) {
	q := &quiz.Question{ID: "del", Type: quiz.Output, Prompt: "Is `del x`\nlegal after `x = 1`?", Code: "x = 1\ndel x\nprint('ok')\n",
		Answer: quiz.Answer{Texts: []string{"ok\n"}, Set: true}, Explanation: "`del` unbinds a name, as `[[0] *\n3]` shows."}
	html := out(t, HTML, oneQuestion(t, q, quiz.Study, 0, "ok"))
	assert.Contains(t, html, "Is <code>del x</code>\nlegal after <code>x = 1</code>?")
	assert.Contains(t, html, "<code>x = 1</code>")
	assert.Contains(t, html, "<code>del</code> unbinds a name, as <code>[[0] *\n3]</code> shows.")
	assert.NotContains(t, html, "`")
	assert.Contains(t, html, `<span style="color:#8959a8;font-weight:bold">del</span>`)
	assert.NotContains(t, html, "<link")
	assert.NotContains(t, html, "class=\"chroma")
}

// Under negative marking a per-tag score below zero is shown as the loss
// it is, with a minus sign, not as a range.
func TestHTMLNegativeScores(t *testing.T) {
	q := &quiz.Question{ID: "tf", Type: quiz.TrueFalse, Prompt: "Yes?", Answer: quiz.Answer{Bool: true, Set: true}, Tags: []string{"hard"}}
	html := out(t, HTML, oneQuestion(t, q, quiz.Exam, 0.25, "f"))
	assert.Contains(t, html, `<td>hard</td><td class="n">1</td><td class="n">0</td><td class="n"><span class="neg">−0.25</span> of 1</td><td class="n"><span class="neg">−25%</span></td>`)
}

// No control byte from any field or from what was typed reaches the HTML
// page: ESC, BEL, CR, BS, C1 and invalid UTF-8 are shown as escapes.
func TestHTMLEscapesEveryControlByte(t *testing.T) {
	bad := "\x1b[31m\a\r\b\u009b\xff"
	q := &quiz.Question{PackID: "p" + bad, ID: "q" + bad, Type: quiz.Short, Prompt: "P" + bad + " `c" + bad + "`",
		Code: "print(1)" + bad, Answer: quiz.Answer{Texts: []string{"k" + bad}, Set: true}, Explanation: "E" + bad,
		Tags: []string{"t" + bad}, Feedback: map[string]string{"typed" + bad: "F" + bad}}
	s := oneQuestion(t, q, quiz.Study, 0, "typed"+bad)
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, HTML, s, Info{Student: "ada" + bad}))
	out := buf.String()
	assert.True(t, utf8.ValidString(out), "invalid UTF-8 in the page")
	for _, r := range out {
		if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			t.Fatalf("control %U in the HTML report", r)
		}
	}
	assert.Contains(t, out, `typed\x1b[31m\x07\r\x08\u009b\xff`)
	assert.Contains(t, out, `ada\x1b`)
}

// The Markdown report keeps code spans as code spans, fences code that
// contains a fence, and escapes control characters, C1 included.
func TestMarkdownCodeIsSafe(t *testing.T) {
	q := &quiz.Question{ID: "q", Type: quiz.Short, Prompt: "What does `del x` do to `a*b`?\u009b",
		Code: "s = '''\n```\n'''\nprint('\x1b[2J')\n", Answer: quiz.Answer{Texts: []string{"it`s"}, Set: true}}
	md := out(t, Markdown, oneQuestion(t, q, quiz.Study, 0, "it`s"))
	assert.Contains(t, md, `What does `+"`del x`"+` do to `+"`a*b`"+`?\\u009b`)
	assert.Contains(t, md, "````python\ns = '''\n```\n'''\nprint('\\x1b[2J')\n````\n")
	assert.Contains(t, md, "- Your answer: ``it`s``")
	for _, r := range md {
		if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			t.Fatalf("control %U in the Markdown report", r)
		}
	}
}

// A multi-line output is shown as lines in the human reports.
func TestReportsShowMultiLineAnswersAsLines(t *testing.T) {
	q := &quiz.Question{ID: "q", Type: quiz.Output, Code: "print(3)\nprint(-4)", Answer: quiz.Answer{Texts: []string{"3\n-4\n"}, Set: true}}
	s := oneQuestion(t, q, quiz.Study, 0, "3 4")
	md := out(t, Markdown, s)
	assert.Contains(t, md, "- Right answer: \n\n  ```text\n  3\n  -4\n  ```\n")
	html := out(t, HTML, s)
	assert.Contains(t, html, "Right answer: <b><pre class=\"ans\">3\n-4</pre></b>")
	assert.NotContains(t, md+html, " / ")
}

// Reports are 0644 less the umask, like any file the user writes.
func TestReportFileMode(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		umask int
		want  os.FileMode
	}{{0o022, 0o644}, {0o077, 0o600}, {0o002, 0o644}} {
		old := syscall.Umask(tt.umask)
		path := filepath.Join(dir, "r.json")
		os.Remove(path)
		err := WriteFile(path, false, session(t), Info{})
		syscall.Umask(old)
		require.NoError(t, err)
		fi, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, tt.want, fi.Mode().Perm(), "umask %03o", tt.umask)
	}
}

// Check refuses what would lose or clobber a report, before a session.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.json")
	require.NoError(t, os.WriteFile(existing, []byte("keep"), 0o644))
	link := filepath.Join(dir, "link.json")
	require.NoError(t, os.Symlink(existing, link))

	assert.NoError(t, Check(filepath.Join(dir, "new.json"), false))
	assert.ErrorContains(t, Check(filepath.Join(dir, "missing", "r.json"), false), "folder "+filepath.Join(dir, "missing")+" does not exist")
	assert.ErrorContains(t, Check(filepath.Join(existing, "r.json"), false), "cannot write in folder")
	assert.ErrorContains(t, Check(existing, false), "exists; use --force")
	assert.NoError(t, Check(existing, true))
	assert.ErrorContains(t, Check(link, false), "is a symbolic link")
	assert.NoError(t, Check(link, true))
	assert.ErrorContains(t, Check(dir, true), "unknown report format")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "d.json"), 0o755))
	assert.ErrorContains(t, Check(filepath.Join(dir, "d.json"), true), "is a folder, not a file")

	if os.Getuid() != 0 {
		ro := filepath.Join(dir, "ro")
		require.NoError(t, os.Mkdir(ro, 0o555))
		assert.ErrorContains(t, Check(filepath.Join(ro, "r.json"), false), "cannot write in folder")
	} else if _, err := os.Stat("/proc/self"); err == nil {
		assert.ErrorContains(t, Check("/proc/r.json", false), "cannot write in folder /proc")
	}

	// --force replaces the link, never the file it points to
	require.NoError(t, WriteFile(link, true, session(t), Info{}))
	data, _ := os.ReadFile(existing)
	assert.Equal(t, "keep", string(data))
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.True(t, fi.Mode().IsRegular())
}

// A file that appears at the report's path during the session is not
// replaced: the report is kept under another name and the error says where.
func TestWriteFileNeverReplacesSilently(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.md")
	require.NoError(t, os.WriteFile(path, []byte("theirs"), 0o644))
	err := WriteFile(path, false, session(t), Info{})
	require.Error(t, err)
	data, _ := os.ReadFile(path)
	assert.Equal(t, "theirs", string(data))
	i := strings.Index(err.Error(), "the new file is in ")
	require.GreaterOrEqual(t, i, 0, err.Error())
	kept, rerr := os.ReadFile(strings.TrimPrefix(err.Error()[i:], "the new file is in "))
	require.NoError(t, rerr)
	assert.Contains(t, string(kept), "# pyquiz report")
}
