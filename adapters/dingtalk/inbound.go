package dingtalk

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/card"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/handler"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"

	"github.com/collabot/collabot/bot"
)

// handleTimeout bounds one callback: the engine's transaction is
// milliseconds, but a stuck store must not hold an SDK handler slot.
const handleTimeout = 30 * time.Second

// errNotRecorded is what DingTalk is told when a callback could not be
// recorded — it failed, or the store was overloaded (bot.ErrOverloaded):
// the frame goes unacknowledged (code 500) and is redelivered; it is
// never acknowledged before it is recorded. The cause is logged, not sent.
var errNotRecorded = errors.New("collabot: not recorded, redeliver later")

// callback handles one decoded frame: it returns the acknowledgement's
// data, or an error to leave the frame for redelivery.
type callback func(ctx context.Context, df *payload.DataFrame) (*payload.DataFrameResponse, error)

// frame wraps a callback for the SDK: it notes the connection, refuses
// frames once shutdown began, and runs the callback on work rather than
// on the connection's context, so a transaction that started commits
// even if the connection drops (the redelivery is then a duplicate).
func (a *Adapter) frame(work context.Context, cb callback) handler.IFrameHandler {
	return func(conn context.Context, df *payload.DataFrame) (*payload.DataFrameResponse, error) {
		received := time.Now()
		a.seenOn(conn)
		a.life.RLock()
		defer a.life.RUnlock()
		if a.closed {
			return nil, errNotRecorded
		}
		ctx, cancel := context.WithTimeout(work, handleTimeout)
		defer cancel()
		res, err := cb(ctx, df)
		if err == nil && a.opt.Acked != nil {
			// The SDK writes the acknowledgement as soon as this returns.
			a.opt.Acked(time.Since(received))
		}
		return res, err
	}
}

// observe wraps one of the SDK's own system handlers.
func (a *Adapter) observe(h handler.IFrameHandler) handler.IFrameHandler {
	return func(conn context.Context, df *payload.DataFrame) (*payload.DataFrameResponse, error) {
		a.seenOn(conn)
		return h(conn, df)
	}
}

// onChatbot turns a robot message (a group @-mention or a 1:1 message)
// into an engine message, and acknowledges it once the engine's
// transaction committed; the replies are posted after the ack.
func (a *Adapter) onChatbot(ctx context.Context, df *payload.DataFrame) (*payload.DataFrameResponse, error) {
	var d chatbot.BotCallbackDataModel
	if err := json.Unmarshal([]byte(df.Data), &d); err != nil {
		// Redelivering a frame we cannot read would not help.
		a.log.Warn("unreadable robot message acknowledged and dropped", "frame", df.GetMessageId(), "err", err)
		return nil, nil
	}
	// The robot's organisation first: it is the one a pinned corpId comes from.
	if !a.admit(ctx, "message", df.GetMessageId(), d.ChatbotCorpId, d.SenderCorpId) {
		return nil, nil // acknowledged, so DingTalk does not redeliver it
	}
	m := a.message(&d, df.GetMessageId())
	if m.From.ID == "" {
		// Nobody to answer or to act as: the engine would refuse it on
		// every redelivery, so it is acknowledged and dropped here.
		a.log.Warn("robot message without a sender acknowledged and dropped", "frame", df.GetMessageId())
		return nil, nil
	}
	to := target{conversation: d.ConversationId, direct: m.Direct, user: m.From.ID,
		webhook: d.SessionWebhook, expires: time.UnixMilli(d.SessionWebhookExpiredTime)}
	if !a.seen.has(m.EventID) {
		// A file's download link is asked for only now: a redelivery
		// (seen) is acknowledged without an OpenAPI call.
		m.Attachments = a.attachments(ctx, &d)
		// A command whose form has something to fill in opens it as a
		// card (cards_form.go); nothing is recorded until it is submitted.
		handled, err := a.typedForm(ctx, m)
		if err != nil {
			a.log.Error("form not described; leaving the message for redelivery", "event", m.EventID, "err", err)
			return nil, errNotRecorded
		}
		if handled {
			a.seen.add(m.EventID)
			return nil, nil
		}
	}
	return a.handle(ctx, m, to)
}

