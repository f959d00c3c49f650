// Package web is the read-only web board (issue 17): what waits for a
// person, every collaboration they may see, and one collaboration as its
// record sheet with a Gantt chart and its timeline. Pages are rendered on
// the server with html/template; styles and the one script are embedded
// files, so the Content-Security-Policy allows nothing inline and nothing
// from elsewhere.
//
// There are no accounts: chat hands a person a signed link (token.go).
// The token travels in the link's fragment, which browsers never send to
// a server, so no access log, proxy or Referer header sees it; the page
// it opens posts it once to /web/session, which answers with an HttpOnly
// cookie, and the board continues on clean URLs.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Prefix is where the board lives on the HTTP listener.
const Prefix = "/web/"

// Limits on what a request may carry: anything bigger gets a clean page.
const (
	maxQueryBytes = 2048
	maxSearchRune = 100
	maxBodyBytes  = 2048
)

// Options are what the board reads and how it signs links.
type Options struct {
	Store     bot.Store
	Directory *bot.Directory // the configured organisation
	Calendar  *calendar.Calendar
	Clock     bot.Clock
	Log       *slog.Logger
	Lang      bot.Lang // the workspace's language
	Workspace bot.Workspace
	Signer    *Signer
	// BaseURL is where people reach the board (COLLABOT_WEB_URL), e.g.
	// https://collabot.example.com; links are BaseURL + /web/open#token.
	BaseURL string
	// Figures reads what the Departments page counts; nil leaves the
	// page out.
	Figures Figures
	// AckWithin is the acknowledgement timer an answer is on time within
	// (default 1 business day).
	AckWithin calendar.Span
}

// Server serves the board.
type Server struct {
	o      Options
	loc    *time.Location
	pages  map[string]*template.Template
	secure bool // cookies only over HTTPS
	roster *bot.Roster
}

// New checks the options and parses the templates.
func New(o Options) (*Server, error) {
	if o.Store == nil || o.Directory == nil || o.Calendar == nil || o.Signer == nil {
		return nil, errors.New("web: store, directory, calendar and signer are required")
	}
	if o.Clock == nil {
		o.Clock = bot.SystemClock
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Lang == "" {
		o.Lang = bot.Chinese
	}
	if err := CheckBaseURL(o.BaseURL); err != nil {
		return nil, err
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Server{o: o, loc: o.Calendar.Location(), pages: pages, secure: strings.HasPrefix(o.BaseURL, "https:"),
		roster: bot.NewRoster(o.Directory)}, nil
}

// CheckBaseURL refuses a board address people cannot open.
func CheckBaseURL(base string) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("web: COLLABOT_WEB_URL %q is not an http(s) URL like https://collabot.example.com", base)
	}
	return nil
}

// Link is the person's board link, as chat hands it out, and when it
// stops working.
func (s *Server) Link(ws bot.Workspace, p bot.PersonID) (string, time.Time, error) {
	if ws != s.o.Workspace {
		return "", time.Time{}, fmt.Errorf("web: link for workspace %q on a board of %q", ws, s.o.Workspace)
	}
	token, exp := s.o.Signer.Sign(ws, p, s.o.Clock.Now())
	return s.o.BaseURL + Prefix + "open#" + token, exp, nil
}

var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
}

func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// Handler is the board, to mount at Prefix.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /web/{$}", s.authed(s.mine))
	mux.HandleFunc("GET /web/collabs", s.authed(s.collabs))
	mux.HandleFunc("GET /web/c/{id}", s.authed(s.collab))
	mux.HandleFunc("GET /web/c/{id}/export/{format}", s.authed(s.export))
	mux.HandleFunc("GET /web/departments", s.authed(s.departments))
	mux.HandleFunc("GET /web/open", s.open)
	mux.HandleFunc("POST /web/session", s.session)
	mux.HandleFunc("GET /web/refused", s.refused)
	mux.Handle("GET /web/assets/", assets())
	mux.HandleFunc("/web/", func(w http.ResponseWriter, r *http.Request) {
		s.plain(w, r, http.StatusNotFound, "page.notfound.title", "page.notfound.page")
	})
	return s.guard(mux)
}

