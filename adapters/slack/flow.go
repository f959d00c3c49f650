package slack

import (
	"context"
	"encoding/json"
	"time"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The flows below are shared by both transports. Each acknowledges its
// event exactly once through an acker, as soon as the engine has recorded
// it (or the ack budget ran out). Messages, mentions and clicks have
// their answers recorded with the event and posted by the dispatcher;
// slash commands and modal submissions get theirs in the ack or posted
// from memory afterwards (README says which answers a crash can lose).

// acker acknowledges an event. ok=false means the engine did not record
// it and Slack should deliver it again: an HTTP 500, no Socket Mode ack.
// payload is what Slack shows at once: a slash command's answer, a
// modal's errors.
type acker func(ok bool, payload any)

type result struct {
	replies []bot.Reply
	err     error
}

// handle asks the engine, unless this process is handling or lately
// handled the same event: the store would refuse it anyway, this spares
// the transaction. A failed event is forgotten, so its redelivery runs.
func (a *Adapter) handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	if m.EventID != "" && !a.recent.Add(m.EventID) {
		a.log.Debug("duplicate event skipped", "event", m.EventID)
		if a.opts.Duplicate != nil {
			a.opts.Duplicate()
		}
		return nil, nil
	}
	replies, err := a.opts.Handler.Handle(ctx, m)
	if err != nil && m.EventID != "" {
		a.recent.Forget(m.EventID)
	}
	return replies, err
}

// ask runs the engine on a goroutine of its own, which outlives the
// request when the engine is slower than the ack budget.
func (a *Adapter) ask(m bot.Message) <-chan result {
	ch := make(chan result, 1)
	a.later(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, replyTimeout)
		defer cancel()
		r, err := a.handle(ctx, m)
		ch <- result{r, err}
	})
	return ch
}

// budget fires when an event must be acknowledged whatever the engine does.
func (a *Adapter) budget() (<-chan time.Time, func() bool) {
	t := time.NewTimer(a.opts.AckBudget)
	return t.C, t.Stop
}

// durable asks the engine to record the event's replies in its own
// transaction, for the dispatcher to post (Send): an event acknowledged is
// then answered even if the process dies right after the ack, and the
// answer is paced with every other post. Without an event id there is
// nothing to key the answer by; it is posted from memory.
func (a *Adapter) durable(in *inbound) {
	if a.opts.DurableReplies && in.msg.EventID != "" {
		in.msg.ReplyTo = encodeHandle(in.to)
	}
}

// onEvent handles a message or a mention.
func (a *Adapter) onEvent(in inbound, ack acker) {
	a.durable(&in)
	res := a.ask(in.msg)
	late, stop := a.budget()
	defer stop()
	select {
	case r := <-res:
		if r.err != nil {
			ack(false, nil) // rolled back: Slack delivers it again
			return
		}
		ack(true, nil)
		if len(r.replies) > 0 {
			a.later(func(ctx context.Context) { a.deliver(ctx, in.to, pack(r.replies)) })
		}
	case <-late:
		ack(true, nil)
		a.log.Warn("engine slower than the ack budget", "event", in.msg.EventID)
		a.later(func(ctx context.Context) { a.deliver(ctx, in.to, pack((<-res).replies)) })
	}
}

// maxAckPayload keeps a slash command's immediate answer under Socket
// Mode's 20 KB; a longer one goes through the response_url.
const maxAckPayload = 18 << 10

