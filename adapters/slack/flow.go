package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
)

// The flows below are shared by both transports. Each answers its event
// exactly once through an acker: acknowledged once the engine has
// recorded it, never before. An event the engine could not record within
// the ack budget (the store's writer was behind) is refused, for Slack to
// deliver again: HTTP 503, or no Socket Mode ack. Messages, mentions and
// clicks have their answers recorded with the event and posted by the
// dispatcher; slash commands and modal submissions get theirs in the ack
// or posted from memory afterwards (README says which answers a crash can
// lose).

// acker acknowledges an event. ok=false means the engine did not record
// it and Slack should deliver it again: an HTTP 500, no Socket Mode ack.
// payload is what Slack shows at once: a slash command's answer, a
// modal's errors.
type acker func(ok bool, payload any)

// overloaded is the payload of a refusal for overload: over HTTP it is
// answered 503 (other failures 500); Socket Mode sends no ack either way.
type overloaded struct{}

// ackGrace is how long past the ack budget a flow still waits for the
// engine's commit before refusing: the budget bounds the engine's turn at
// the store (its context ends then), and the answer must still reach
// Slack inside its 3 s.
const ackGrace = 500 * time.Millisecond

// refuse answers an event the engine did not record in time, and counts it.
func (a *Adapter) refuse(ack acker, event string) {
	a.log.Warn("event refused: not recorded within the ack budget; Slack delivers it again", "event", event)
	if a.opts.Overloaded != nil {
		a.opts.Overloaded()
	}
	ack(false, overloaded{})
}

// failed answers an event the engine did not record: refused as
// overloaded when it ran out of time, else a plain failure.
func (a *Adapter) failed(ack acker, event string, err error) {
	if errors.Is(err, bot.ErrOverloaded) || errors.Is(err, context.DeadlineExceeded) {
		a.refuse(ack, event)
		return
	}
	ack(false, nil)
}

type result struct {
	replies []bot.Reply
	err     error
}

// handle asks the engine, unless this process is handling or lately
// handled the same event: the store would refuse it anyway, this spares
// the transaction. A failed event is forgotten, so its redelivery runs.
//
// A delivery that arrives while another of the same event is still being
// handled waits for it (within its own budget) instead of taking it for a
// duplicate: the first may yet fail, and an ack must follow a commit.
func (a *Adapter) handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	for m.EventID != "" {
		done := make(chan struct{})
		prev, busy := a.pending.LoadOrStore(m.EventID, done)
		if !busy {
			defer func() {
				a.pending.Delete(m.EventID)
				close(done)
			}()
			break
		}
		var expire <-chan time.Time // the ack deadline, when the caller has one
		if deadline, ok := bot.AckDeadline(ctx); ok {
			t := time.NewTimer(max(time.Until(deadline), 0))
			defer t.Stop()
			expire = t.C
		}
		select {
		case <-prev.(chan struct{}): // handled or failed: look again
		case <-expire:
			return nil, fmt.Errorf("slack: event %s is still being recorded: %w", m.EventID, bot.ErrOverloaded)
		case <-ctx.Done():
			return nil, fmt.Errorf("slack: event %s is still being recorded: %w", m.EventID, bot.ErrOverloaded)
		}
	}
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

// ask runs the engine on a goroutine of its own, telling the store the
// ack budget: an event that cannot start by then is refused
// (bot.ErrOverloaded) rather than acknowledged unrecorded. Work that did
// start is not cut off at the budget: it commits late, and Slack's
// redelivery finds it recorded.
//
// then, if given, runs on the same goroutine once the result is out, with
// the adapter's context: work that needs only the engine's answer (the
// post of a recorded event's replies) starts there at once instead of
// waiting for another goroutine to be scheduled.
func (a *Adapter) ask(m bot.Message, then ...func(context.Context, result)) <-chan result {
	ch := make(chan result, 1)
	deadline := time.Now().Add(a.opts.AckBudget)
	a.later(func(base context.Context) {
		ctx, cancel := context.WithTimeout(base, replyTimeout)
		defer cancel()
		ctx = bot.WithAckDeadline(ctx, deadline)
		r, err := a.handle(ctx, m)
		ch <- result{r, err}
		for _, f := range then {
			f(base, result{r, err})
		}
	})
	return ch
}

// budget fires when an event must be answered whatever the engine does:
// the ack budget and a grace for the commit in flight.
func (a *Adapter) budget() (<-chan time.Time, func() bool) {
	t := time.NewTimer(a.opts.AckBudget + ackGrace)
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
	// The answer is posted by the goroutine that recorded the event, as
	// soon as the commit returns: beside the ack rather than after it (the
	// ack only waits for the same commit), and whether or not the ack made
	// the budget (if it did not, Slack's redelivery is a duplicate with
	// nothing to say). Handing it to the HTTP goroutine and then to a new
	// one cost two more turns of the scheduler on every reply.
	res := a.ask(in.msg, func(ctx context.Context, r result) {
		a.answer(ctx, in.to, r)
	})
	late, stop := a.budget()
	defer stop()
	select {
	case r := <-res:
		if r.err != nil {
			a.failed(ack, in.msg.EventID, r.err) // rolled back: Slack delivers it again
			return
		}
		ack(true, nil)
	case <-late:
		a.refuse(ack, in.msg.EventID)
	}
}

// answer posts the answer of an event once the engine is done with
// it, if its commit went through — also when the event was refused while
// the commit was still in flight: the redelivery is then a duplicate with
// nothing to say.
func (a *Adapter) answer(ctx context.Context, to route, r result) {
	if r.err == nil && len(r.replies) > 0 {
		a.deliver(ctx, to, pack(r.replies))
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
		if r.err != nil && (errors.Is(r.err, bot.ErrOverloaded) || errors.Is(r.err, context.DeadlineExceeded)) {
			a.refuse(ack, in.msg.EventID) // Slack shows the person the command failed; nothing recorded
			return
		}
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
		a.refuse(ack, in.msg.EventID)
		a.later(func(ctx context.Context) { a.answer(ctx, in.to, <-res) })
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
	if in.msg.Action.ID == "command" {
		if form := a.oneTapForm(ctx, in); form != nil {
			a.onTap(in, form, ack)
			return
		}
		if a.tryForm(ctx, in) {
			ack(true, nil)
			return
		}
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
		if r.err != nil && (errors.Is(r.err, bot.ErrOverloaded) || errors.Is(r.err, context.DeadlineExceeded)) {
			a.refuse(ack, in.msg.EventID) // the button stays; the person clicks again
			return
		}
		ack(true, nil)
		a.later(func(ctx context.Context) { finish(ctx, r) })
	case <-late:
		a.refuse(ack, in.msg.EventID)
		a.later(func(ctx context.Context) {
			if r := <-res; r.err == nil {
				finish(ctx, r)
			}
		})
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
		// Not known to be recorded: refused, and the modal stays open
		// for the person to submit again.
		a.refuse(ack, "")
		a.later(func(ctx context.Context) { finish(ctx, <-res, false) })
	}
}
