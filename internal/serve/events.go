package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/pyquiz/pyquiz/internal/jsonout"
)

// hub passes "session changed" signals to the live streams of this process.
// A stream's channel holds one pending signal: a burst of answers becomes
// one update, and a slow browser never blocks an answer.
type hub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]bool
}

func newHub() *hub { return &hub{subs: map[string]map[chan struct{}]bool{}} }

func (h *hub) subscribe(session string) (chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[session] == nil {
		h.subs[session] = map[chan struct{}]bool{}
	}
	h.subs[session][ch] = true
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[session], ch)
		if len(h.subs[session]) == 0 {
			delete(h.subs, session)
		}
		h.mu.Unlock()
	}
}

// publish signals the streams of session, or of every session for "".
func (h *hub) publish(session string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, subs := range h.subs {
		if session != "" && id != session {
			continue
		}
		for ch := range subs {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}

// events streams the host's view of a session as Server-Sent Events: an
// "update" event with the status JSON now and after every change (at most
// four a second), a comment every 20 s to keep proxies from closing it.
func (s *Server) events(w http.ResponseWriter, r *http.Request, c *session) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch, done := s.hub.subscribe(c.rec.ID)
	defer done()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func() bool {
		st, err := s.hostStatus(r.Context(), c)
		if err != nil {
			return false
		}
		b, _ := json.Marshal(st)
		b = jsonout.EscapeC1(b)
		if _, err := fmt.Fprintf(w, "event: update\ndata: %s\n\n", b); err != nil {
			return false
		}
		fl.Flush()
		return true
	}
	if !send() {
		return
	}
	keep := time.NewTicker(20 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			return
		case <-keep.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		case <-ch:
			if !send() {
				return
			}
			select {
			case <-time.After(250 * time.Millisecond):
			case <-r.Context().Done():
				return
			case <-s.ctx.Done():
				return
			}
		}
	}
}