// onCard turns an interactive card's button click into an engine message.
// collabot's own cards (a configured template) are handled in
// cards_click.go; without templates collabot renders buttons as action
// cards whose links send the command back as a message (see render.go),
// and this serves interactive cards built elsewhere whose action
// parameters carry a "command".
func (a *Adapter) onCard(ctx context.Context, df *payload.DataFrame) (*payload.DataFrameResponse, error) {
	var req card.CardRequest
	err := json.Unmarshal([]byte(df.Data), &req)
	if err == nil && req.Content != "" {
		err = json.Unmarshal([]byte(req.Content), &req.CardActionData)
	}
	if err != nil {
		a.log.Warn("unreadable card callback acknowledged and dropped", "frame", df.GetMessageId(), "err", err)
		return cardAck()
	}
	if !a.admit(ctx, "card", df.GetMessageId(), req.CorpId) {
		return cardAck()
	}
	if strings.HasPrefix(req.OutTrackId, trackPrefix) {
		return a.onOwnCard(ctx, df, &req) // cards_click.go
	}
	cmd := strings.TrimSpace(req.GetActionString("command"))
	if cmd == "" || req.UserId == "" {
		a.log.Debug("card callback without a command ignored", "frame", df.GetMessageId())
		return cardAck()
	}
	direct := req.SpaceType != "IM_GROUP"
	channel := req.SpaceId
	if channel == "" {
		channel = req.UserId
	}
	m := bot.Message{Workspace: a.opt.Workspace, Platform: bot.DingTalk, EventID: "card:" + df.GetMessageId(),
		Channel: channel, Direct: direct, From: bot.Identity{Platform: bot.DingTalk, ID: req.UserId}, Text: cmd}
	if _, err := a.handle(ctx, m, target{conversation: channel, direct: direct, user: req.UserId}); err != nil {
		return nil, err
	}
	return cardAck()
}

// cardAck answers a card callback with no change to the card.
func cardAck() (*payload.DataFrameResponse, error) {
	r := payload.NewSuccessDataFrameResponse()
	err := r.SetJson(map[string]any{"response": card.CardResponse{}})
	return r, err
}

// handle runs the engine once per event id and queues the replies. A
// frame redelivered while its first delivery is still being handled (the
// gateway grew impatient) waits for that one instead of racing it to the
// store, and is acknowledged with it.
func (a *Adapter) handle(ctx context.Context, m bot.Message, to target) (*payload.DataFrameResponse, error) {
	log := a.log.With("event", m.EventID, "conversation", m.Channel)
	for {
		if m.EventID != "" && a.seen.has(m.EventID) {
			// The engine would say the same from its store; this saves the
			// transaction for a frame redelivered within minutes.
			log.Debug("redelivered frame acknowledged again")
			if a.opt.Duplicate != nil {
				a.opt.Duplicate()
			}
			return nil, nil
		}
		first, done := a.seen.begin(m.EventID)
		if first {
			break
		}
		select {
		case <-done: // handled, or failed: look again
		case <-ctx.Done():
			return nil, errNotRecorded
		}
	}
	defer a.seen.end(m.EventID)
	replies, err := a.opt.Handler.Handle(ctx, m)
	if err != nil {
		level := slog.LevelError
		var r interface{ Redelivery() bool }
		switch {
		case errors.As(err, &r) && r.Redelivery():
			level = slog.LevelInfo // another replica has it; the redelivery will find it done
		case errors.Is(err, bot.ErrOverloaded):
			// The store is behind: never acknowledged unrecorded; the
			// frame is left for DingTalk to deliver again.
			level = slog.LevelWarn
			if a.opt.Overloaded != nil {
				a.opt.Overloaded()
			}
		}
		log.Log(ctx, level, "message not recorded; leaving it for redelivery", "err", err)
		return nil, errNotRecorded
	}
	a.seen.add(m.EventID)
	if len(replies) > 0 {
		a.out.enqueue(to.conversation, func() { a.deliverReplies(to, replies) })
	}
	return nil, nil
}

// message translates a robot callback. The sender is their staff id (the
// directory's DingTalk id); senderId, an opaque per-app id, is used only
// when there is none (someone from outside the organisation).
func (a *Adapter) message(d *chatbot.BotCallbackDataModel, frameID string) bot.Message {
	from := d.SenderStaffId
	if from == "" {
		from = d.SenderId
	}
	id := d.MsgId
	if id == "" {
		id = frameID
	}
	var mentions []bot.Identity
	botMentioned := d.IsInAtList
	for _, u := range d.AtUsers {
		if u.DingtalkId != "" && u.DingtalkId == d.ChatbotUserId {
			botMentioned = true
			continue
		}
		if u.StaffId == "" {
			continue // another robot, or someone outside the organisation
		}
		mentions = append(mentions, bot.Identity{Platform: bot.DingTalk, ID: u.StaffId})
	}
	return bot.Message{Workspace: a.opt.Workspace, Platform: bot.DingTalk, EventID: id,
		Channel: d.ConversationId, Direct: d.ConversationType == "1",
		From: bot.Identity{Platform: bot.DingTalk, ID: from}, Name: d.SenderNick,
		Text: stripMention(d.Text.Content, len(mentions), botMentioned), Mentions: mentions}
}

// stripMention removes the bot's own @-mention from the start of a
// message. DingTalk usually removes it already and leaves the people
// mentioned in place ("@陈斌 ..."), so the first word is taken to be the
// bot only when there is one more @-word than people mentioned.
func stripMention(text string, people int, botMentioned bool) string {
	text = strings.TrimSpace(text)
	if !botMentioned || !strings.HasPrefix(text, "@") {
		return text
	}
	words := strings.Fields(text)
	at := 0
	for _, w := range words {
		if strings.HasPrefix(w, "@") {
			at++
		}
	}
	if at <= people {
		return text
	}
	rest := strings.TrimPrefix(text, words[0])
	return strings.TrimSpace(rest)
}
