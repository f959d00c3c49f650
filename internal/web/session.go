package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

const (
	sessionCookie = "collabot_board"
	langCookie    = "collabot_lang"
	// sessionHeader must accompany the exchange: a cross-site form cannot
	// set it and a cross-site script cannot without a CORS preflight the
	// board never grants, so nobody can log a browser into someone
	// else's board.
	sessionHeader = "X-Collabot-Board"
)

// Why a page was refused, as /web/refused?why= names it.
const (
	whyExpired   = "expired"
	whyInvalid   = "invalid"
	whyWorkspace = "workspace"
	whyNone      = "none"
)

// open is where a link lands: a page with no data whose script reads the
// token from the fragment, removes it from the address bar and history,
// and exchanges it for the cookie.
func (s *Server) open(w http.ResponseWriter, r *http.Request) {
	c := catalogue{s.requestLang(r, "")}
	s.render(w, r, http.StatusOK, "open", page{W: c, Title: c.T("page.open.title")})
}

// session exchanges a token (the request body) for the session cookie and
// says where to go next, as JSON: the board, or the refusal page.
func (s *Server) session(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get(sessionHeader) != "1" {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	next := Prefix
	if err != nil {
		next = refusedURL(whyInvalid, "")
	} else {
		claims, err := s.check(strings.TrimSpace(string(body)))
		if err != nil {
			next = refusedURL(reason(err), s.ownLang(r.Context(), claims))
		} else {
			http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: strings.TrimSpace(string(body)), Path: Prefix,
				// Max-Age, not Expires: the browser's clock need not agree
				// with the bot's, only the remaining time matters.
				MaxAge:   max(1, int(claims.Expires.Sub(s.o.Clock.Now()).Seconds())),
				HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
			s.log().Info("board opened", "person", claims.Person)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(map[string]string{"next": next})
}

// check verifies a token for this board's workspace.
func (s *Server) check(token string) (Claims, error) {
	claims, err := s.o.Signer.Verify(token, s.o.Clock.Now())
	if err == nil && claims.Workspace != s.o.Workspace {
		return Claims{}, ErrTokenWorkspace
	}
	return claims, err
}

func reason(err error) string {
	switch {
	case errors.Is(err, ErrTokenExpired):
		return whyExpired
	case errors.Is(err, ErrTokenWorkspace):
		return whyWorkspace
	}
	return whyInvalid
}

func refusedURL(why string, lang bot.Lang) string {
	q := url.Values{"why": {why}}
	if lang != "" {
		q.Set("lang", string(lang))
	}
	return Prefix + "refused?" + q.Encode()
}

// ownLang is the language of the person an expired token named, so the
// refusal reads in it; "" when the token said nothing trustworthy.
func (s *Server) ownLang(ctx context.Context, c Claims) bot.Lang {
	if c.Person == "" || c.Workspace != s.o.Workspace {
		return ""
	}
	var lang bot.Lang
	s.view(ctx, func(tx bot.Tx) error {
		set, err := tx.Settings(ctx, c.Person)
		if err != nil {
			return err
		}
		lang = set.Lang
		if p, ok := s.directory(ctx, tx).Person(c.Person); ok && lang == "" {
			lang = p.Lang
		}
		return nil
	})
	return lang
}

// refused tells why a link does not work and how to get a new one.
func (s *Server) refused(w http.ResponseWriter, r *http.Request) {
	why := r.URL.Query().Get("why")
	switch why {
	case whyExpired, whyInvalid, whyWorkspace, whyNone:
	default:
		why = whyInvalid
	}
	c := catalogue{s.requestLang(r, "")}
	rememberLang(w, r, s.secure)
	s.render(w, r, http.StatusUnauthorized, "message", page{W: c, Title: c.T("page.refused.title"),
		Data: message{Body: c.T("page.refused." + why), How: c.T("page.refused.how")}})
}

// viewer is the person a page is for, with what they may see by.
type viewer struct {
	Claims
	Person  bot.Person
	Name    string
	Actor   bot.Actor
	Dir     *bot.Directory
	Lang    bot.Lang
	Now     time.Time
	Expires string
}

// handler is a page for a known viewer, inside one read transaction.
type handler func(w http.ResponseWriter, r *http.Request, v *viewer, tx bot.Tx) (status int, name string, p page)

// authed checks the session cookie, resolves the person and renders what
// h builds. A missing, altered, expired or foreign token goes to the
// refusal page; the cookie is never logged.
func (s *Server) authed(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ck, err := r.Cookie(sessionCookie)
		if err != nil || ck.Value == "" {
			http.Redirect(w, r, refusedURL(whyNone, ""), http.StatusSeeOther)
			return
		}
		claims, err := s.check(ck.Value)
		if err != nil {
			http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: Prefix, MaxAge: -1, HttpOnly: true,
				Secure: s.secure, SameSite: http.SameSiteLaxMode})
			http.Redirect(w, r, refusedURL(reason(err), s.ownLang(r.Context(), claims)), http.StatusSeeOther)
			return
		}
		rememberLang(w, r, s.secure)
		var (
			status int
			name   string
			p      page
			done   bool
		)
		err = s.view(r.Context(), func(tx bot.Tx) error {
			v, err := s.viewer(r, tx, claims)
			if err != nil {
				return err
			}
			status, name, p = h(w, r, v, tx)
			p.Viewer, p.W = v, catalogue{v.Lang}
			p.Depts = s.o.Figures != nil && len(v.figureDepartments()) > 0
			p.Expires = p.W.F("page.link.expires", v.Expires)
			done = name != ""
			return nil
		})
		if err != nil {
			s.log().Error("reading the board", "path", r.URL.Path, "err", err)
			s.plain(w, r, http.StatusInternalServerError, "page.error.title", "page.error.body")
			return
		}
		if done {
			s.render(w, r, status, name, p)
		}
	}
}

// directory is the organisation with everyone registered on first
// contact, read from the store only as far as people arrived since the
// last page (see bot.Roster).
func (s *Server) directory(ctx context.Context, tx bot.Tx) *bot.Directory {
	dir, err := s.roster.Directory(ctx, s.o.Workspace, tx)
	if err != nil {
		return s.o.Directory
	}
	return dir
}

func (s *Server) viewer(r *http.Request, tx bot.Tx, c Claims) (*viewer, error) {
	ctx := r.Context()
	dir := s.directory(ctx, tx)
	set, err := tx.Settings(ctx, c.Person)
	if err != nil {
		return nil, err
	}
	p, _ := dir.Person(c.Person)
	v := &viewer{Claims: c, Person: p, Name: string(c.Person), Actor: dir.Actor(c.Person), Dir: dir,
		Now: s.o.Clock.Now().In(s.loc), Expires: c.Expires.In(s.loc).Format("2006-01-02 15:04")}
	if p.Name != "" {
		v.Name = p.Name
	}
	if len(v.Actor.Departments) == 0 && set.Department != "" {
		v.Actor.Departments = []string{set.Department}
	}
	own := set.Lang
	if own == "" {
		own = p.Lang
	}
	if own == "" {
		own = s.o.Lang
	}
	v.Lang = s.requestLang(r, own)
	return v, nil
}

// name is how a person is shown.
func (v *viewer) name(id bot.PersonID) string {
	if p, ok := v.Dir.Person(id); ok && p.Name != "" {
		return p.Name
	}
	return string(id)
}
