// Package dingtalk connects collabot to DingTalk (钉钉): it receives group
// @-mentions, 1:1 messages and card clicks over Stream mode (a websocket
// the bot opens, so no public URL is needed) and answers through the
// callback's session webhook or the robot OpenAPI.
//
// The Stream SDK (github.com/open-dingtalk/dingtalk-stream-sdk-go, pinned
// at v0.9.2-beta.1; see issue 6 for why not v0.9.1) handles the websocket
// and its reconnection. Everything that posts a message is ours: the
// SDK's ChatbotReplier ignores an errcode inside an HTTP 200 and puts
// the response body in its errors.
package dingtalk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/client"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/utils"

	"github.com/collabot/collabot/bot"
)

// DefaultAPIURL is DingTalk's OpenAPI host; the Stream gateway's
// connection endpoint lives there too.
const DefaultAPIURL = "https://api.dingtalk.com"

// Handler answers one message: the conversation engine.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error)
}

// Options configure an Adapter. ClientID, ClientSecret and Handler are
// required.
type Options struct {
	ClientID     string // the app's AppKey (COLLABOT_DINGTALK_CLIENT_ID)
	ClientSecret string // its AppSecret (COLLABOT_DINGTALK_CLIENT_SECRET)
	// RobotCode addresses the robot in the OpenAPI; for an internal app's
	// robot it is usually the AppKey, which is the default.
	RobotCode string
	APIURL    string // default DefaultAPIURL; tests point it at a local gateway
	Workspace bot.Workspace
	Handler   Handler
	Lang      bot.Lang // for the few words the adapter itself writes
	Clock     bot.Clock
	Log       *slog.Logger
	// HTTPClient makes the OpenAPI and session-webhook calls (default:
	// 10 s timeout). The SDK opens the stream with its own client.
	HTTPClient *http.Client
	// MaxInFlight bounds callbacks handled at once (default 256); the SDK
	// leaves frames beyond it unacknowledged, for DingTalk to redeliver.
	// Waiting callbacks cost a goroutine each and queue on the store, so
	// the bound is generous: a burst of 200 is taken in one go (2 s under
	// -race here) where the SDK's own 100 needed a redelivery round.
	MaxInFlight int
	// Acked, when set, is told how long each acknowledged callback took
	// from receipt to acknowledgement (for the ack latency metric).
	Acked func(latency time.Duration)
	// Duplicate, when set, is told of each redelivered frame the adapter
	// recognised itself, without asking the engine (for metrics).
	Duplicate func()
	// Corp is the organisation's corpId: frames whose senderCorpId or
	// chatbotCorpId (a card's corpId) is another are refused. Empty takes
	// the first frame's, for the life of the process.
	Corp string
	// Foreign, when set, is told of each frame refused as another
	// organisation's (for metrics).
	Foreign func()
	// Overloaded, when set, is told of each frame left unacknowledged
	// because the store could not record it in time (bot.ErrOverloaded),
	// for DingTalk to redeliver (for metrics).
	Overloaded func()
	// Cards are interactive card template ids by card kind ("ack",
	// "task", … see cards.go); a notice whose kind has none is sent as an
	// ActionCard or markdown. Forms, when set, is how a card's click is
	// submitted (else the Handler's, if it has them); Directory names who
	// clicked.
	Cards     map[string]string
	Forms     FormService
	Directory *bot.Directory
	// Ledger notes decided cards across restarts (else the Handler's, if
	// it keeps one; without either, only this process remembers).
	Ledger CardLedger
}

// Adapter is the DingTalk side of collabot: Run receives, Send and
// SendBatch deliver the outbox.
type Adapter struct {
	opt   Options
	log   *slog.Logger
	clock bot.Clock
	api   robot
	seen  *recent
	out   *poster
	corps corpGuard
	book  cardBook // cards decided (cards.go)

	// life is held for reading by every callback being handled and for
	// writing by shutdown, which then refuses late ones (closed).
	life   sync.RWMutex
	closed bool

	mu      sync.Mutex
	started bool
	conn    <-chan struct{} // Done of the connection frames last came on
	work    context.Context // Run's context for callbacks and replies
}

var _ bot.Sender = (*Adapter)(nil)

