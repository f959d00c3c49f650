package slack

import (
	"context"
	"time"

	"github.com/collabot/collabot/bot"
)

// One tap where one tap is enough: a button whose command gives every
// answer its form requires (accepting an acknowledgement: the decision is
// the button, scope, resources and risks are optional) commits at once,
// with the command's own answers, instead of opening a modal to be
// submitted empty. Starting or finishing a task, confirming minutes and
// passing acceptance already act at once in the engine.

// oneTapForm is the form a clicked button's command opens when the
// engine says it needs nothing more than the command gave (Form.OneTap):
// it is then submitted as it is.
func (a *Adapter) oneTapForm(ctx context.Context, in inbound) *bot.Form {
	if a.opts.FormService == nil || in.msg.Action == nil {
		return nil
	}
	form, err := a.opts.FormService.FormFor(ctx, in.msg)
	if err != nil || form == nil || !form.OneTap {
		return nil
	}
	return form
}

// onTap commits a one-tap form within the ack budget, then posts the
// engine's answer and retires the clicked message, as a submitted modal
// does.
func (a *Adapter) onTap(in inbound, form *bot.Form, ack acker) {
	sub := bot.Submission{Form: form.Name, Target: form.Target, Values: map[string][]string{}}
	for k, v := range form.Given {
		sub.Values[k] = []string{v}
	}
	res := make(chan submission, 1)
	deadline := time.Now().Add(a.opts.AckBudget)
	a.later(func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, replyTimeout)
		defer cancel()
		res <- a.tap(bot.WithAckDeadline(ctx, deadline), in, sub)
	})
	finish := func(ctx context.Context, s submission) {
		a.deliver(ctx, s.to, pack(s.replies))
		if s.ok {
			a.retire(ctx, s.click, "✅ "+s.label)
		}
	}
	late, stop := a.budget()
	defer stop()
	select {
	case s := <-res:
		if s.failed {
			a.refuse(ack, in.msg.EventID) // the button stays; the person clicks again
			return
		}
		ack(true, nil)
		a.later(func(ctx context.Context) { finish(ctx, s) })
	case <-late:
		a.refuse(ack, in.msg.EventID)
		a.later(func(ctx context.Context) {
			if s := <-res; !s.failed {
				finish(ctx, s)
			}
		})
	}
}

// tap submits the form once per click: a redelivered click finds the
// event handled here (or recorded by the engine) and changes nothing.
func (a *Adapter) tap(ctx context.Context, in inbound, sub bot.Submission) submission {
	out := submission{to: in.to, click: in.click, label: in.label}
	if in.msg.EventID != "" && !a.recent.Add(in.msg.EventID) {
		return out // handled here already
	}
	res, err := a.opts.FormService.Submit(ctx, in.msg, sub)
	if err != nil {
		a.recent.Forget(in.msg.EventID)
		a.log.Warn("one-tap submission failed", "form", sub.Form, "err", err)
		out.failed = true
		return out
	}
	out.replies = res.Replies
	out.ok = res.OK() && res.Replies != nil
	if !res.OK() {
		a.recent.Forget(in.msg.EventID) // nothing changed: the button may be clicked again
	}
	return out
}
