package serve

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pyquiz/pyquiz/internal/render"
	"github.com/pyquiz/pyquiz/quiz"
)

//go:embed web
var webFS embed.FS

var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"text":   textHTML,
		"esc":    render.Escape,
		"code":   codeHTML,
		"points": render.Points,
		"pct":    render.Percent,
		"inc":    func(i int) int { return i + 1 },
	}).ParseFS(webFS, "web/*.html"))
})

func (s *Server) pageRoutes(m *http.ServeMux) {
	static, _ := fs.Sub(webFS, "web/static")
	files := http.StripPrefix("/static/", http.FileServer(http.FS(static)))
	m.HandleFunc("GET /static/", func(w http.ResponseWriter, r *http.Request) {
		secure(w)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		s.page(w, http.StatusOK, "error", pageData{Title: "pyquiz", Message: "This is a pyquiz server. Open the join link your host gave you."})
	})
	m.HandleFunc("GET /s/{id}", s.pageSession(s.joinPage))
	m.HandleFunc("POST /s/{id}/join", s.pageSession(s.joinPost))
	m.HandleFunc("GET /s/{id}/q", s.pageSession(s.questionPage))
	m.HandleFunc("POST /s/{id}/answer", s.pageSession(s.answerPost))
	m.HandleFunc("POST /s/{id}/hint", s.pageSession(s.hintPost))
	m.HandleFunc("GET /s/{id}/a/{n}", s.pageSession(s.feedbackPage))
	m.HandleFunc("GET /s/{id}/done", s.pageSession(s.donePage))
	m.HandleFunc("GET /host/{id}", s.pageSession(s.hostPage))
	m.HandleFunc("POST /host/{id}/close", s.pageSession(s.hostClose))
	m.HandleFunc("GET /host/{id}/results/{file}", s.pageSession(s.hostDownload))
}

// pageData is what every page template reads; each page fills its part.
type pageData struct {
	Title    string
	Session  string
	Mode     quiz.Mode
	CSRF     string
	Message  string // an error or a note, shown above the content
	Name     string
	N, Total int

	// question and feedback pages
	Q        questionJSON
	Code     string
	Deadline int64 // Unix ms; 0: none
	TimeLeft string
	HintCost string // what the next hint costs: "a quarter of the points"
	Verdict  verdict

	// done page
	Closed  bool
	Show    bool
	Score   float64
	Max     float64
	Percent float64
	Review  []reviewItem

	// host page
	JoinURL string
	Status  hostStatus
	Results *resultsView
}

type reviewItem struct {
	N       int
	Prompt  string
	Code    string
	Verdict verdict
}

// pageSession wraps a page handler: an error is shown as a page with its
// status code.
func (s *Server) pageSession(h func(http.ResponseWriter, *http.Request, *session) error) http.HandlerFunc {
	return s.withSession(h, func(w http.ResponseWriter, c *session, err error) {
		code, msg := statusOfError(err)
		d := pageData{Title: "pyquiz", Message: msg}
		if c != nil {
			d.Title, d.Session = c.set.Title, c.rec.ID
		}
		s.page(w, code, "error", d)
	})
}

func (s *Server) page(w http.ResponseWriter, code int, name string, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	pages().ExecuteTemplate(w, name, d)
}

func see(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, path, http.StatusSeeOther)
}

func (s *Server) joinPage(w http.ResponseWriter, r *http.Request, c *session) error {
	if _, _, err := s.asParticipant(r, c); err == nil {
		see(w, r, "/s/"+c.rec.ID+"/q")
		return nil
	}
	return s.joinForm(w, r, c, http.StatusOK, "", "")
}

func (s *Server) joinForm(w http.ResponseWriter, r *http.Request, c *session, code int, msg, name string) error {
	csrf := ""
	if ck, err := r.Cookie(csrfCookie); err == nil && len(ck.Value) >= 16 {
		csrf = ck.Value
	} else {
		csrf = randomID(16)
		setCookie(w, r, csrfCookie, csrf, 0)
	}
	closed, err := s.closedAt(r.Context(), c)
	if err != nil {
		return err
	}
	if !closed.IsZero() && msg == "" {
		msg = "This session is closed."
	}
	s.page(w, code, "join", pageData{Title: c.set.Title, Session: c.rec.ID, Mode: c.set.Mode, CSRF: csrf, Message: msg, Name: name, Total: len(c.qs), Closed: !closed.IsZero()})
	return nil
}

