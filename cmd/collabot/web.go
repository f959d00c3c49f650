package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/web"
)

// checkWeb refuses a web board that is half set up before serve starts:
// a secret too short to protect the links, or an address people cannot
// open. Without a secret the board is simply off.
func checkWeb(c *config.Config) error {
	if c.Web.Secret == "" {
		return nil
	}
	if _, err := web.NewSigner(c.Web.Secret, c.Web.LinkTTL); err != nil {
		return err
	}
	return web.CheckBaseURL(webURL(c))
}

// webURL is where people reach the board: COLLABOT_WEB_URL, else this
// machine on the board's port.
func webURL(c *config.Config) string {
	if c.Web.URL != "" {
		return c.Web.URL
	}
	addr := c.HTTPAddr
	if c.Web.Addr != "" {
		addr = c.Web.Addr
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		port = "8080"
	}
	return "http://localhost:" + port
}

// board is the web board's handler, and it lets the engine hand out its
// links. Without COLLABOT_WEB_SECRET every board address says the board is
// off and how to switch it on.
func (s *service) board() http.Handler {
	cfg, log := s.e.cfg, s.e.log.WithGroup("web")
	if cfg.Web.Secret == "" {
		log.Info("web board off: set COLLABOT_WEB_SECRET (and COLLABOT_WEB_URL) to offer it")
		return web.Disabled(cfg.Lang())
	}
	signer, err := web.NewSigner(cfg.Web.Secret, cfg.Web.LinkTTL)
	if err == nil {
		var b *web.Server
		b, err = web.New(web.Options{Store: s.store, Directory: s.eng.Directory, Calendar: s.eng.Calendar, Clock: s.clock,
			Log: log, Lang: cfg.Lang(), Workspace: bot.Workspace(cfg.Workspace), Signer: signer, BaseURL: webURL(cfg),
			Figures: s.store, AckWithin: cfg.Timers.Acknowledgement.After.Span})
		if err == nil {
			s.eng.Web = b
			if cfg.Web.URL == "" {
				log.Warn("COLLABOT_WEB_URL is not set: board links point at this machine only", "url", webURL(cfg))
			}
			return b.Handler()
		}
	}
	log.Error("web board off", "err", err)
	return web.Disabled(cfg.Lang())
}

// webListen opens the board's and the operators' own listeners; a
// variable so that tests learn the ports they got.
var webListen = func(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }

// listener is one of serve's extra listeners and when it has stopped.
type listener struct {
	name string
	srv  *http.Server
	done <-chan struct{}
}

// startListener serves, on a listener of its own, the board
// (COLLABOT_WEB_ADDR: it can face staff) or /readyz and /metrics
// (COLLABOT_ADMIN_ADDR: they stay internal).
func (s *service) startListener(name, addr, env string, fail func(string, error)) (*listener, error) {
	ln, err := webListen(addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s (%s): %w", addr, env, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz)
	switch name {
	case "web":
		mux.Handle("/web/", s.board())
		mux.Handle("/{$}", http.RedirectHandler(web.Prefix, http.StatusSeeOther))
	case "admin":
		s.admin(mux)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			fail(name, err)
		}
	}()
	s.e.log.Info("listening", "listener", name, "addr", ln.Addr().String())
	return &listener{name: name, srv: srv, done: done}, nil
}
