package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	dingtalkadapter "github.com/collabot/collabot/adapters/dingtalk"
	slackadapter "github.com/collabot/collabot/adapters/slack"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
	"github.com/collabot/collabot/internal/engine"
	"github.com/collabot/collabot/internal/metrics"
	"github.com/collabot/collabot/internal/redis"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/scheduler"
)

// adapter is what serve needs of a chat platform's adapter.
type adapter interface {
	bot.Sender
	Run(ctx context.Context) error
	Connected() bool
}

// handler answers a message; the engine, wrapped for metrics, logs and
// shared de-duplication.
type handler interface {
	Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error)
}

// service is everything serve runs, built from the configuration.
type service struct {
	e        *env
	clock    bot.Clock
	store    store.Backend
	eng      *engine.Engine
	metrics  *metrics.Metrics
	redis    *redis.Client // nil without COLLABOT_REDIS_URL
	slack    *slackadapter.Adapter
	adapters []adapter
	dispatch *dispatch.Dispatcher
	runner   *scheduler.Runner
	leases   []*redis.Lease
	pacer    *dispatch.Pacer
}

// How the replicas share the work. Variables only so that tests can run
// a takeover in a second rather than a minute.
var (
	// leaseTTL outlasts the minute between scans, so the holder keeps
	// the lease from one scan to the next instead of the replicas racing
	// for it each minute; another replica takes over within it after the
	// holder dies. It is renewed every third of it while work runs.
	leaseTTL = 90 * time.Second
	// scanSpec is how often the scheduler asks what is due.
	scanSpec = scheduler.DefaultScan
	// redisPrefix starts every Redis key, per workspace, so that several
	// workspaces or deployments can share one Redis.
	redisPrefix = func(ws string) string { return redis.DefaultPrefix + ws + ":" }
)

// drainInterval is how often the dispatcher looks at the outbox when
// nothing kicked it (rows deferred by rate limits or retries).
const drainInterval = 2 * time.Second

var errNoPlatform = errors.New("no chat platform is configured (set COLLABOT_SLACK_BOT_TOKEN with COLLABOT_SLACK_APP_TOKEN " +
	"or COLLABOT_SLACK_SIGNING_SECRET, or COLLABOT_DINGTALK_CLIENT_ID with COLLABOT_DINGTALK_CLIENT_SECRET). " +
	"To try collabot without any account, run `collabot chat`; `collabot tick` runs the scheduler once")