func (s *Server) joinPost(w http.ResponseWriter, r *http.Request, c *session) error {
	name := r.PostFormValue("name")
	ck, err := r.Cookie(csrfCookie)
	if err != nil || !sameString(r.PostFormValue("csrf"), ck.Value) {
		return s.joinForm(w, r, c, http.StatusForbidden, "The form had expired. Please try again.", name)
	}
	if !s.limit.allow(r) {
		return s.joinForm(w, r, c, http.StatusTooManyRequests, "Too many people joined from your address at once; wait a few seconds and try again.", name)
	}
	_, tok, err := s.join(r.Context(), c, name)
	var he *httpError
	if errors.As(err, &he) {
		return s.joinForm(w, r, c, he.code, capital(he.msg)+".", name)
	}
	if err != nil {
		return err
	}
	setCookie(w, r, participantCookie(c.rec.ID), tok, 7*24*3600)
	see(w, r, "/s/"+c.rec.ID+"/q")
	return nil
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// participantPage authenticates a page request; without a token the
// browser is sent to the join page.
func (s *Server) participantPage(w http.ResponseWriter, r *http.Request, c *session) (*participant, string, bool, error) {
	p, tok, err := s.asParticipant(r, c)
	var he *httpError
	if errors.As(err, &he) && he.code == http.StatusUnauthorized && r.Method == http.MethodGet {
		see(w, r, "/s/"+c.rec.ID)
		return nil, "", false, nil
	}
	return p, tok, err == nil, err
}

var notes = map[string]string{
	"late":   "Time ran out for that question; it counts as unanswered.",
	"answer": "That question is already answered.",
}

func (s *Server) questionPage(w http.ResponseWriter, r *http.Request, c *session) error {
	p, tok, ok, err := s.participantPage(w, r, c)
	if !ok {
		return err
	}
	g, err := s.progress(r.Context(), c, p)
	if err != nil {
		return err
	}
	if g.over() {
		see(w, r, "/s/"+c.rec.ID+"/done")
		return nil
	}
	return s.questionForm(w, c, p, tok, g, http.StatusOK, notes[r.URL.Query().Get("m")])
}

func (s *Server) questionForm(w http.ResponseWriter, c *session, p *participant, tok string, g progress, code int, msg string) error {
	d := pageData{Title: c.set.Title, Session: c.rec.ID, Mode: c.set.Mode, CSRF: csrfFor(tok), Name: p.Name, Message: msg,
		N: g.number, Total: len(p.qs.Items), Q: questionOf(g.current, g.number, g, c.set.Mode)}
	if end := g.end(); !end.IsZero() {
		d.Deadline = end.UnixMilli()
		d.TimeLeft = render.Clock(end.Sub(s.now()))
	}
	if n := len(d.Q.Shown); n < d.Q.Hints {
		pack := s.opts.Packs[g.current.Question.PackID]
		cost := quiz.HintFactor(pack, n, c.rules) - quiz.HintFactor(pack, n+1, c.rules)
		d.HintCost = render.Percent(100*cost) + " of the points"
	}
	s.page(w, code, "question", d)
	return nil
}

func (s *Server) answerPost(w http.ResponseWriter, r *http.Request, c *session) error {
	p, tok, ok, err := s.participantPage(w, r, c)
	if !ok {
		return err
	}
	sub := submission{Question: r.PostFormValue("question"), Answer: r.PostFormValue("answer"), Skip: r.PostFormValue("skip") != ""}
	if picks := r.PostForm["pick"]; len(picks) > 0 {
		sub.Answer = strings.Join(picks, ",")
	}
	if !sub.Skip && strings.TrimSpace(sub.Answer) == "" {
		err = fail(http.StatusBadRequest, "%s", quiz.ErrEmptyResponse.Error())
	} else {
		_, err = s.answer(r.Context(), c, p, sub)
	}
	var he *httpError
	switch {
	case err == nil:
	case errors.As(err, &he) && he.code == http.StatusBadRequest:
		g, gerr := s.progress(r.Context(), c, p)
		if gerr != nil {
			return gerr
		}
		if !g.over() {
			return s.questionForm(w, c, p, tok, g, http.StatusBadRequest, capital(he.msg)+".")
		}
		see(w, r, "/s/"+c.rec.ID+"/q")
		return nil
	case errors.As(err, &he) && he.code == http.StatusConflict:
		m := "answer"
		if strings.Contains(he.msg, "time") {
			m = "late"
		}
		see(w, r, "/s/"+c.rec.ID+"/q?m="+m)
		return nil
	default:
		return err
	}
	if c.set.Mode == quiz.Study {
		see(w, r, "/s/"+c.rec.ID+"/a/"+strconv.Itoa(p.num[sub.Question]))
		return nil
	}
	see(w, r, "/s/"+c.rec.ID+"/q")
	return nil
}

// hintPost shows the next hint: recorded, then the question page again
// with every hint taken so far.
func (s *Server) hintPost(w http.ResponseWriter, r *http.Request, c *session) error {
	p, tok, ok, err := s.participantPage(w, r, c)
	if !ok {
		return err
	}
	_, err = s.hint(r.Context(), c, p, r.PostFormValue("question"))
	var he *httpError
	if errors.As(err, &he) && (he.code == http.StatusConflict || he.code == http.StatusNotFound) {
		g, gerr := s.progress(r.Context(), c, p)
		if gerr != nil {
			return gerr
		}
		if g.over() {
			see(w, r, "/s/"+c.rec.ID+"/done")
			return nil
		}
		return s.questionForm(w, c, p, tok, g, he.code, capital(he.msg)+".")
	}
	if err != nil {
		return err
	}
	see(w, r, "/s/"+c.rec.ID+"/q")
	return nil
}

func (s *Server) feedbackPage(w http.ResponseWriter, r *http.Request, c *session) error {
	p, _, ok, err := s.participantPage(w, r, c)
	if !ok {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(p.qs.Items) {
		return fail(http.StatusNotFound, "no such question")
	}
	g, err := s.progress(r.Context(), c, p)
	if err != nil {
		return err
	}
	it := p.qs.Items[n-1]
	a, done := g.answers[it.Question.FullID()]
	if !done {
		see(w, r, "/s/"+c.rec.ID+"/q")
		return nil
	}
	if c.set.Mode == quiz.Exam && !g.closed {
		return fail(http.StatusForbidden, "in an exam the answers are shown when the host closes the session")
	}
	rec := record(it, a)
	s.page(w, http.StatusOK, "feedback", pageData{Title: c.set.Title, Session: c.rec.ID, Mode: c.set.Mode, Name: p.Name, N: n, Total: len(p.qs.Items),
		Q: questionOf(it, n, g, c.set.Mode), Verdict: verdictOf(rec), Closed: g.over()})
	return nil
}

func (s *Server) donePage(w http.ResponseWriter, r *http.Request, c *session) error {
	p, _, ok, err := s.participantPage(w, r, c)
	if !ok {
		return err
	}
	g, err := s.progress(r.Context(), c, p)
	if err != nil {
		return err
	}
	if !g.over() {
		see(w, r, "/s/"+c.rec.ID+"/q")
		return nil
	}
	d := pageData{Title: c.set.Title, Session: c.rec.ID, Mode: c.set.Mode, Name: p.Name, Total: len(p.qs.Items), Closed: g.closed,
		Show: c.set.Mode == quiz.Study || g.closed}
	switch {
	case g.closed:
		d.Message = "The session is closed."
	case g.timeUp:
		d.Message = "Your time is up."
	}
	for i, it := range p.qs.Items {
		// Every question counts, answered or not, so that the participant's
		// score is the one the host's report (grade's) gives them.
		a, answered := g.answers[it.Question.FullID()]
		rec := quiz.Record{Item: it, NotReached: true, Max: it.Question.Points}
		if answered {
			rec = record(it, a)
		}
		d.Score += rec.Points
		d.Max += rec.Max
		d.N += btoi(answered && a.Status == "answered")
		d.Review = append(d.Review, reviewItem{N: i + 1, Prompt: render.PromptText(it), Code: it.Question.Code, Verdict: verdictOf(rec)})
	}
	if d.Max > 0 {
		d.Percent = 100 * d.Score / d.Max
	}
	s.page(w, http.StatusOK, "done", d)
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *Server) hostPage(w http.ResponseWriter, r *http.Request, c *session) error {
	if t := r.URL.Query().Get("token"); t != "" {
		if !sameString(t, c.rec.HostToken) {
			return fail(http.StatusUnauthorized, "wrong host token")
		}
		// Keep the token out of the address bar, history and referrers.
		setCookie(w, r, hostCookie(c.rec.ID), t, 7*24*3600)
		see(w, r, "/host/"+c.rec.ID)
		return nil
	}
	tok, err := s.asHost(r, c)
	if err != nil {
		var he *httpError
		if errors.As(err, &he) && he.code == http.StatusUnauthorized {
			he.msg = "this page needs the host token: open the host URL pyquiz serve printed"
		}
		return err
	}
	st, err := s.hostStatus(r.Context(), c)
	if err != nil {
		return err
	}
	d := pageData{Title: c.set.Title, Session: c.rec.ID, Mode: c.set.Mode, CSRF: csrfFor(tok), Status: st, Closed: st.Closed, Total: len(c.qs),
		JoinURL: joinURL(r, c.rec.ID)}
	if st.Closed {
		if d.Results, err = s.resultsView(r.Context(), c); err != nil {
			return err
		}
	}
	s.page(w, http.StatusOK, "host", d)
	return nil
}

// joinURL is the participants' link as this request reached the server.
func joinURL(r *http.Request, id string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: "/s/" + id}
	return u.String()
}

func (s *Server) hostClose(w http.ResponseWriter, r *http.Request, c *session) error {
	if _, err := s.asHost(r, c); err != nil {
		return err
	}
	if err := s.closeSession(r.Context(), c); err != nil {
		return err
	}
	see(w, r, "/host/"+c.rec.ID)
	return nil
}

func (s *Server) hostDownload(w http.ResponseWriter, r *http.Request, c *session) error {
	if _, err := s.asHost(r, c); err != nil {
		return err
	}
	file := r.PathValue("file")
	format := strings.TrimPrefix(file, "results.")
	ctype, ok := resultFormats[format]
	if !strings.HasPrefix(file, "results.") || !ok {
		return fail(http.StatusNotFound, "no such download (results.csv, results.json or results.html)")
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="pyquiz-`+c.rec.ID+"-"+time.Now().UTC().Format("20060102")+"."+format+`"`)
	return s.writeResults(r.Context(), w, c, format)
}
