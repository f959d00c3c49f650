package dingtalk

import (
	"context"
	"errors"
	"time"

	"github.com/collabot/collabot/bot"
)

// target is where the replies to one callback go.
type target struct {
	conversation string // the conversation id (a group's openConversationId)
	direct       bool
	user         string // the sender's staff id, for a 1:1 answer by the OpenAPI
	webhook      string // the callback's sessionWebhook, "" for card clicks
	expires      time.Time
}

// webhookMargin is how long before its stated expiry a session webhook
// stops being used, so that a post does not race the expiry.
const webhookMargin = time.Minute

// replyTimeout bounds posting one reply, retries included.
const replyTimeout = 2 * time.Minute

// deliverReplies posts the engine's answer. Replies are not in the
// outbox: the engine wrote them for a conversation that is happening now,
// so each is tried a few times, then logged as lost.
func (a *Adapter) deliverReplies(to target, replies []bot.Reply) {
	for _, r := range replies {
		for _, m := range render(r, to.direct, a.opt.Lang) {
			ctx, cancel := context.WithTimeout(a.workCtx(), replyTimeout)
			err := a.post(ctx, to, m)
			cancel()
			if err != nil {
				a.log.Error("reply not delivered", "conversation", to.conversation, "err", err)
			}
		}
	}
}

// post sends one message into the conversation: by the session webhook
// while it is valid, else (or if it fails) by the OpenAPI, waiting out a
// throttling answer up to three times.
func (a *Adapter) post(ctx context.Context, to target, m outMessage) error {
	if to.webhook != "" && a.clock.Now().Before(to.expires.Add(-webhookMargin)) {
		err := a.api.replyInSession(ctx, to.webhook, m)
		if err == nil {
			return nil
		}
		a.log.Warn("session webhook failed, answering through the OpenAPI", "conversation", to.conversation, "err", err)
	}
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if to.direct {
			var limited []string
			_, limited, err = a.api.sendToUsers(ctx, []string{to.user}, m)
			if err == nil && len(limited) > 0 {
				err = &bot.Throttled{After: time.Minute, Err: errLimited}
			}
		} else {
			err = a.api.sendToGroup(ctx, to.conversation, m)
		}
		after, ok := bot.RetryAfter(err)
		if !ok {
			return err
		}
		t := time.NewTimer(after)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return err
}
