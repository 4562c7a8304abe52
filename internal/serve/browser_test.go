package serve

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pyquiz/pyquiz/quiz"
)

func chromePath() string {
	// Debian's /usr/bin/chromium is a shell script around this binary.
	if _, err := os.Stat("/usr/lib/chromium/chromium"); err == nil {
		return "/usr/lib/chromium/chromium"
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// browserCtx starts a headless Chromium (Debian's chromium package) or
// skips the test where there is none.
func browserCtx(t *testing.T) context.Context {
	t.Helper()
	path := chromePath()
	if path == "" {
		t.Skip("skipping the browser test: no chromium on PATH (apt-get install chromium; .ci/run does)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox refuses to start
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(390, 844),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	// The first Run starts the browser and must not carry a timeout, so a
	// watchdog stands in for one.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(bctx, chromedp.Navigate("about:blank")) }()
	select {
	case err := <-started:
		require.NoError(t, err)
	case <-time.After(90 * time.Second):
		t.Fatal("chromium did not start within 90 s")
	}
	return bctx
}

func within(t *testing.T, ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestBrowserInterview: the interviewer opens the host page, the candidate
// joins in another tab, answers and sees the feedback; the host page marks
// the answer live, with no reload.
func TestBrowserInterview(t *testing.T) {
	ctx := browserCtx(t)
	f := start(t, Settings{Title: "Interview", Mode: quiz.Study}, Options{}) // no shuffle: question 1 is demo/new-first

	require.NoError(t, chromedp.Do(within(t, ctx),
		chromedp.Navigate(f.http.URL+"/host/"+f.id+"?token="+f.host),
		chromedp.WaitVisible(chromedp.CSS("#grid")),
		void(chromedp.Poll[bool](`document.getElementById("grid").getAttribute("data-live") === "true"`, chromedp.WithPollingTimeout(20*time.Second))),
		void(chromedp.Evaluate[int](`window.__loads = 1`)),
	))

	cand, cancel := chromedp.NewContext(ctx)
	defer cancel()
	require.NoError(t, chromedp.Do(within(t, cand),
		chromedp.Navigate(f.http.URL+"/s/"+f.id),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Candidate <b>"),
		chromedp.Click(chromedp.CSS(`form.join button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.question .prompt`)),
		chromedp.Click(chromedp.CSS(`button.choice[value="b"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.verdict`)),
	))
	verdict, err := chromedp.Run(within(t, cand), chromedp.Text(chromedp.CSS(`.verdict .head`)))
	require.NoError(t, err)
	given, err := chromedp.Run(within(t, cand), chromedp.Text(chromedp.CSS(`.verdict .given`)))
	require.NoError(t, err)
	assert.Contains(t, verdict, "Right")
	assert.Equal(t, "b) __new__", given)

	_, err = chromedp.Run(within(t, ctx), chromedp.Poll[bool](`document.querySelector("#grid td.m.right") !== null`, chromedp.WithPollingTimeout(20*time.Second)))
	require.NoError(t, err, "the host page marks the answer")
	name, err := chromedp.Run(within(t, ctx), chromedp.Text(chromedp.CSS(`#grid td.name`)))
	require.NoError(t, err)
	assert.Equal(t, "Candidate <b>", name, "the name is shown as text, not markup")
	same, err := chromedp.Run(within(t, ctx), chromedp.Evaluate[bool](`window.__loads === 1`))
	require.NoError(t, err)
	assert.True(t, same, "the host page updated without a reload")

	if dir := os.Getenv("PYQUIZ_SCREENSHOTS"); dir != "" {
		screenshots(t, ctx, cand, f, dir)
	}
}

// screenshots saves the pages at phone and desktop widths (set
// PYQUIZ_SCREENSHOTS=folder to look at them).
func screenshots(t *testing.T, host, cand context.Context, f *fixture, dir string) {
	require.NoError(t, os.MkdirAll(dir, 0o755))
	shot := func(ctx context.Context, name, url string, w, h int64) {
		ctx = within(t, ctx)
		require.NoError(t, chromedp.Do(ctx,
			chromedp.EmulateViewport(w, h),
			chromedp.Navigate(url),
			chromedp.Sleep(300*time.Millisecond), // let the live update paint; screenshots only
		))
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644))
	}
	base := f.http.URL + "/s/" + f.id
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 800}} {
		shot(cand, "question-"+size.name, base+"/q", size.w, size.h)
		shot(cand, "feedback-"+size.name, base+"/a/1", size.w, size.h)
		shot(host, "host-"+size.name, f.http.URL+"/host/"+f.id, size.w, size.h)
	}
	// A question with a hint taken, in a session of its own (the browser
	// keeps one participant per session).
	g := start(t, Settings{Title: "Week 3"}, Options{})
	require.NoError(t, chromedp.Do(within(t, cand),
		chromedp.Navigate(g.http.URL+"/s/"+g.id),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Ana María"),
		chromedp.Click(chromedp.CSS(`form.join button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`button.hintbutton`)),
		chromedp.Click(chromedp.CSS(`button.hintbutton`)),
		chromedp.WaitVisible(chromedp.CSS(`.hint`)),
	))
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 800}} {
		shot(cand, "hint-"+size.name, g.http.URL+"/s/"+g.id+"/q", size.w, size.h)
	}
	f.call("POST", "close", f.host, nil)
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 800}} {
		shot(host, "host-closed-"+size.name, f.http.URL+"/host/"+f.id, size.w, size.h)
		shot(cand, "done-"+size.name, base+"/done", size.w, size.h)
	}
}

// void runs an action for its effect, dropping its value.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}
