package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
)

// Send delivers a notification: to a person's DM, or to the
// collaboration's channel. It posts once and never waits: a rate limit
// comes back as *bot.Throttled for the dispatcher to honour, and any other
// failure as an error for it to retry.
func (a *Adapter) Send(ctx context.Context, n bot.Notification) error {
	if isReply(n) {
		to, err := a.replyRoute(ctx, n)
		if err != nil {
			return err
		}
		return a.sendReply(ctx, n, to, nil)
	}
	if n.Kind == bot.KindHome {
		return a.sendHome(ctx, n)
	}
	channel, err := a.destination(ctx, n)
	if err != nil {
		return err
	}
	msgs := pack([]bot.Reply{n.Reply})
	if len(msgs) == 0 {
		return nil
	}
	m := msgs[0] // one reply: one message
	_, _, err = a.api.PostMessageContext(ctx, channel,
		slack.MsgOptionText(m.text, false), slack.MsgOptionBlocks(m.blocks...), postMeta(n.Key, 0))
	switch {
	case err == nil:
		return nil
	case n.To != "" && isGone(err):
		a.forgetDM(channel) // a closed DM: open it afresh next time
	case n.To == "" && isGone(err):
		// The bot is not in the group's channel (a private one it was
		// never invited to) or the channel is archived: retrying soon is
		// pointless, and an invitation may come later.
		return fmt.Errorf("slack: send notice %d to %s: %w: %w", n.ID, channel, err, bot.ErrUndeliverable)
	}
	return sendError(fmt.Errorf("slack: send notice %d: %w", n.ID, err))
}

// destination is the channel a notification goes to: the recipient's DM
// (opened once and remembered), or the group's channel.
func (a *Adapter) destination(ctx context.Context, n bot.Notification) (string, error) {
	if n.To == "" {
		channel, ok := strings.CutPrefix(n.Group, string(bot.Slack)+":")
		if !ok || channel == "" {
			return "", fmt.Errorf("slack: notice %d: group %q is not a Slack channel: %w", n.ID, n.Group, bot.ErrUndeliverable)
		}
		return channel, nil
	}
	user := ""
	for _, id := range n.Accounts {
		if id.Platform == bot.Slack {
			user = id.ID
			break
		}
	}
	if user == "" {
		return "", fmt.Errorf("slack: notice %d: %s has no Slack account: %w", n.ID, n.To, bot.ErrUndeliverable)
	}
	ch, err := a.dmWith(ctx, user)
	if err != nil {
		return "", sendError(fmt.Errorf("slack: notice %d: %w", n.ID, err))
	}
	return ch, nil
}

// dmWith is the user's direct-message channel with the bot, opened once
// and remembered.
func (a *Adapter) dmWith(ctx context.Context, user string) (string, error) {
	if ch, ok := a.dms.Load(user); ok {
		return ch.(string), nil
	}
	ch, _, _, err := a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
	if err != nil {
		return "", fmt.Errorf("open DM with %s: %w", user, err)
	}
	a.dms.Store(user, ch.ID)
	return ch.ID, nil
}

// forgetDM drops the cached DM channel id wherever it is cached.
func (a *Adapter) forgetDM(channel string) {
	a.dms.Range(func(k, v any) bool {
		if v == channel {
			a.dms.Delete(k)
		}
		return true
	})
}

// sendError turns a rate limit into the dispatcher's *bot.Throttled.
func sendError(err error) error {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return &bot.Throttled{After: rl.RetryAfter, Err: err}
	}
	return err
}

// isGone: Slack no longer knows the channel the message was sent to.
func isGone(err error) bool {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "channel_not_found", "is_archived", "not_in_channel":
			return true
		}
	}
	return false
}
