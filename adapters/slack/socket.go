package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// shutdownGrace is how long Run waits, once ctx is done, for replies still
// being posted.
const shutdownGrace = 10 * time.Second

// Run verifies the bot token, then, with an app token, receives events
// over Socket Mode until ctx is done; slack-go reconnects when Slack asks
// it to. Without an app token it only waits, the HTTP routes doing the
// receiving. It returns nil after ctx is done and replies in flight are
// posted, or the error that stopped Socket Mode (a revoked token).
func (a *Adapter) Run(ctx context.Context) error {
	self, err := a.whoami(ctx)
	if err != nil {
		return err
	}
	if a.opts.AppToken == "" {
		<-ctx.Done()
		return a.drain()
	}
	sm := socketmode.New(a.client, socketmode.OptionLog(debugLog{a.log}))
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- sm.RunContext(runCtx) }()
	for {
		select {
		case <-ctx.Done():
			a.connected.Store(false)
			return a.drain()
		case err := <-errc:
			a.connected.Store(false)
			if ctx.Err() != nil {
				return a.drain()
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case ev := <-sm.Events:
			a.onSocket(ctx, sm, self, ev)
		}
	}
}

func (a *Adapter) drain() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return a.Shutdown(ctx)
}

// onSocket handles one Socket Mode event. Requests are handled each on a
// goroutine, so a slow one never holds up the acks of the others.
func (a *Adapter) onSocket(ctx context.Context, sm *socketmode.Client, self *identity, ev socketmode.Event) {
	switch ev.Type {
	case socketmode.EventTypeConnecting:
		a.log.Debug("socket mode connecting")
	case socketmode.EventTypeConnected, socketmode.EventTypeHello:
		if !a.connected.Swap(true) {
			a.log.Info("socket mode connected")
		}
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth, socketmode.EventTypeDisconnect:
		a.connected.Store(false)
		a.log.Warn("socket mode disconnected", "event", ev.Type, "detail", connectionDetail(ev.Data))
	case socketmode.EventTypeErrorBadMessage:
		// An event slack-go cannot parse (a type it does not know) is
		// acked all the same, or Slack would send it again and again.
		if bad, ok := ev.Data.(*socketmode.ErrorBadMessage); ok {
			var env struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if json.Unmarshal(bad.Message, &env) == nil && env.EnvelopeID != "" {
				_ = sm.AckCtx(ctx, env.EnvelopeID, nil)
			}
			a.log.Debug("socket mode message not understood", "err", bad.Cause)
		}
	case socketmode.EventTypeEventsAPI, socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive:
		if ev.Request == nil {
			return
		}
		req := *ev.Request
		received := time.Now()
		ack := func(ok bool, payload any) {
			if !ok {
				return
			}
			if err := sm.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
				a.log.Warn("socket mode ack failed", "envelope", req.EnvelopeID, "err", err)
				return
			}
			a.acked(received)
		}
		// Each envelope on a goroutine of its own, started at once: the ack
		// budget runs from receipt, so a burst queued behind a slow store
		// is still answered in time — acknowledged once recorded, or left
		// unacknowledged for Slack to redeliver when the store could not
		// record it within the budget (Slack's own rate limits bound it).
		go a.onRequest(ctx, self, ev.Type, ev.Data, req.RetryAttempt, ack)
	}
}

func connectionDetail(data any) string {
	if e, ok := data.(*slack.ConnectionErrorEvent); ok && e.ErrorObj != nil {
		return e.ErrorObj.Error()
	}
	return ""
}

// onRequest dispatches one envelope to its flow.
func (a *Adapter) onRequest(ctx context.Context, self *identity, kind socketmode.EventType, data any, retry int, ack acker) {
	switch kind {
	case socketmode.EventTypeEventsAPI:
		ev, ok := data.(slackevents.EventsAPIEvent)
		cb, isCallback := ev.Data.(*slackevents.EventsAPICallbackEvent)
		if !ok || !isCallback {
			ack(true, nil)
			return
		}
		if retry > 0 {
			a.log.Debug("slack redelivered an event", "event", cb.EventID, "attempt", retry)
		}
		if !a.admit(ctx, self, "event", ev.TeamID, ev.EnterpriseID) {
			ack(true, nil)
			return
		}
		a.callback(ctx, self, cb.EventID, ev.InnerEvent.Data, ack)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := data.(slack.SlashCommand)
		if !ok || !a.admit(ctx, self, "command", cmd.TeamID, cmd.EnterpriseID) {
			ack(true, nil)
			return
		}
		a.onSlash(ctx, a.fromSlash(ctx, self, cmd), ack)
	case socketmode.EventTypeInteractive:
		ic, ok := data.(slack.InteractionCallback)
		if !ok || !a.admit(ctx, self, "interaction", ic.Team.ID, ic.Enterprise.ID) {
			ack(true, nil)
			return
		}
		a.interaction(ctx, &ic, ack)
	default:
		ack(true, nil)
	}
}

// callback handles an Events API event from either transport.
func (a *Adapter) callback(ctx context.Context, self *identity, eventID string, inner any, ack acker) {
	if ev, ok := inner.(*slackevents.AppHomeOpenedEvent); ok {
		a.onHomeOpened(ev, eventID, ack)
		return
	}
	in, ok := a.fromEvent(ctx, self, eventID, inner)
	if !ok {
		ack(true, nil)
		return
	}
	a.onEvent(in, ack)
}

// interaction handles a button click or a modal submission from either
// transport; other interactions (a modal closed) need only the ack.
func (a *Adapter) interaction(ctx context.Context, ic *slack.InteractionCallback, ack acker) {
	switch ic.Type {
	case slack.InteractionTypeBlockActions:
		in, ok := a.fromAction(ctx, ic)
		if !ok {
			ack(true, nil)
			return
		}
		a.onAction(ctx, in, ack)
	case slack.InteractionTypeViewSubmission:
		if ic.View.CallbackID != modalCallback {
			ack(true, nil)
			return
		}
		a.onSubmit(ic, ack)
	default:
		ack(true, nil)
	}
}