// onSlash handles the /collab slash command: a form command opens its
// modal; anything else is answered at once when the engine is fast, or
// with "working…" and a follow-up through the response_url.
func (a *Adapter) onSlash(ctx context.Context, in inbound, ack acker) {
	if a.tryForm(ctx, in) {
		ack(true, nil)
		return
	}
	res := a.ask(in.msg)
	late, stop := a.budget()
	defer stop()
	select {
	case r := <-res:
		msgs := pack(r.replies)
		if len(msgs) == 0 {
			ack(true, nil)
			return
		}
		if msgs[0].file != nil {
			// A file cannot ride in the ack: it is uploaded, and the ack
			// stays empty.
			ack(true, nil)
			a.later(func(ctx context.Context) { a.deliver(ctx, in.to, msgs) })
			return
		}
		first := a.slashMessage(in.to, msgs[0])
		if raw, err := json.Marshal(first); err != nil || len(raw) > maxAckPayload {
			ack(true, nil)
			a.later(func(ctx context.Context) { a.deliver(ctx, in.to, msgs) })
			return
		}
		ack(true, first)
		if len(msgs) > 1 {
			a.later(func(ctx context.Context) { a.deliver(ctx, in.to, msgs[1:]) })
		}
	case <-late:
		working := words.Get(a.langOf(in.msg.From.ID), "adapter.working", nil)
		ack(true, &slack.WebhookMessage{Text: working, ResponseType: slack.ResponseTypeEphemeral})
		a.later(func(ctx context.Context) { a.deliver(ctx, in.to, pack((<-res).replies)) })
	}
}

func (a *Adapter) slashMessage(to route, m outMessage) *slack.WebhookMessage {
	kind := slack.ResponseTypeEphemeral
	if to.public && !m.private {
		kind = slack.ResponseTypeInChannel
	}
	return &slack.WebhookMessage{Text: m.text, Blocks: &slack.Blocks{BlockSet: m.blocks}, ResponseType: kind}
}

// tryForm opens the modal when the engine says the message opens a form
// and Slack gave a trigger. It reports false when the engine should have
// the message instead: no form, or the modal could not open (the trigger
// expired), in which case the chat dialog asks the same questions one by
// one.
func (a *Adapter) tryForm(ctx context.Context, in inbound) bool {
	if in.trigger == "" || a.opts.FormService == nil {
		return false
	}
	form, err := a.opts.FormService.FormFor(ctx, in.msg)
	if err != nil {
		a.log.Warn("no form description; the chat dialog takes over", "err", err)
		return false
	}
	if form == nil {
		return false
	}
	if in.msg.EventID != "" && !a.recent.Add(in.msg.EventID) {
		return true // the modal is already open
	}
	if err := a.openForm(ctx, in, form); err != nil {
		a.log.Warn("modal not opened; the chat dialog takes over", "form", form.Name, "err", err)
		a.recent.Forget(in.msg.EventID)
		return false
	}
	return true
}

// onAction handles a button click: a command that opens a form opens its
// modal; any other goes to the engine, and the clicked message loses its
// buttons once the click is handled.
func (a *Adapter) onAction(ctx context.Context, in inbound, ack acker) {
	if in.msg.Action.ID == "command" && a.tryForm(ctx, in) {
		ack(true, nil)
		return
	}
	a.durable(&in)
	res := a.ask(in.msg)
	finish := func(ctx context.Context, r result) {
		a.deliver(ctx, in.to, pack(r.replies))
		// nil replies: a duplicate; empty ones: recorded for the dispatcher.
		if r.err == nil && r.replies != nil {
			a.retire(ctx, in.click, "✅ "+in.label)
		}
	}
	late, stop := a.budget()
	defer stop()
	select {
	case r := <-res:
		ack(true, nil)
		a.later(func(ctx context.Context) { finish(ctx, r) })
	case <-late:
		ack(true, nil)
		a.later(func(ctx context.Context) { finish(ctx, <-res) })
	}
}

// onSubmit handles a modal's submission: errors keep the modal open; a
// success closes it, posts the engine's answer and retires the message
// whose button opened it.
func (a *Adapter) onSubmit(ic *slack.InteractionCallback, ack acker) {
	res := make(chan submission, 1)
	a.later(func(ctx context.Context) { res <- a.submit(ctx, ic) })
	finish := func(ctx context.Context, s submission, shown bool) {
		if shown && len(s.errors) > 0 {
			return // the modal shows them
		}
		a.deliver(ctx, s.to, pack(s.replies))
		if s.ok {
			a.retire(ctx, s.click, "✅ "+s.label)
		}
	}
	late, stop := a.budget()
	defer stop()
	select {
	case s := <-res:
		ack(true, s.response())
		a.later(func(ctx context.Context) { finish(ctx, s, true) })
	case <-late:
		ack(true, nil)
		a.later(func(ctx context.Context) { finish(ctx, <-res, false) })
	}
}
