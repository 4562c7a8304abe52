package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pyquiz/pyquiz/internal/serve"
	"github.com/pyquiz/pyquiz/internal/store"
	"github.com/pyquiz/pyquiz/quiz"
)

// ServeOptions are the flags of pyquiz serve: play's selection and session
// flags plus the server's own.
type ServeOptions struct {
	Play      PlayOptions
	Questions []string
	Addr      string
	Title     string
	DB        string
	JSON      bool
	Resume    string

	// Ready, when set, receives the URLs once the server listens (tests).
	Ready func(ServeInfo)
}

// ServeInfo is the first line pyquiz serve --json prints.
type ServeInfo struct {
	Session   string `json:"session"`
	JoinURL   string `json:"join_url"`
	HostURL   string `json:"host_url"`
	HostToken string `json:"host_token"`
}

func newServeCmd(f *Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{Play: PlayOptions{f: f}}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run a quiz in the browser for a class or an interview",
		Long: `Serve runs a quiz session in the browser. Participants open the join URL,
give a name and answer one question per page; the host URL (it holds a
secret token) shows who answered what, live, and the grade report once the
session is closed. Scripts use the same JSON API (see the README).

Questions are chosen with play's flags. Answers are kept in the state
folder's database, or in PostgreSQL with --db postgres://..., where several
servers can share a session. After a restart, --resume SESSION serves an
open session again with every answer and token intact.`,
		Example: `  pyquiz serve --pack pitfalls -n 10 --title "Week 3 quiz"
  pyquiz serve --mode exam --time-limit 30m --addr 0.0.0.0:8080
  pyquiz serve --json --db postgres://quiz@db/class | head -1
  pyquiz serve --resume k3v9x2pq`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Play.ctx = cmd.Context()
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return serveRun(opts)
		},
	}
	p := &opts.Play
	fl := cmd.Flags()
	fl.StringArrayVar(&p.Packs, "pack", nil, "pack id, file or folder (repeatable; default: all installed packs)")
	fl.StringSliceVar(&p.Tags, "tag", nil, "only questions with one of these tags (repeatable or comma-separated)")
	fl.StringSliceVar(&p.Difficulties, "difficulty", nil, "only these difficulties: easy, medium, hard")
	fl.StringVar(&p.Python, "python", "", "ask about this Python version (e.g. 2.7); keeps the questions valid on it")
	fl.IntVarP(&p.N, "number", "n", 10, "ask `N` questions (0: all)")
	fl.StringArrayVar(&opts.Questions, "question", nil, "ask this question (full id pack/question; repeatable)")
	fl.StringVar(&p.Seed, "seed", "", "one order of questions and choices for everyone (default: each participant their own)")
	fl.BoolVar(&p.NoShuffle, "no-shuffle", false, "keep the packs' order of questions and choices")
	fl.StringVar(&p.Mode, "mode", "study", "study (feedback after each answer) or exam (answers shown when the session closes)")
	fl.DurationVar(&p.TimeLimit, "time-limit", 0, "time for each participant, from joining, e.g. 20m")
	fl.DurationVar(&p.QuestionTime, "question-time", 0, "time per question, e.g. 90s; questions then come in order and one that runs out counts as unanswered")
	fl.Float64Var(&p.Penalty, "penalty", 0, "exam mode: share of a question's points lost for a wrong answer (0-1)")
	fl.StringVar(&p.Multi, "multi", "partial", "scoring of several-answer questions: partial or all-or-nothing")
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (other hosts can reach it only if you choose an address they see)")
	fl.StringVar(&opts.Title, "title", "", "the session's title shown on the pages (default: the packs' titles)")
	fl.StringVar(&opts.DB, "db", "", "database: a SQLite file or postgres://... (default: the state folder's)")
	fl.BoolVar(&opts.JSON, "json", false, `print {"session","join_url","host_url","host_token"} as the first stdout line`)
	fl.StringVar(&opts.Resume, "resume", "", "serve the open session `SESSION` again (after a restart; same --db)")
	return cmd
}

func (o *ServeOptions) validate() error {
	if err := o.Play.validate(); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		return FlagErrorf("--addr %s: want HOST:PORT such as 127.0.0.1:8080", o.Addr)
	}
	if o.DB != "" && strings.Contains(o.DB, "://") && !store.IsPostgres(o.DB) {
		return FlagErrorf("--db %s: want a SQLite file path or a postgres:// URL", o.DB)
	}
	if len([]rune(o.Title)) > 200 {
		return FlagErrorf("--title: at most 200 characters")
	}
	return nil
}

// serveDB is the database serve uses: --db, or the state folder's file.
func (o *ServeOptions) serveDB() string {
	if o.DB != "" {
		return o.DB
	}
	return filepath.Join(o.Play.f.StateDir(), store.FileName)
}

