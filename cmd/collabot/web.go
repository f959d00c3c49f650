package main

import (
	"net"
	"net/http"

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
// machine on the HTTP port.
func webURL(c *config.Config) string {
	if c.Web.URL != "" {
		return c.Web.URL
	}
	_, port, err := net.SplitHostPort(c.HTTPAddr)
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
			Log: log, Lang: cfg.Lang(), Workspace: bot.Workspace(cfg.Workspace), Signer: signer, BaseURL: webURL(cfg)})
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
