package serve

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pyquiz/pyquiz/internal/store"
)

// Cookies: one per session and role, HttpOnly and SameSite=Strict, so a
// page on another site can neither read the token nor make the browser
// send it. Forms carry a CSRF token as well.
func participantCookie(session string) string { return "pyquiz_p_" + session }
func hostCookie(session string) string        { return "pyquiz_h_" + session }

const csrfCookie = "pyquiz_csrf"

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: maxAge})
}

// bearer is the token of an Authorization: Bearer header, or "".
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// token finds the caller's token for a role: the Authorization header
// first, then the role's cookie. fromCookie tells the caller that a
// state-changing request must also show the CSRF token.
func token(r *http.Request, cookie string) (tok string, fromCookie bool) {
	if t := bearer(r); t != "" {
		return t, false
	}
	if c, err := r.Cookie(cookie); err == nil && c.Value != "" {
		return c.Value, true
	}
	return "", false
}

// csrfFor derives a form's CSRF token from the session token it protects.
// Only someone who holds the (HttpOnly) token can compute it, and every
// server sharing a database computes the same one.
func csrfFor(tok string) string {
	m := hmac.New(sha256.New, []byte(tok))
	m.Write([]byte("pyquiz csrf"))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

func sameString(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// csrfOK checks the CSRF token of a request authenticated by cookie: a form
// field "csrf" or an X-CSRF-Token header.
func csrfOK(r *http.Request, tok string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return sameString(got, csrfFor(tok))
}

var errNoToken = errors.New("no token")

// asParticipant authenticates a participant of session c.
func (s *Server) asParticipant(r *http.Request, c *session) (*participant, string, error) {
	tok, fromCookie := token(r, participantCookie(c.rec.ID))
	if tok == "" {
		return nil, "", fail(http.StatusUnauthorized, "join the session first (no participant token)")
	}
	if fromCookie && r.Method != http.MethodGet && r.Method != http.MethodHead && !csrfOK(r, tok) {
		return nil, "", fail(http.StatusForbidden, "the form is stale or came from another site; reload the page")
	}
	p, err := s.byToken(r.Context(), c, tok)
	if errors.Is(err, store.ErrNotFound) {
		if sameString(tok, c.rec.HostToken) {
			return nil, "", fail(http.StatusForbidden, "that is the host token; participants join with a name")
		}
		return nil, "", fail(http.StatusUnauthorized, "unknown participant token")
	}
	if err != nil {
		return nil, "", err
	}
	return p, tok, nil
}

// byToken finds the participant of c whose token is tok: in memory, where
// every participant is when the store is not shared; else in the store
// (someone may have joined on another server), then kept in memory.
func (s *Server) byToken(ctx context.Context, c *session, tok string) (*participant, error) {
	h := hashToken(tok)
	c.mu.Lock()
	p := c.byToken[h]
	c.mu.Unlock()
	if p != nil {
		return p, nil
	}
	if !s.shared {
		return nil, store.ErrNotFound
	}
	sp, err := s.opts.Store.ParticipantByToken(ctx, c.rec.ID, h)
	if err != nil {
		return nil, err
	}
	return c.add(s.participant(c, sp), false), nil
}

// asHost checks the host token of session c. A participant's token is
// refused with 403: they are known, but not allowed.
func (s *Server) asHost(r *http.Request, c *session) (string, error) {
	tok, fromCookie := token(r, hostCookie(c.rec.ID))
	if tok == "" {
		if _, err := r.Cookie(participantCookie(c.rec.ID)); err == nil {
			return "", fail(http.StatusForbidden, "participants cannot see the host's page")
		}
		return "", fail(http.StatusUnauthorized, "the host token is missing")
	}
	if !sameString(tok, c.rec.HostToken) {
		if _, err := s.byToken(r.Context(), c, tok); err == nil {
			return "", fail(http.StatusForbidden, "participants cannot see the host's page or the results")
		}
		return "", fail(http.StatusUnauthorized, "wrong host token")
	}
	if fromCookie && r.Method != http.MethodGet && r.Method != http.MethodHead && !csrfOK(r, tok) {
		return "", fail(http.StatusForbidden, "the form is stale or came from another site; reload the page")
	}
	return tok, nil
}

// limiter is a token bucket per client address for joins: enough for a
// class behind one address, not for a script creating thousands of names.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	rate    float64
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(burst int, perSecond float64, now func() time.Time) *limiter {
	return &limiter{burst: float64(burst), rate: perSecond, now: now, buckets: map[string]*bucket{}}
}

func (l *limiter) allow(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[host]
	if b == nil {
		if len(l.buckets) > 10000 {
			l.buckets = map[string]*bucket{} // forget old addresses rather than grow
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[host] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