// New checks the options and builds the adapter; nothing is contacted
// until Run or Send.
func New(o Options) (*Adapter, error) {
	if o.ClientID == "" || o.ClientSecret == "" {
		return nil, errors.New("dingtalk: client id and client secret are required")
	}
	if o.Handler == nil {
		return nil, errors.New("dingtalk: a handler is required")
	}
	if o.RobotCode == "" {
		o.RobotCode = o.ClientID
	}
	if o.APIURL == "" {
		o.APIURL = DefaultAPIURL
	}
	o.APIURL = strings.TrimRight(o.APIURL, "/")
	if o.Lang == "" {
		o.Lang = bot.Chinese
	}
	if o.Clock == nil {
		o.Clock = bot.SystemClock
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = 256
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	log := o.Log.WithGroup("dingtalk")
	installSDKLogger(log, o.ClientSecret)
	a := &Adapter{opt: o, log: log, clock: o.Clock, seen: newRecent(4096), corps: corpGuard{corp: o.Corp}}
	a.api = &openAPI{base: o.APIURL, robotCode: o.RobotCode, appKey: o.ClientID, appSecret: o.ClientSecret,
		http: o.HTTPClient, clock: o.Clock, log: log}
	a.out = newPoster(16)
	return a, nil
}

// Platform implements bot.Sender.
func (a *Adapter) Platform() bot.Platform { return bot.DingTalk }

// Run connects in Stream mode and handles callbacks until ctx is done,
// then waits for the callbacks and replies in flight. Refused
// credentials end it at once with an error naming the variables to fix;
// an unreachable gateway is retried. Once connected, the SDK reconnects
// by itself after a dropped connection; dialogs live in the store, so a
// conversation continues where it was.
func (a *Adapter) Run(ctx context.Context) error {
	cli := client.NewStreamClient(
		client.WithAppCredential(client.NewAppCredentialConfig(a.opt.ClientID, a.opt.ClientSecret)),
		client.WithOpenApiHost(a.opt.APIURL),
		client.WithMaxPendingHandlers(a.opt.MaxInFlight),
	)
	// Callbacks and replies run on a context that outlives ctx: a
	// callback that has started commits and answers even during shutdown.
	work, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	a.mu.Lock()
	a.work, a.conn = work, nil
	a.mu.Unlock()
	a.life.Lock()
	a.closed = false
	a.life.Unlock()
	cli.RegisterCallbackRouter(payload.BotMessageCallbackTopic, a.frame(work, a.onChatbot))
	cli.RegisterCallbackRouter(payload.CardInstanceCallbackTopic, a.frame(work, a.onCard))
	// ping and disconnect are the SDK's own system handlers, wrapped only
	// to learn which connection is current (see Connected).
	cli.RegisterRouter(utils.SubscriptionTypeKSystem, "ping", a.observe(cli.OnPing))
	cli.RegisterRouter(utils.SubscriptionTypeKSystem, "disconnect", a.observe(cli.OnDisconnect))

	if err := a.connect(ctx, cli); err != nil {
		cli.Close()
		return err
	}
	a.log.Info("stream connected", "client_id", a.opt.ClientID)
	<-ctx.Done()
	a.mu.Lock()
	a.started = false
	a.mu.Unlock()
	cli.Close()
	// Callbacks still running finish their transaction and queue their
	// replies; then the replies are posted, for a while.
	a.life.Lock()
	a.closed = true
	a.life.Unlock()
	posted := make(chan struct{})
	go func() { a.out.wait(); close(posted) }()
	grace := time.NewTimer(shutdownGrace)
	defer grace.Stop()
	select {
	case <-posted:
	case <-grace.C:
		a.log.Warn("replies still posting at shutdown abandoned", "after", shutdownGrace)
		stop()
		<-posted
	}
	a.log.Info("stream closed")
	return nil
}

// shutdownGrace is how long Run waits, once asked to stop, for replies
// still being posted.
const shutdownGrace = 15 * time.Second

// connect starts the stream, retrying while the gateway is unreachable.
func (a *Adapter) connect(ctx context.Context, cli *client.StreamClient) error {
	backoff := time.Second
	for {
		err := a.start(ctx, cli)
		if err == nil {
			return nil
		}
		var refused *refusedError
		if errors.As(err, &refused) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		a.log.Warn("stream not connected, retrying", "in", backoff, "err", err)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		backoff = min(backoff*2, time.Minute)
	}
}

// refusedError is DingTalk saying no to the credentials: retrying cannot
// help, so Run returns it instead of looping.
type refusedError struct{ err error }

func (e *refusedError) Error() string {
	return "dingtalk: DingTalk refused the app credentials (check COLLABOT_DINGTALK_CLIENT_ID and COLLABOT_DINGTALK_CLIENT_SECRET): " + e.err.Error()
}
func (e *refusedError) Unwrap() error { return e.err }

func (a *Adapter) start(ctx context.Context, cli *client.StreamClient) error {
	// An access token first: its endpoint answers a bad secret with a
	// status and a code, where the SDK would only pass on a body.
	if _, err := a.api.token(ctx); err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.Status >= 400 && apiErr.Status < 500 && apiErr.Status != http.StatusTooManyRequests {
			return &refusedError{apiErr}
		}
		return fmt.Errorf("dingtalk: %w", err)
	}
	if err := cli.Start(ctx); err != nil {
		// The SDK turns a refusal into an error holding the JSON body.
		if e := parseAPIError(0, []byte(err.Error())); e != nil && e.Code != "" {
			return &refusedError{e}
		}
		return fmt.Errorf("dingtalk: open stream: %w", err)
	}
	a.mu.Lock()
	a.started = true
	a.mu.Unlock()
	return nil
}

func (a *Adapter) workCtx() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.work
}

// Connected reports whether the stream is up, for readiness. The SDK does
// not say, so the adapter watches the connection its frames arrive on:
// after a drop it is false until the SDK has reconnected and a frame (the
// gateway's ping, a callback) arrives on the new connection.
func (a *Adapter) Connected() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.started {
		return false
	}
	if a.conn == nil {
		return true
	}
	select {
	case <-a.conn:
		return false
	default:
		return true
	}
}

// seenOn notes the connection a frame came on: the SDK hands handlers a
// context that ends with that connection. A new connection is logged, and
// watched so that its end is logged too.
func (a *Adapter) seenOn(ctx context.Context) {
	done := ctx.Done()
	if done == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.conn == done {
		return
	}
	if a.conn != nil {
		a.log.Info("stream reconnected")
	}
	a.conn = done
	go func() {
		<-done
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.started && a.conn == done {
			a.log.Warn("stream connection lost; the SDK reconnects")
		}
	}()
}
