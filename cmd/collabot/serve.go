package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
)

// Shutdown budgets: SIGTERM to exit stays inside the 30 s a container
// runtime waits before SIGKILL, whatever each part would like.
const (
	shutdownBudget = 25 * time.Second
	httpShutdown   = 10 * time.Second
	flushTimeout   = 10 * time.Second
	readyTimeout   = 2 * time.Second
	// readyWait is how long serve waits for the adapters to connect
	// before it answers HTTP anyway.
	readyWait = 10 * time.Second
)

// serve is the long-running service: the configured chat adapters, the
// scheduler, the dispatcher and the HTTP listener (health, readiness,
// metrics, Slack's Events API), until SIGINT or SIGTERM.
func serve(ctx context.Context, e *env, args []string) error {
	if _, err := e.flags("serve", args, nil); err != nil {
		return err
	}
	if err := checkPlatforms(e.cfg); err != nil {
		return err
	}
	if err := checkOrganisation(e.cfg, e.getenv); err != nil {
		return err
	}
	if err := checkWeb(e.cfg); err != nil {
		return err
	}
	s, err := newService(ctx, e, bot.SystemClock)
	if err != nil {
		return err
	}
	defer s.close()
	ln, err := net.Listen("tcp", e.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listening on %s (COLLABOT_HTTP_ADDR): %w", e.cfg.HTTPAddr, err)
	}
	return s.run(ctx, ln)
}

// run serves until ctx is done or a part fails, then shuts down in the
// order that loses nothing: stop taking events and finish those in
// flight while the dispatcher still delivers what they cause; stop the
// scheduler; deliver what the outbox can in what is left of the budget
// (the rest waits in the store for the next start); release the leases.
func (s *service) run(ctx context.Context, ln net.Listener) error {
	log := s.e.log
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		stopping bool
	)
	// fail records what stopped the service; once shutdown began, a part
	// that ends badly (an adapter out of grace) is only worth a warning.
	fail := func(part string, err error) {
		if err == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if stopping {
			log.Warn("stopping: "+part, "err", err)
			return
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", part, err)
		}
		cancel() // one part down takes the service down, to be restarted whole
	}
	start := func(part string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail(part, f(runCtx))
		}()
	}

	// The dispatcher outlives the adapters, to deliver what the events in
	// flight at shutdown cause.
	dispatchCtx, stopDispatch := context.WithCancel(context.WithoutCancel(ctx))
	defer stopDispatch()
	dispatchDone := make(chan struct{})
	go func() {
		defer close(dispatchDone)
		fail("dispatcher", s.dispatch.Run(dispatchCtx, drainInterval))
	}()
	for _, a := range s.adapters {
		start(string(a.Platform()), a.Run)
	}
	start("scheduler", s.runner.Run)
	start("prune", s.prune)
	start("directory", s.syncDirectoryDaily) // directory_serve.go; off unless directory.sync is daily
	// HTTP is served once the adapters are connected, so that /readyz
	// says 200 from its first answer rather than 503 while auth.test or
	// the Socket Mode handshake is under way; what arrives meanwhile
	// waits in the listen backlog. A platform that does not answer
	// delays it by readyWait at most, then /readyz says why.
	s.awaitConnected(runCtx, readyWait)

	srv := &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute}
	var extra []*listener // the board's and the operators' own listeners, when configured
	for _, l := range []struct{ name, addr, env string }{
		{"web", s.e.cfg.Web.Addr, "COLLABOT_WEB_ADDR"}, {"admin", s.e.cfg.AdminAddr, "COLLABOT_ADMIN_ADDR"},
	} {
		if l.addr == "" {
			continue
		}
		ln, err := s.startListener(l.name, l.addr, l.env, fail)
		if err != nil {
			for _, started := range extra {
				started.srv.Close()
			}
			fail(l.name, err)
			break
		}
		extra = append(extra, ln)
	}
	httpDone := make(chan struct{})
	go func() {
		defer close(httpDone)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			fail("http", err)
		}
	}()
	log.Info("collabot serving", "addr", ln.Addr().String(), "platforms", s.platforms(), "redis", s.redis != nil,
		"workspace", s.e.cfg.Workspace)
	if years := s.eng.Calendar.Uncovered(s.clock.Now(), calendarHorizon); len(years) > 0 {
		log.Warn("the holiday calendar does not cover the coming days: public holidays there count as working days; add a calendar file",
			"years", years, "days", calendarHorizon)
	}

	<-runCtx.Done()
	mu.Lock()
	stopping = true
	mu.Unlock()
	log.Info("shutting down: no new events; finishing those in flight")
	budget, done := context.WithTimeout(context.WithoutCancel(ctx), shutdownBudget)
	defer done()
	httpCtx, httpStop := context.WithTimeout(budget, httpShutdown)
	if err := srv.Shutdown(httpCtx); err != nil {
		log.Warn("http requests still running at shutdown", "err", err)
	}
	for _, l := range extra {
		if err := l.srv.Shutdown(httpCtx); err != nil {
			log.Warn("requests still running at shutdown", "listener", l.name, "err", err)
		}
		<-l.done
	}
	httpStop()
	<-httpDone
	if !waitFor(budget, wg.Wait) {
		log.Warn("adapters or scheduler still busy at the end of the shutdown budget")
	}
	if s.slack != nil {
		if err := s.slack.Shutdown(budget); err != nil {
			log.Warn("slack replies still posting at shutdown", "err", err)
		}
	}
	stopDispatch()
	waitFor(budget, func() { <-dispatchDone })
	flush := flushTimeout
	if dl, ok := budget.Deadline(); ok {
		flush = min(flush, time.Until(dl))
	}
	if n, err := s.dispatch.Flush(ctx, flush); err != nil {
		log.Warn("outbox not fully delivered at shutdown; the rest goes after the next start", "sent", n, "err", err)
	} else {
		log.Info("outbox flushed", "sent", n)
	}
	for _, l := range s.leases {
		rel, done := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		if err := l.Release(rel); err != nil {
			log.Warn("lease not released; it expires by itself", "err", err)
		}
		done()
	}
	mu.Lock()
	defer mu.Unlock()
	if firstErr != nil {
		return firstErr
	}
	log.Info("collabot stopped")
	return nil
}

