package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServeFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
		check   func(*testing.T, *ServeOptions)
	}{
		{args: nil, check: func(t *testing.T, o *ServeOptions) {
			assert.Equal(t, "127.0.0.1:8080", o.Addr)
			assert.Equal(t, 10, o.Play.N)
			assert.Equal(t, "study", o.Play.Mode)
		}},
		{args: []string{"--mode", "exam", "--penalty", "0.25", "--time-limit", "20m", "--question-time", "90s", "--json", "--title", "Week 3"}, check: func(t *testing.T, o *ServeOptions) {
			assert.Equal(t, 0.25, o.Play.Penalty)
			assert.Equal(t, 20*time.Minute, o.Play.TimeLimit)
			assert.True(t, o.JSON)
			assert.Equal(t, "Week 3", o.Title)
		}},
		{args: []string{"--question", "demo/is-int", "--question", "demo/new-first", "--db", "postgres://u@h/db", "--resume", "abc"}, check: func(t *testing.T, o *ServeOptions) {
			assert.Equal(t, []string{"demo/is-int", "demo/new-first"}, o.Questions)
			assert.Equal(t, "postgres://u@h/db", o.DB)
			assert.Equal(t, "abc", o.Resume)
		}},
		{args: []string{"--addr", "8080"}, wantErr: "--addr 8080: want HOST:PORT"},
		{args: []string{"--db", "mysql://x"}, wantErr: "--db mysql://x"},
		{args: []string{"--penalty", "0.5"}, wantErr: "--penalty is negative marking for exams"},
		{args: []string{"--mode", "quiz"}, wantErr: "--mode quiz"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			f, _, _ := playFactory(t, strings.NewReader(""))
			var got *ServeOptions
			cmd := newServeCmd(f, func(o *ServeOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			tt.check(t, got)
		})
	}
}

// TestServeRunPrintsJSONAndStops runs the real command: the first stdout
// line is the JSON the README promises, the URLs work, and cancelling (as
// SIGINT does) stops it cleanly; --resume serves the session again.
func TestServeRunPrintsJSONAndStops(t *testing.T) {
	f, out, errOut := playFactory(t, strings.NewReader(""))
	run := func(o *ServeOptions) (ServeInfo, chan error, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan ServeInfo, 1)
		o.Play.f, o.Play.ctx = f, ctx
		o.Addr, o.JSON, o.DB = "127.0.0.1:0", true, filepath.Join(t.TempDir(), "serve.db")
		if o.Play.Mode == "" {
			o.Play.Mode, o.Play.Multi = "study", "partial"
		}
		o.Ready = func(i ServeInfo) { ready <- i }
		require.NoError(t, o.validate())
		done := make(chan error, 1)
		go func() { done <- serveRun(o) }()
		select {
		case info := <-ready:
			return info, done, cancel
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, errOut)
		}
		return ServeInfo{}, nil, cancel
	}
	o := &ServeOptions{}
	info, done, cancel := run(o)
	first, _, _ := strings.Cut(out.String(), "\n")
	var got ServeInfo
	require.NoError(t, json.Unmarshal([]byte(first), &got))
	assert.Equal(t, info, got)
	assert.True(t, strings.HasPrefix(got.JoinURL, "http://127.0.0.1:"), got.JoinURL)
	assert.Contains(t, got.HostURL, "token="+got.HostToken)

	resp, err := http.Post(strings.Replace(got.JoinURL, "/s/", "/api/v1/sessions/", 1)+"/join", "application/json", strings.NewReader(`{"name":"Zed"}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusCreated, resp.StatusCode)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	assert.Contains(t, errOut.String(), "--resume "+got.Session)

	// The same database, --resume: the same session and host token.
	out.Reset()
	o2 := &ServeOptions{Resume: got.Session}
	o2.DB = o.DB
	ctx, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	ready := make(chan ServeInfo, 1)
	o2.Play = PlayOptions{f: f, ctx: ctx, Mode: "study", Multi: "partial"}
	o2.Addr, o2.JSON, o2.Ready = "127.0.0.1:0", true, func(i ServeInfo) { ready <- i }
	require.NoError(t, o2.validate())
	done2 := make(chan error, 1)
	go func() { done2 <- serveRun(o2) }()
	select {
	case again := <-ready:
		assert.Equal(t, got.Session, again.Session)
		assert.Equal(t, got.HostToken, again.HostToken)
	case err := <-done2:
		t.Fatalf("resume failed: %v\n%s", err, errOut)
	}
	cancel2()
	<-done2

	// An unknown session is a usage error naming the flag.
	o3 := &ServeOptions{Resume: "nosuch"}
	o3.Play = PlayOptions{f: f, ctx: context.Background(), Mode: "study", Multi: "partial"}
	o3.Addr, o3.DB = "127.0.0.1:0", o.DB
	require.NoError(t, o3.validate())
	err = serveRun(o3)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--resume nosuch: no such session")
}
