package serve

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzAPIBodies sends any body to join, answers and hints: the server
// answers with a 2xx or 4xx and never fails or panics. Seeds beyond these
// are in testdata/fuzz/FuzzAPIBodies.
func FuzzAPIBodies(f *testing.F) {
	for _, s := range []string{`{"name":"Ann"}`, `{"question":"demo/falsy","answer":"a,c"}`, `{"question":"demo/is-int","skip":true}`,
		`{"question":"demo/prints","answer":"2\n"}`, `{}`, `[]`, `{"name":1}`, `{"question":"demo/new-first","answer":"bb"}`, `{"question":"demo/new-first"}`, "\xff", `{"a":` + strings.Repeat("[", 100)} {
		f.Add(s)
	}
	fx := start(f, Settings{Shuffle: true}, Options{JoinBurst: 1 << 30, JoinPerSecond: 1e9})
	n := 0
	f.Fuzz(func(t *testing.T, body string) {
		// A fresh participant each time, so every input can be an answer.
		n++
		fx.t = t
		tok := fx.join(fmt.Sprint("fuzz ", n))
		for _, path := range []string{"join", "hints", "answers"} {
			req := httptest.NewRequest("POST", "/api/v1/sessions/"+fx.id+"/"+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tok)
			w := httptest.NewRecorder()
			fx.srv.ServeHTTP(w, req)
			if w.Code >= 500 || w.Code < 200 {
				t.Fatalf("%s %q: status %d: %s", path, body, w.Code, w.Body)
			}
		}
	})
}