// newService opens the store and builds the engine, the adapters of the
// configured platforms, the dispatcher and the scheduler's runner.
func newService(ctx context.Context, e *env, clock bot.Clock) (_ *service, err error) {
	s := &service{e: e, clock: clock, metrics: metrics.New()}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	if s.store, s.eng, err = openEngine(ctx, e, clock); err != nil {
		return nil, err
	}
	s.eng.Observer = engineObserver{s.metrics}
	s.metrics.WatchOutbox(func(ctx context.Context) (int, time.Duration, error) {
		return s.store.OutboxDepth(ctx, s.clock.Now())
	})
	// Every event an adapter passes on counts as received, outermost; a
	// duplicate is then recognised by Redis (shared by the replicas) or
	// by the store, and counted as such too.
	var h handler = loggedHandler{s.eng, e.log.WithGroup("inbound")}
	var limiter dispatch.Limiter
	if e.cfg.RedisURL != "" {
		prefix := redisPrefix(e.cfg.Workspace)
		if p := e.getenv("COLLABOT_REDIS_PREFIX"); p != "" {
			prefix = p // deployments (and test runs) sharing one Redis keep apart
		}
		if s.redis, err = redis.Open(ctx, e.cfg.RedisURL, prefix, e.log.WithGroup("redis")); err != nil {
			return nil, err
		}
		h = s.redis.Dedupe(h, redis.DedupeOptions{Duplicate: func(m bot.Message) { s.metrics.Event(m.Platform, metrics.Duplicate) }})
		limiter = s.redis.Limiter()
	}
	if limiter == nil {
		limiter = dispatch.NewMemory()
	}
	// What the Slack adapter posts itself shares the dispatcher's holds.
	s.pacer = dispatch.NewPacer(limiter, bot.Slack, clock)
	h = s.metrics.Handle(h)
	if err := s.openAdapters(h); err != nil {
		return nil, err
	}
	senders := make([]bot.Sender, len(s.adapters))
	for i, a := range s.adapters {
		senders[i] = a
	}
	opts := dispatch.Options{Outbox: s.store, Render: s.eng.Notification, Senders: s.metrics.Senders(senders...),
		Limiter: limiter, Clock: clock, Log: e.log.WithGroup("dispatch"), Workers: 4,
		// Within the shutdown budget, so a send in flight at SIGTERM ends
		// with a known outcome.
		SendTimeout: 10 * time.Second}
	// DingTalk's limits as configured (dingtalk.app_per_second,
	// dingtalk.group_per_minute); the other platforms' are the defaults.
	opts.Limits = dispatch.DefaultLimits()
	opts.Limits[bot.DingTalk] = dispatch.DingTalkLimit(e.cfg.DingTalk.AppPerSecond(), e.cfg.DingTalk.GroupPerMinute())
	if v := e.getenv("COLLABOT_OUTBOX_HOLD"); v != "" {
		// How long a claimed row stays hidden from other replicas: after a
		// kill -9, the rows it had claimed come back after this. The
		// default (2 minutes) suits slow platforms; the chaos suite
		// shortens it to see many restarts in a minute.
		hold, err := time.ParseDuration(v)
		if err != nil || hold < 2*time.Second {
			return nil, fmt.Errorf("COLLABOT_OUTBOX_HOLD=%q: want a duration of at least 2s", v)
		}
		opts.Hold, opts.SendTimeout = hold, min(opts.SendTimeout, hold/2)
	}
	s.runner = &scheduler.Runner{Scheduler: newScheduler(e, s.store, s.eng), Scan: scanSpec, Clock: clock, Log: e.log.WithGroup("scheduler"),
		OnTick: func(rep scheduler.Report) {
			for _, f := range rep.Firings {
				if f.New {
					s.metrics.Reminder(f.Timer, string(f.Outcome))
				}
			}
			s.dispatch.Kick()
		}}
	if s.redis != nil {
		ttl := leaseTTL
		if v := e.getenv("COLLABOT_LEASE_TTL"); v != "" {
			// How long a dead replica's leases hold the others off the
			// outbox's periodic drains and the scheduler's scans. The
			// default outlasts the minute between scans; the chaos suite
			// shortens it to see a takeover after kill -9 in seconds.
			d, err := time.ParseDuration(v)
			if err != nil || d < 3*time.Second {
				return nil, fmt.Errorf("COLLABOT_LEASE_TTL=%q: want a duration of at least 3s", v)
			}
			ttl = d
		}
		holder := holderID()
		opts.Lease = s.lease("dispatch", holder, ttl)
		s.runner.Lease = s.lease("scheduler", holder, ttl)
	}
	if s.dispatch, err = dispatch.New(opts); err != nil {
		return nil, err
	}
	return s, nil
}

// openAdapters builds the adapter of each configured platform.
func (s *service) openAdapters(h handler) error {
	cfg, e := s.e.cfg, s.e
	ws := bot.Workspace(cfg.Workspace)
	if cfg.Slack.BotToken != "" {
		a, err := slackadapter.New(slackadapter.Options{
			BotToken: cfg.Slack.BotToken, AppToken: cfg.Slack.AppToken, SigningSecret: cfg.Slack.SigningSecret,
			APIURL: cfg.Slack.APIURL, Workspace: ws, Handler: kicking{h, s}, FormService: kickingForms{s.eng, s}, Home: s.eng, Directory: s.eng.Directory,
			Lang: cfg.Lang(), Clock: s.clock, Log: e.log,
			Acked: func(d time.Duration) { s.metrics.Acked(bot.Slack, d) }, Duplicate: s.duplicate(bot.Slack),
			Team: cfg.Slack.TeamID, Foreign: s.foreign(bot.Slack), Overloaded: s.metrics.Refused(bot.Slack),
			DurableReplies: true, Pacer: s.pacer,
		})
		if err != nil {
			return err
		}
		s.slack = a
		s.adapters = append(s.adapters, a)
	}
	if cfg.DingTalk.ClientID != "" {
		a, err := dingtalkadapter.New(dingtalkadapter.Options{
			ClientID: cfg.DingTalk.ClientID, ClientSecret: cfg.DingTalk.ClientSecret, RobotCode: cfg.DingTalk.RobotCode,
			APIURL: cfg.DingTalk.APIURL, Workspace: ws, Handler: kicking{h, s}, Lang: cfg.Lang(), Clock: s.clock, Log: e.log,
			Acked: func(d time.Duration) { s.metrics.Acked(bot.DingTalk, d) }, Duplicate: s.duplicate(bot.DingTalk),
			Corp: cfg.DingTalk.CorpID, Foreign: s.foreign(bot.DingTalk), Overloaded: s.metrics.Refused(bot.DingTalk),
			Cards: cfg.DingTalk.Cards.Templates(), Forms: kickingForms{s.eng, s}, Directory: s.eng.Directory, Ledger: s.eng,
		})
		if err != nil {
			return err
		}
		s.adapters = append(s.adapters, a)
	}
	if len(s.adapters) == 0 {
		return errNoPlatform
	}
	return nil
}