func serveRun(o *ServeOptions) error {
	f := o.Play.f
	ctx := o.Play.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	sel, err := f.SelectPacks(o.Play.Packs)
	if err != nil {
		return err
	}
	byID := map[string]*quiz.Question{}
	packs := map[string]*quiz.Pack{}
	for _, p := range sel.Library.Packs {
		packs[p.ID] = p
		for _, q := range p.Questions {
			byID[q.FullID()] = q
		}
	}
	db, err := store.OpenServe(ctx, o.serveDB())
	if err != nil {
		return err
	}
	defer db.Close()
	srvCtx, stop := context.WithCancel(ctx)
	defer stop()
	srv, err := serve.New(srvCtx, serve.Options{Store: db, Questions: byID, Packs: packs, Now: f.Now})
	if err != nil {
		return err
	}

	var id, hostToken string
	if o.Resume != "" {
		id = o.Resume
		if hostToken, err = srv.HostToken(ctx, id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return FlagErrorf("--resume %s: no such session in %s", id, redactDB(o.serveDB()))
			}
			return fmt.Errorf("--resume %s: %w", id, err)
		}
	} else {
		qs, set, err := o.sessionQuestions(sel)
		if err != nil {
			return err
		}
		c, err := srv.Create(ctx, set, qs)
		if err != nil {
			return err
		}
		id, hostToken = c.ID, c.HostToken
	}

	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another with --addr)", o.Addr, err)
	}
	base := "http://" + publicAddr(ln.Addr())
	info := ServeInfo{Session: id, JoinURL: base + "/s/" + id, HostURL: base + "/host/" + id + "?token=" + hostToken, HostToken: hostToken}
	ios := f.IOStreams
	if o.JSON {
		b, _ := json.Marshal(info)
		fmt.Fprintf(ios.Out, "%s\n", b)
	} else {
		fmt.Fprintf(ios.Out, "Session:      %s\nParticipants: %s\nHost:         %s\n", info.Session, info.JoinURL, info.HostURL)
	}
	if closed, _ := srv.Closed(ctx, id); closed {
		fmt.Fprintf(ios.ErrOut, "Serving on %s; the session is closed: participants and the host can read their results. Ctrl-C stops.\n", ln.Addr())
	} else {
		fmt.Fprintf(ios.ErrOut, "Serving on %s; Ctrl-C stops (the session stays open: pyquiz serve --resume %s).\n", ln.Addr(), id)
	}
	if o.Ready != nil {
		o.Ready(info)
	}

	serve.TuneGC()
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	hs.RegisterOnShutdown(srv.Shutdown)
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		hs.Close()
	}
	// The context of the command has ended: ask with a fresh one.
	closed, err := srv.Closed(context.Background(), id)
	switch {
	case err != nil:
		fmt.Fprintf(ios.ErrOut, "Stopped. Every answer is saved (session %s).\n", id)
	case closed:
		fmt.Fprintf(ios.ErrOut, "Stopped. The session is closed; every answer is saved, and pyquiz serve --resume %s shows its results again.\n", id)
	default:
		fmt.Fprintf(ios.ErrOut, "Stopped. Every answer is saved; pyquiz serve --resume %s serves the session again.\n", id)
	}
	return nil
}

// sessionQuestions picks a new session's questions and settings from the
// flags, as play would.
func (o *ServeOptions) sessionQuestions(sel *PackSelection) ([]*quiz.Question, serve.Settings, error) {
	p := &o.Play
	var qs []*quiz.Question
	if len(o.Questions) > 0 {
		for _, id := range o.Questions {
			q, err := sel.Library.Question(id)
			if err != nil {
				return nil, serve.Settings{}, FlagErrorf("--question %s: %v", id, err)
			}
			qs = append(qs, q)
		}
	} else {
		var err error
		if qs, _, err = playQuestions(p); err != nil {
			return nil, serve.Settings{}, err
		}
	}
	seed := p.seed
	if !p.seedSet {
		seed = uint64(p.f.Now().UnixNano()) % 1_000_000
	}
	if len(o.Questions) == 0 {
		qs = quiz.Pick(qs, p.N, !p.NoShuffle, seed)
	}
	title := o.Title
	if title == "" {
		var names []string
		seen := map[string]bool{}
		for _, q := range qs {
			if pk := sel.Library.Pack(q.PackID); pk != nil && !seen[pk.ID] {
				seen[pk.ID] = true
				names = append(names, pk.Title)
			}
		}
		title = strings.Join(names, ", ")
		if len(names) > 3 {
			title = "pyquiz"
		}
	}
	set := serve.Settings{Title: title, Mode: p.mode, Multi: p.multi.String(), Penalty: p.Penalty, Seed: seed, SeedSet: p.seedSet,
		Shuffle: !p.NoShuffle, TimeLimit: p.TimeLimit, QuestionTime: p.QuestionTime}
	if p.python != nil {
		set.Python = p.python.String()
	}
	return qs, set, nil
}

// publicAddr is the listener's address as a browser would type it: the
// machine's name for an address that means "every interface".
func publicAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if h, err := os.Hostname(); err == nil && h != "" {
			host = h
		}
	}
	return net.JoinHostPort(host, port)
}

func redactDB(dsn string) string {
	if store.IsPostgres(dsn) {
		if i := strings.LastIndex(dsn, "@"); i >= 0 {
			return "postgres://…" + dsn[i:]
		}
	}
	return dsn
}
