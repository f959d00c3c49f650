package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/bot"
)

// Every message the dispatcher posts carries metadata naming its outbox
// row (Notification.Key) and its part, so that after a crash mid-send the
// row can be looked for in the channel before it is posted again.
const metaType = "collabot_post"

func postMeta(key string, part int) slack.MsgOption {
	return slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metaType,
		EventPayload: map[string]any{"key": key, "part": part}})
}

// handle is a reply route as the core carries it (bot.Message.ReplyTo):
// opaque to it, read back by Send when the dispatcher delivers the reply.
type handle struct {
	Thread      string `json:"t,omitempty"`
	User        string `json:"u,omitempty"`
	ResponseURL string `json:"r,omitempty"`
	Public      bool   `json:"p,omitempty"`
}

func encodeHandle(to route) string {
	b, _ := json.Marshal(handle{Thread: to.thread, User: to.user, ResponseURL: to.responseURL, Public: to.public})
	return string(b)
}

func decodeHandle(channel, s string) (route, error) {
	var h handle
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return route{}, fmt.Errorf("slack: reply handle: %w", err)
	}
	return route{channel: channel, thread: h.Thread, user: h.User, responseURL: h.ResponseURL, public: h.Public}, nil
}

// lookWindow reaches this far before an attempt's start for its post:
// Slack's clock and ours may differ a little.
const lookWindow = 2 * time.Minute

// Bounds of the look-up: a busy channel may have had more messages since
// the attempt than it reads, in which case the row is posted again (and
// logged); a channel with that much traffic in the minutes of a restart
// is rare.
const (
	lookPage  = 200
	lookPages = 5
)

// Resend implements dispatch.Resender: it reads the channel's (or the
// thread's) messages since the attempt began, with their metadata, and
// posts only the parts of n not found there. Parts that cannot be found
// again — ephemeral messages, response_url answers, file uploads — are
// posted again: README says so.
func (a *Adapter) Resend(ctx context.Context, n bot.Notification, since time.Time) error {
	if isReply(n) {
		to, err := a.replyRoute(ctx, n)
		if err != nil {
			return err
		}
		found, err := a.lookup(ctx, to.channel, to.thread, n.Key, since)
		if err != nil {
			return doubtful(fmt.Errorf("slack: look for reply %d: %w", n.ID, err))
		}
		return a.sendReply(ctx, n, to, found)
	}
	channel, err := a.destination(ctx, n)
	if err != nil {
		return err
	}
	found, err := a.lookup(ctx, channel, "", n.Key, since)
	if err != nil {
		return doubtful(fmt.Errorf("slack: look for notice %d: %w", n.ID, err))
	}
	if found[0] {
		a.log.Info("notification found in the channel; not posted again", "notification", n.ID)
		return nil
	}
	return a.Send(ctx, n)
}

// lookup returns the parts of the row key found in channel (or in the
// thread) since the attempt began.
func (a *Adapter) lookup(ctx context.Context, channel, thread, key string, since time.Time) (map[int]bool, error) {
	oldest := since.Add(-lookWindow)
	ts := fmt.Sprintf("%d.%06d", oldest.Unix(), oldest.Nanosecond()/1000)
	found := map[int]bool{}
	cursor := ""
	for page := 0; page < lookPages; page++ {
		var msgs []slack.Message
		var more bool
		var err error
		if thread != "" {
			msgs, more, cursor, err = a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
				ChannelID: channel, Timestamp: thread, Oldest: ts, Limit: lookPage, Cursor: cursor, IncludeAllMetadata: true})
		} else {
			var res *slack.GetConversationHistoryResponse
			res, err = a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
				ChannelID: channel, Oldest: ts, Limit: lookPage, Cursor: cursor, IncludeAllMetadata: true})
			if res != nil {
				msgs, more, cursor = res.Messages, res.HasMore, res.ResponseMetaData.NextCursor
			}
		}
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if m.Metadata.EventType != metaType || m.Metadata.EventPayload["key"] != key {
				continue
			}
			if part, ok := m.Metadata.EventPayload["part"].(float64); ok {
				found[int(part)] = true
			}
		}
		if !more || cursor == "" {
			return found, nil
		}
	}
	a.log.Warn("channel too busy to look through; a row in doubt may be posted twice", "channel", channel)
	return found, nil
}

// doubtful keeps a rate limit a rate limit, marked so that the next
// attempt looks again.
func doubtful(err error) error {
	err = sendError(err)
	if t, ok := err.(*bot.Throttled); ok {
		t.InDoubt = true
	}
	return err
}

func isReply(n bot.Notification) bool { return n.Kind == bot.KindReply }

// replyRoute is where a reply goes, from the row the engine recorded: a
// channel, or a person's DM ("@U0AMY"), opened as notices' are.
func (a *Adapter) replyRoute(ctx context.Context, n bot.Notification) (route, error) {
	channel, ok := strings.CutPrefix(n.Group, string(bot.Slack)+":")
	if !ok || channel == "" {
		return route{}, fmt.Errorf("slack: reply %d: %q is not a Slack channel: %w", n.ID, n.Group, bot.ErrUndeliverable)
	}
	if user, dm := strings.CutPrefix(channel, "@"); dm {
		var err error
		channel, err = a.destination(ctx, bot.Notification{ID: n.ID, To: bot.PersonID(user),
			Accounts: []bot.Identity{{Platform: bot.Slack, ID: user}}})
		if err != nil {
			return route{}, err
		}
	}
	return decodeHandle(channel, n.Handle)
}

// sendReply posts a reply row's messages but those already found. A rate
// limit after a part went out comes back in doubt, so the next attempt
// looks for that part instead of posting it again.
func (a *Adapter) sendReply(ctx context.Context, n bot.Notification, to route, found map[int]bool) error {
	replies := n.Replies
	if len(replies) == 0 {
		replies = []bot.Reply{n.Reply}
	}
	posted := false
	for i, m := range pack(replies) {
		if found[i] {
			posted = true
			continue
		}
		if err := a.post(ctx, to, m, postMeta(n.Key, i)); err != nil {
			err = fmt.Errorf("slack: reply %d: %w", n.ID, err)
			if posted {
				return doubtful(err)
			}
			return sendError(err)
		}
		posted = true
	}
	if to.thread != "" {
		a.threads.Add(to.channel + "/" + to.thread)
	}
	return nil
}