// duplicate counts a redelivery an adapter recognised by itself: it
// never reached the handler, so it is counted as received here too.
func (s *service) duplicate(p bot.Platform) func() {
	return func() {
		s.metrics.Event(p, metrics.Received)
		s.metrics.Event(p, metrics.Duplicate)
	}
}

// foreign counts an event an adapter refused as another workspace's.
func (s *service) foreign(p bot.Platform) func() {
	return func() { s.metrics.Event(p, metrics.Foreign) }
}

// lease is a Redis lease whose holding shows in the metrics.
func (s *service) lease(name, holder string, ttl time.Duration) dispatch.Lease {
	l := s.redis.Lease(name, holder, ttl)
	s.leases = append(s.leases, l)
	return observedLease{l: l, name: name, holder: holder, m: s.metrics, healthy: s.redis.Healthy}
}

func (s *service) close() {
	if s.redis != nil {
		s.redis.Close()
	}
	if s.store != nil {
		s.store.Close()
	}
}

// holderID names this replica in leases: host, process and a random part,
// so a restarted process on the same host is a new holder.
func holderID() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// kicking wakes the dispatcher after a message, so what the message
// queued (a contact's DM, an escalation) goes out at once rather than on
// the next round.
type kicking struct {
	h handler
	s *service
}

func (k kicking) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	replies, err := k.h.Handle(ctx, m)
	if k.s.dispatch != nil {
		k.s.dispatch.Kick()
	}
	return replies, err
}

// kickingForms wakes the dispatcher after a form's submission, as
// kicking does after a message.
type kickingForms struct {
	e *engine.Engine
	s *service
}

func (k kickingForms) FormFor(ctx context.Context, m bot.Message) (*bot.Form, error) {
	return k.e.FormFor(ctx, m)
}

func (k kickingForms) Submit(ctx context.Context, m bot.Message, sub bot.Submission) (bot.FormResult, error) {
	res, err := k.e.Submit(ctx, m, sub)
	if k.s.dispatch != nil {
		k.s.dispatch.Kick()
	}
	return res, err
}

// loggedHandler writes the one line per inbound event operators read:
// where it came from and how long it took, never what it said.
type loggedHandler struct {
	h   handler
	log *slog.Logger
}

func (l loggedHandler) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	start := time.Now()
	replies, err := l.h.Handle(ctx, m)
	level := slog.LevelInfo
	if err != nil {
		level = slog.LevelWarn
	}
	if l.log.Enabled(ctx, level) {
		attrs := []slog.Attr{slog.String("workspace", string(m.Workspace)), slog.String("platform", string(m.Platform)),
			slog.String("event", m.EventID), slog.String("channel", m.Channel), slog.Int("replies", len(replies)),
			slog.Duration("latency", time.Since(start))}
		if id := mentionedCollab(m.Text); id != 0 {
			attrs = append(attrs, slog.String("collab", id.String()))
		}
		if err != nil {
			attrs = append(attrs, slog.Any("err", err))
		}
		l.log.LogAttrs(ctx, level, "event", attrs...)
	}
	if l.log.Enabled(ctx, slog.LevelDebug) {
		l.log.Debug("event text", "event", m.EventID, "text", bot.Truncate(m.Text, 200))
	}
	return replies, err
}

// mentionedCollab is the collaboration a command names in its first
// words ("ack COL-3 accept"), or 0.
func mentionedCollab(text string) bot.CollabID {
	for i, w := range strings.Fields(text) {
		if i == 6 {
			break
		}
		if id, err := bot.ParseCollabID(w); err == nil {
			return id
		}
	}
	return 0
}

// engineObserver counts what the engine reports.
type engineObserver struct{ m *metrics.Metrics }

func (o engineObserver) Duplicate(p bot.Platform) { o.m.Event(p, metrics.Duplicate) }
func (o engineObserver) DialogStep(form string)   { o.m.DialogStep(form) }

// observedLease reports whether this replica holds a lease after each use.
type observedLease struct {
	l       *redis.Lease
	name    string
	holder  string
	m       *metrics.Metrics
	healthy func() bool
}

func (o observedLease) Do(ctx context.Context, fn func(context.Context) error) (bool, error) {
	ran, err := o.l.Do(ctx, fn)
	holder := ""
	switch {
	case !o.healthy():
		// Do ran fn without a lease (Redis is down): nobody holds it.
		o.m.Lease(o.name, "", false)
		return ran, err
	case ran:
		holder = o.holder
	default:
		if h, herr := o.l.Holder(ctx); herr == nil {
			holder = h
		}
	}
	o.m.Lease(o.name, holder, ran)
	return ran, err
}