// awaitConnected returns once every adapter is connected, ctx is done
// or wait has passed. Adapters say whether they are connected, not when
// they become so: it asks every 10 ms.
func (s *service) awaitConnected(ctx context.Context, wait time.Duration) {
	deadline := time.Now().Add(wait)
	for {
		connected := true
		for _, a := range s.adapters {
			connected = connected && a.Connected()
		}
		if connected || time.Now().After(deadline) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// waitFor runs wait and reports whether it returned before ctx ended.
func waitFor(ctx context.Context, wait func()) bool {
	done := make(chan struct{})
	go func() { wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// checkPlatforms catches half-configured platforms before anything
// starts: a bot that can send but never hears anyone, or none at all.
// Only serve needs them; chat, tick and export work without.
func checkPlatforms(c *config.Config) error {
	sl, dt := c.Slack, c.DingTalk
	if sl.BotToken == "" && sl.AppToken == "" && sl.SigningSecret == "" && dt.ClientID == "" && dt.ClientSecret == "" {
		return errNoPlatform
	}
	var errs []error
	switch {
	case sl.BotToken != "" && sl.AppToken == "" && sl.SigningSecret == "":
		errs = append(errs, errors.New("slack needs a way to receive events: set COLLABOT_SLACK_APP_TOKEN (xapp-…, Socket Mode) "+
			"or COLLABOT_SLACK_SIGNING_SECRET (Events API over HTTP)"))
	case sl.BotToken == "" && (sl.AppToken != "" || sl.SigningSecret != ""):
		errs = append(errs, errors.New("slack needs the bot token (xoxb-…) too: set COLLABOT_SLACK_BOT_TOKEN"))
	}
	if sl.AppToken != "" && !strings.HasPrefix(sl.AppToken, "xapp-") {
		errs = append(errs, errors.New("COLLABOT_SLACK_APP_TOKEN is not an app-level token: those start with xapp- (Basic Information → App-Level Tokens)"))
	}
	if (dt.ClientID == "") != (dt.ClientSecret == "") {
		errs = append(errs, errors.New("dingtalk needs both COLLABOT_DINGTALK_CLIENT_ID and COLLABOT_DINGTALK_CLIENT_SECRET"))
	}
	return errors.Join(errs...)
}

// checkOrganisation refuses to answer a real workspace with the demo
// organisation's invented people: that happens when the organisation file
// was not found (a missed mount, a wrong COLLABOT_CONFIG) and would file
// real requests to alice and bob. A local test platform is fine, and so is
// a demo on purpose.
func checkOrganisation(c *config.Config, getenv func(string) string) error {
	if !c.Demo() || truthy(getenv("COLLABOT_DEMO")) {
		return nil
	}
	var real []string
	if c.Slack.BotToken != "" && c.Slack.APIURL == config.DefaultSlackAPI {
		real = append(real, "Slack")
	}
	if c.DingTalk.ClientID != "" && c.DingTalk.APIURL == config.DefaultDingTalkAPI {
		real = append(real, "DingTalk")
	}
	if len(real) == 0 {
		return nil
	}
	return fmt.Errorf("%s credentials are set but no organisation file was found (--config, COLLABOT_CONFIG or %s): "+
		"the built-in demo organisation would answer real people as its invented ones. Point COLLABOT_CONFIG at your organisation file "+
		"(configs/collabot.example.yaml shows one), or set COLLABOT_DEMO=1 to run the demo on this workspace on purpose",
		strings.Join(real, " and "), config.DefaultConfigPath)
}

func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func (s *service) platforms() []string {
	var ps []string
	for _, a := range s.adapters {
		ps = append(ps, string(a.Platform()))
	}
	return ps
}

// routes are serve's HTTP endpoints.
func (s *service) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz)
	if s.e.cfg.AdminAddr == "" {
		s.admin(mux) // else on its own listener
	}
	if s.e.cfg.Web.Addr == "" {
		mux.Handle("/web/", s.board()) // else on its own listener (startWeb)
	}
	if s.slack != nil && s.e.cfg.Slack.SigningSecret != "" {
		s.slack.Mount(mux)
	}
	return mux
}

// healthz says the process is alive, on every listener.
func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// admin mounts what operators read: readiness and metrics.
func (s *service) admin(mux *http.ServeMux) {
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", s.metrics.Handler())
}

// calendarHorizon is how far ahead the holiday calendar must reach before
// serve and /readyz say it does not.
const calendarHorizon = 60

// ready answers 200 when the store answers with every migration applied
// and every adapter is connected, else 503; the body lists each check.
// Redis is reported but does not decide: without it the service still
// works, on the store's guarantees.
func (s *service) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	var lines []string
	ok := true
	check := func(name string, err error) {
		if err != nil {
			ok = false
			lines = append(lines, name+": "+err.Error())
			return
		}
		lines = append(lines, name+": ok")
	}
	check("store", s.store.Ping(ctx))
	pending, err := s.store.PendingMigrations(ctx)
	if err == nil && pending > 0 {
		err = fmt.Errorf("%d migrations not applied; run `collabot migrate`", pending)
	}
	check("migrations", err)
	for _, a := range s.adapters {
		var err error
		if !a.Connected() {
			err = errors.New("not connected")
		}
		check(string(a.Platform()), err)
	}
	calendar := "ok"
	if years := s.eng.Calendar.Uncovered(s.clock.Now(), calendarHorizon); len(years) > 0 {
		// Reported, not failing: the service runs, with weekends only.
		calendar = fmt.Sprintf("no public holidays for %v within %d days; add a calendar file (configs/calendars)", years, calendarHorizon)
	}
	lines = append(lines, "calendar: "+calendar)
	if s.redis != nil {
		state := "ok"
		if !s.redis.Healthy() {
			state = "unreachable (running on the store's guarantees)"
		}
		lines = append(lines, "redis: "+state)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	fmt.Fprintln(w, strings.Join(lines, "\n"))
}
