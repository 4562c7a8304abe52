package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdServeInfo is `serveinfo FILE`: it waits until FILE (the stdout of a
// `pyquiz serve --json` started in the background) holds its first line,
// and sets SESSION, JOIN_URL, HOST_URL and HOST_TOKEN from it, and API to
// the session's API prefix. It waits for the server to write, not for time
// to pass; it gives up after 60 s.
func cmdServeInfo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: serveinfo FILE")
	}
	var line []byte
	for end := time.Now().Add(60 * time.Second); ; {
		b, err := os.ReadFile(ts.MkAbs(args[0]))
		if i := bytes.IndexByte(b, '\n'); err == nil && i >= 0 {
			line = b[:i]
			break
		}
		if time.Now().After(end) {
			ts.Fatalf("%s: no first line after 60 s (%v)", args[0], err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var info map[string]string
	ts.Check(json.Unmarshal(line, &info))
	for k, v := range info {
		ts.Setenv(strings.ToUpper(k), v)
	}
	base := strings.TrimSuffix(info["join_url"], "/s/"+info["session"])
	ts.Setenv("API", base+"/api/v1/sessions/"+info["session"])
	ts.Logf("serve: %s", line)
}

// cmdHTTP is `http [-token T] [-set VAR=FIELD] METHOD URL [BODY]`: one
// request (a JSON body, a Bearer token); stdout gets "HTTP <status>" and
// the response body. -set puts a string field of the JSON answer in VAR.
func cmdHTTP(ts *testscript.TestScript, neg bool, args []string) {
	var token, set string
	for len(args) > 1 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-token":
			token = args[1]
		case "-set":
			set = args[1]
		default:
			ts.Fatalf("http: unknown flag %s", args[0])
		}
		args = args[2:]
	}
	if len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: http [-token T] [-set VAR=FIELD] METHOD URL [BODY]")
	}
	var body io.Reader
	if len(args) == 3 {
		body = strings.NewReader(args[2])
	}
	req, err := http.NewRequest(args[0], args[1], body)
	ts.Check(err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		if neg {
			return
		}
		ts.Fatalf("http: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(bufio.NewReader(resp.Body))
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "HTTP %d\n%s", resp.StatusCode, b)
	if neg {
		ts.Fatalf("http: the request succeeded")
	}
	if set != "" {
		name, field, ok := strings.Cut(set, "=")
		var out map[string]any
		if !ok || json.Unmarshal(b, &out) != nil {
			ts.Fatalf("http -set %s: the answer is not a JSON object: %s", set, b)
		}
		v, _ := out[field].(string)
		ts.Setenv(name, v)
	}
}
