// Package slack is the Slack adapter. Socket Mode and the Events API over
// HTTP both turn Slack events (messages, DMs, app mentions, the /collab
// slash command, button clicks, modal submissions) into engine messages;
// replies and outbox notifications go back as Block Kit.
//
// Every event is answered within Slack's 3 seconds: the engine records
// (or recognises as a duplicate) the event in one short transaction, then
// the adapter acks, then it posts the replies. An event the engine could
// not record within the ack budget is refused (HTTP 503, or no Socket
// Mode ack) for Slack to deliver again; it is never acknowledged before
// it is recorded.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/recent"
)

// Handler answers a message: the conversation engine.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error)
}

// Options configure an Adapter. BotToken and Handler are required;
// AppToken turns Socket Mode on and SigningSecret the HTTP endpoints.
type Options struct {
	BotToken      string
	AppToken      string // xapp-…: Socket Mode
	SigningSecret string // Events API, slash command and interactivity over HTTP
	// APIURL is the Web API base ("https://slack.com/api/"); tests point it
	// at a local server. Socket Mode's apps.connections.open goes there too.
	APIURL    string
	Workspace bot.Workspace
	Handler   Handler
	// FormService describes the form a command opens and takes its
	// submission (the engine); without it no modal opens and forms are
	// chat dialogs.
	FormService FormService
	// Home describes a person's App Home page (the engine); without it
	// opening the Home tab shows what the app's settings put there.
	Home HomeService
	// Directory, when given, spares users.info calls for configured people
	// and offers its departments as choices in modals.
	Directory *bot.Directory
	Lang      bot.Lang // the workspace's language, for modals and "working…"
	Clock     bot.Clock
	Log       *slog.Logger
	// HTTPClient carries Web API calls and response_url posts.
	HTTPClient *http.Client
	// AckBudget is how long the engine has to record an event; one not
	// recorded by then (and half a second's grace for a commit in flight)
	// is refused (HTTP 503, no Socket Mode ack) for Slack to deliver
	// again, never acknowledged unrecorded. Slack allows 3 s. Default 2 s.
	AckBudget time.Duration
	// Acked, when set, is told how long each acknowledged event took from
	// receipt to ack (wall time, for the ack latency metric).
	Acked func(latency time.Duration)
	// Duplicate, when set, is told of each redelivered event the adapter
	// recognised itself, without asking the engine (for metrics).
	Duplicate func()
	// Overloaded, when set, is told of each event refused because it was
	// not recorded within the ack budget (for metrics): answered 503 over
	// HTTP, left unacknowledged over Socket Mode, for Slack to redeliver.
	Overloaded func()
	// Team is the workspace's team id (T…), when configured; auth.test
	// must then report the same. Without it the token's own team, from
	// auth.test, is the one whose events are served.
	Team string
	// Foreign, when set, is told of each event refused because it came
	// from another team or organisation (for metrics).
	Foreign func()
	// DurableReplies has the engine record the answers to messages,
	// mentions and clicks with their event, for a dispatcher draining the
	// same store to post through Send (serve sets it). Without it they are
	// posted from memory after the ack, and a crash in between loses them.
	DurableReplies bool
	// Pacer, when set, is the dispatcher's: what the adapter posts itself
	// (answers from memory, clicked messages updated) waits for the holds
	// a Retry-After put on a channel, and reports the ones it is given.
	Pacer Pacer
}

// Pacer shares Retry-After holds with the dispatcher (*dispatch.Pacer).
// where is a channel id, or "@U…" for a person's direct messages.
type Pacer interface {
	Wait(ctx context.Context, where string) error
	Hold(ctx context.Context, where string, until time.Time)
}

// webAPI is the part of slack-go's Web API client the adapter uses, so
// tests can see exactly what it calls.
type webAPI interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
	// The look-up of a row in doubt (see Resend).
	GetConversationHistoryContext(ctx context.Context, params *slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error)
	GetConversationRepliesContext(ctx context.Context, params *slack.GetConversationRepliesParameters) ([]slack.Message, bool, string, error)
}

// Adapter is the Slack adapter: both transports in, replies and
// notifications out. It is safe for concurrent use.
type Adapter struct {
	opts   Options
	log    *slog.Logger
	api    webAPI
	client *slack.Client // for Socket Mode, which needs the concrete client
	// hook posts to a response_url (slash commands, clicked messages).
	hook func(ctx context.Context, url string, msg *slack.WebhookMessage) error

	recent  *recent.Set // event ids seen lately, to skip hot duplicates
	pending sync.Map    // event ids the engine is handling now
	threads *recent.Set // channel threads the bot converses in
	names   *nameBook   // users.info names of people the directory lacks
	dms     sync.Map    // Slack user id -> DM channel id

	self      atomic.Pointer[identity] // the bot's own user, from auth.test
	connected atomic.Bool

	work     inflight // replies still being posted after an ack
	baseCtx  context.Context
	stopWork context.CancelFunc
}

type identity struct{ user, bot, team, enterprise string }

// replyTimeout bounds the engine's work on one event, which may outlast
// the ack budget (the event is then refused, and its redelivery finds it
// recorded).
const replyTimeout = 30 * time.Second