// Disabled stands in for the board when COLLABOT_WEB_SECRET is not set:
// every board address says so, clearly, instead of a bare 404.
func Disabled(lang bot.Lang) http.Handler {
	t, err := parsePages()
	if err != nil {
		panic(err) // the embedded templates are part of the binary
	}
	s := &Server{o: Options{Lang: lang}, pages: t}
	return s.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, Prefix+"assets/") {
			assets().ServeHTTP(w, r)
			return
		}
		s.plain(w, r, http.StatusServiceUnavailable, "page.off.title", "page.off.body")
	}))
}

func assets() http.Handler {
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix(Prefix+"assets/", http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// csp allows the board's own files and nothing else: no inline script or
// style, no other origin, no framing, forms only to itself.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// guard sets the security headers on every answer, refuses oversized
// requests with a page, and turns a panic into a page rather than a
// dropped connection.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if !strings.HasPrefix(r.URL.Path, Prefix+"assets/") {
			// Personal data: never kept by a shared cache or the back button.
			h.Set("Cache-Control", "no-store")
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				// The path only: a query could hold anything.
				s.log().Error("board page failed", "path", r.URL.Path, "panic", v)
				s.plain(w, r, http.StatusInternalServerError, "page.error.title", "page.error.body")
			}
		}()
		if len(r.URL.RawQuery) > maxQueryBytes || len(r.URL.Path) > maxQueryBytes {
			s.plain(w, r, http.StatusRequestURITooLong, "page.toolong.title", "page.toolong.body")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) log() *slog.Logger {
	if s.o.Log == nil {
		return slog.Default()
	}
	return s.o.Log
}

// page is what every template gets.
type page struct {
	W       catalogue
	Title   string
	Nav     string // which tab is current
	Viewer  *viewer
	Depts   bool   // the viewer may see the Departments page
	Switch  string // this page in the other language
	Expires string
	Data    any
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := s.pages[name]
	if !ok {
		panic("web: no page " + name)
	}
	p.Switch = switchURL(r, p.W.lang)
	var b strings.Builder
	if err := t.Execute(&b, p); err != nil {
		s.log().Error("rendering a board page", "page", name, "err", err)
		status, p = http.StatusInternalServerError, page{W: p.W, Title: p.W.T("page.error.title"), Data: message{Body: p.W.T("page.error.body")}}
		b.Reset()
		if err := s.pages["message"].Execute(&b, p); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, b.String())
}

// message is a page of one message: refusals, not found, errors.
type message struct {
	Body string
	How  string
	Back bool
}

// plain answers with a message page in the language the request asks for.
func (s *Server) plain(w http.ResponseWriter, r *http.Request, status int, title, body string) {
	c := catalogue{s.requestLang(r, "")}
	s.render(w, r, status, "message", page{W: c, Title: c.T(title), Data: message{Body: c.T(body), Back: status == http.StatusNotFound}})
}

// switchURL is the current page in the other language.
func switchURL(r *http.Request, lang bot.Lang) string {
	q := r.URL.Query()
	other := "en"
	if lang == bot.English {
		other = "zh-CN"
	}
	q.Set("lang", other)
	return r.URL.Path + "?" + q.Encode()
}

// requestLang picks the language of a page: ?lang= (the switch), the
// cookie the switch left, the person's own, else what the browser asks
// for and the workspace's.
func (s *Server) requestLang(r *http.Request, own bot.Lang) bot.Lang {
	if l, ok := bot.ParseLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	if ck, err := r.Cookie(langCookie); err == nil {
		if l, ok := bot.ParseLang(ck.Value); ok {
			return l
		}
	}
	if own != "" {
		return own
	}
	if own == "" && r.Header.Get("Accept-Language") != "" {
		al := strings.ToLower(r.Header.Get("Accept-Language"))
		if strings.HasPrefix(al, "en") {
			return bot.English
		}
		if strings.HasPrefix(al, "zh") {
			return bot.Chinese
		}
	}
	return s.o.Lang
}

// rememberLang keeps the language the switch chose for the next pages.
func rememberLang(w http.ResponseWriter, r *http.Request, secure bool) {
	if l, ok := bot.ParseLang(r.URL.Query().Get("lang")); ok {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: Prefix, MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	}
}

func (s *Server) view(ctx context.Context, fn func(bot.Tx) error) error {
	return s.o.Store.View(ctx, s.o.Workspace, fn)
}