// idleConns is how many connections to Slack the adapter keeps open
// between posts: more than the dispatcher's workers and the answers
// posted from memory at once under load. Go's default transport keeps
// two per host, so every post beyond the second concurrent one opened a
// new connection — a TCP and TLS handshake with slack.com on the reply
// path — and closed it afterwards.
const idleConns = 64

// webTransport carries the Web API calls: Go's default transport with
// idleConns idle connections kept per host. A program that replaced the
// default transport (with tracing, say) gets a plain one of its own.
func webTransport() *http.Transport {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true,
			IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 10 * time.Second}
	}
	t = t.Clone()
	t.MaxIdleConns = max(t.MaxIdleConns, idleConns)
	t.MaxIdleConnsPerHost = idleConns
	return t
}

// New checks the options and builds the adapter; it does not connect.
func New(o Options) (*Adapter, error) {
	if o.BotToken == "" || o.Handler == nil {
		return nil, errors.New("slack: bot token and handler are required")
	}
	if o.APIURL == "" {
		o.APIURL = slack.APIURL
	}
	if !strings.HasSuffix(o.APIURL, "/") {
		o.APIURL += "/" // slack-go appends method names to it
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
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 15 * time.Second, Transport: webTransport()}
	}
	if o.AckBudget <= 0 {
		o.AckBudget = 2 * time.Second
	}
	log := o.Log.WithGroup("slack")
	// No OptionRetry: a retried post after a timeout can double a message;
	// rate limits are handed to the dispatcher as *bot.Throttled instead.
	client := slack.New(o.BotToken,
		slack.OptionAPIURL(o.APIURL),
		slack.OptionHTTPClient(o.HTTPClient),
		slack.OptionAppLevelToken(o.AppToken),
		slack.OptionLog(debugLog{log}),
	)
	base, stop := context.WithCancel(context.Background())
	a := &Adapter{
		opts: o, log: log, api: client, client: client,
		hook: func(ctx context.Context, url string, msg *slack.WebhookMessage) error {
			return slack.PostWebhookCustomHTTPContext(ctx, url, o.HTTPClient, msg)
		},
		recent:  recent.New(8192),
		threads: recent.New(4096),
		names:   newNameBook(4096),
		baseCtx: base, stopWork: stop,
	}
	return a, nil
}

var _ bot.Sender = (*Adapter)(nil)

// Platform is Slack.
func (a *Adapter) Platform() bot.Platform { return bot.Slack }

// Connected reports readiness: the Socket Mode connection is up, or, with
// HTTP only, the bot token has been verified.
func (a *Adapter) Connected() bool {
	if a.opts.AppToken == "" {
		return a.self.Load() != nil
	}
	return a.connected.Load()
}

// whoami returns the bot's own user, asking auth.test once.
func (a *Adapter) whoami(ctx context.Context) (*identity, error) {
	if id := a.self.Load(); id != nil {
		return id, nil
	}
	res, err := a.api.AuthTestContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("slack: auth.test: %w", err)
	}
	if a.opts.Team != "" && res.TeamID != a.opts.Team {
		// The token belongs to another workspace than the one configured:
		// serving it would answer that workspace's people with this one's data.
		return nil, fmt.Errorf("slack: auth.test: the bot token is for team %s, not the configured %s", res.TeamID, a.opts.Team)
	}
	id := &identity{user: res.UserID, bot: res.BotID, team: res.TeamID, enterprise: res.EnterpriseID}
	a.self.Store(id)
	a.log.Info("slack bot identified", "user", res.UserID, "team", res.TeamID)
	return id, nil
}

func (a *Adapter) acked(received time.Time) {
	if a.opts.Acked != nil {
		a.opts.Acked(time.Since(received))
	}
}

// later runs slow work after an ack, on a context of its own: the request
// that started it is answered and gone by then.
func (a *Adapter) later(f func(ctx context.Context)) {
	a.work.add()
	go func() {
		defer a.work.done()
		// The engine's slow work is bounded by replyTimeout (see ask);
		// waiting out Slack's rate limits is not, but shutdown ends it.
		f(a.baseCtx)
	}()
}

// Shutdown waits for replies still being posted, until ctx ends; then it
// cancels them.
func (a *Adapter) Shutdown(ctx context.Context) error {
	select {
	case <-a.work.idle():
		return nil
	case <-ctx.Done():
		a.stopWork()
		return fmt.Errorf("slack: shutdown: %w", ctx.Err())
	}
}

// inflight counts work in progress. Unlike a WaitGroup it may be waited
// for while new work still arrives (an HTTP request during shutdown).
type inflight struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed when n drops to zero
}

func (w *inflight) add() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n == 0 {
		w.zero = make(chan struct{})
	}
	w.n++
}

func (w *inflight) done() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n--; w.n == 0 {
		close(w.zero)
	}
}

// idle is closed once nothing is in progress.
func (w *inflight) idle() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n == 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	return w.zero
}

// debugLog lets slack-go's own logging through at debug level only: it may
// print request details, never worth more.
type debugLog struct{ log *slog.Logger }

func (d debugLog) Output(_ int, s string) error {
	d.log.Debug(strings.TrimSpace(s))
	return nil
}
