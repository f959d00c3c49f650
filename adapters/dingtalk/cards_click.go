package dingtalk

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/card"
	"github.com/open-dingtalk/dingtalk-stream-sdk-go/payload"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// FormService is the engine's forms as data: a card's click whose
// command opens a form with nothing required left to ask is submitted
// as that form, so one tap decides; the engine decides what it means.
type FormService interface {
	FormFor(ctx context.Context, m bot.Message) (*bot.Form, error)
	Submit(ctx context.Context, m bot.Message, s bot.Submission) (bot.FormResult, error)
}

// outcome is what a click on one of collabot's cards came to.
type outcome int

const (
	clickDuplicate outcome = iota // a redelivery the engine already recorded
	clickRefused                  // the engine said no; the card stays as it was
	clickAsked                    // a form with required answers opened in the chat
	clickDecided                  // the card's decision was made
)

// onOwnCard handles a click on a card collabot sent. The frame is the
// event (a redelivery is the same frame, recorded once in the engine's
// ledger of inbound events); clicks on one card are taken one at a
// time, and once a card is decided it is updated in place — the
// decision and who made it shown, its buttons gone — and any later
// click is told it was already decided, privately.
func (a *Adapter) onOwnCard(ctx context.Context, df *payload.DataFrame, req *card.CardRequest) (*payload.DataFrameResponse, error) {
	cmd := strings.TrimSpace(req.GetActionString("command"))
	if cmd == "" || req.UserId == "" {
		a.log.Debug("card callback without a command ignored", "frame", df.GetMessageId())
		return cardAck()
	}
	event := "card:" + df.GetMessageId()
	lock := "card-lock:" + req.OutTrackId
	for {
		if a.seen.has(event) {
			if a.opt.Duplicate != nil {
				a.opt.Duplicate()
			}
			return cardAck()
		}
		first, done := a.seen.begin(lock)
		if first {
			break
		}
		select {
		case <-done:
		case <-ctx.Done():
			return nil, errNotRecorded
		}
	}
	defer a.seen.end(lock)
	if a.seen.has(event) {
		return cardAck()
	}
	if status, ok := a.book.status(req.OutTrackId); ok {
		a.seen.add(event)
		return cardNote(words.Get(a.opt.Lang, "adapter.dingtalk.card.already", words.Args{"status": status}))
	}
	if to := addressee(req.OutTrackId); to != "" && to != req.UserId {
		a.seen.add(event)
		return cardNote(words.Get(a.opt.Lang, "adapter.dingtalk.card.not_yours", words.Args{"name": a.name(to)}))
	}
	direct := req.SpaceType != "IM_GROUP"
	channel := req.SpaceId
	if channel == "" {
		channel = req.UserId
	}
	m := bot.Message{Workspace: a.opt.Workspace, Platform: bot.DingTalk, EventID: event, Channel: channel, Direct: direct,
		From: bot.Identity{Platform: bot.DingTalk, ID: req.UserId}, Text: cmd}
	// Decided before this process started: the ledger says so (cards_ledger.go).
	if decided, err := a.wasDecided(ctx, req.OutTrackId); err != nil {
		return nil, a.notRecorded(ctx, m, err)
	} else if decided {
		a.seen.add(event)
		a.out.enqueue(channel, func() { a.updateCard(req.OutTrackId, hidden()) })
		return cardNote(words.Get(a.opt.Lang, "adapter.dingtalk.card.already_decided", nil))
	}
	if req.GetActionString("action") == actionSubmit {
		r, _, err := a.submitForm(ctx, m, req, cmd) // cards_form.go: recorded under the card, not this frame
		if err != nil {
			return nil, a.notRecorded(ctx, m, err)
		}
		a.seen.add(event)
		return r, nil
	}
	to := target{conversation: channel, direct: direct, user: req.UserId}
	out, replies, err := a.decide(ctx, m)
	if err != nil {
		return nil, a.notRecorded(ctx, m, err)
	}
	a.seen.add(event)
	switch out {
	case clickDuplicate:
		return cardAck()
	case clickRefused:
		return cardNote(refusalText(replies))
	}
	if out == clickDecided && !staysOpen(req.OutTrackId) {
		update := a.decided(req, cmd)
		if update[varDecided] == "true" {
			a.markDecided(ctx, req.OutTrackId)
		}
		a.out.enqueue(channel, func() { a.updateCard(req.OutTrackId, update) })
	}
	if len(replies) > 0 {
		a.out.enqueue(channel, func() { a.deliverReplies(to, replies) })
	}
	return cardAck()
}

// decide has the engine act on a click: as a form submitted with the
// answers its command gives, when nothing required is left to ask;
// else as the command typed.
func (a *Adapter) decide(ctx context.Context, m bot.Message) (outcome, []bot.Reply, error) {
	if forms := a.forms(); forms != nil {
		form, err := forms.FormFor(ctx, m)
		if err != nil {
			return 0, nil, err
		}
		if a.drawsForm(form) {
			// Something to fill in: the form opens as a card of its own
			// (cards_form.go), this one left as it is.
			a.queueForm(m, form, m.Text)
			return clickAsked, nil, nil
		}
		if form != nil && !asks(form) {
			sub := bot.Submission{Form: form.Name, Target: form.Target, Values: map[string][]string{}}
			for k, v := range form.Given {
				sub.Values[k] = []string{v}
			}
			res, err := forms.Submit(ctx, m, sub)
			switch {
			case err != nil:
				return 0, nil, err
			case !res.OK():
				return clickRefused, problemReplies(res), nil
			case res.Replies == nil:
				return clickDuplicate, nil, nil
			}
			return clickDecided, res.Replies, nil
		}
		if form != nil {
			replies, err := a.opt.Handler.Handle(ctx, m)
			return clickAsked, replies, err
		}
	}
	replies, err := a.opt.Handler.Handle(ctx, m)
	switch {
	case err != nil:
		return 0, nil, err
	case replies == nil:
		return clickDuplicate, nil, nil
	case refusalText(replies) != "":
		return clickRefused, replies, nil
	}
	return clickDecided, replies, nil
}

// asks reports whether a form has a required question left, which a
// single tap cannot answer.
func asks(f *bot.Form) bool {
	for _, fld := range f.Fields {
		if fld.Required && fld.When == nil {
			return true
		}
	}
	return false
}

// problemReplies are a refused submission's problems as refusal replies,
// for refusalText to read.
func problemReplies(res bot.FormResult) []bot.Reply {
	var msgs []string
	for _, p := range res.Problems {
		msgs = append(msgs, p.Message)
	}
	refusal := &bot.Error{}
	if len(res.Problems) > 0 && res.Problems[0].Refusal != nil {
		refusal = res.Problems[0].Refusal
	}
	return []bot.Reply{{Body: strings.Join(msgs, "\n"), Refusal: refusal}}
}

// refusalText is the engine's refusal among replies, "" when there is none.
func refusalText(replies []bot.Reply) string {
	for _, r := range replies {
		if r.Refusal != nil {
			return strings.TrimSpace(strings.TrimPrefix(r.Body, "⚠️"))
		}
	}
	return ""
}

// notRecorded logs why a click was not recorded and leaves its frame
// for DingTalk to deliver again, as handle does for a message.
func (a *Adapter) notRecorded(ctx context.Context, m bot.Message, err error) error {
	level := slog.LevelError
	var r interface{ Redelivery() bool }
	switch {
	case errors.As(err, &r) && r.Redelivery():
		level = slog.LevelInfo
	case errors.Is(err, bot.ErrOverloaded):
		level = slog.LevelWarn
		if a.opt.Overloaded != nil {
			a.opt.Overloaded()
		}
	}
	a.log.Log(ctx, level, "card click not recorded; leaving it for redelivery", "event", m.EventID, "err", err)
	return errNotRecorded
}

// startTask is a task's start, after which its card offers "done".
var startTask = regexp.MustCompile(`^task (T-\d+) start$`)

// decided notes a card's decision and returns the variables that show
// it: the decision and who made it, and no buttons — but a started
// task's card goes on to offer finishing it.
func (a *Adapter) decided(req *card.CardRequest, cmd string) map[string]string {
	decision := strings.TrimSpace(req.GetActionString("label"))
	if decision == "" {
		decision = cmd
	}
	args := words.Args{"decision": decision, "name": a.name(req.UserId)}
	data := map[string]string{varDecided: "true"}
	for i := 1; i <= maxCardButtons; i++ {
		setButton(data, i, "", "", "")
	}
	if m := startTask.FindStringSubmatch(cmd); m != nil {
		data[varDecided] = "false"
		data[varStatus] = words.Get(a.opt.Lang, "adapter.dingtalk.card.started", args)
		setButton(data, 1, words.Get(a.opt.Lang, "adapter.dingtalk.card.done", nil), "task "+m[1]+" done", "primary")
		return data
	}
	data[varStatus] = words.Get(a.opt.Lang, "adapter.dingtalk.card.decided", args)
	a.book.decide(req.OutTrackId, data[varStatus])
	return data
}

// updateCard sends a card's new state, a few times if DingTalk throttles.
func (a *Adapter) updateCard(outTrackID string, data map[string]string) {
	api, ok := a.api.(cardsAPI)
	if !ok {
		return
	}
	work := a.workCtx()
	if work == nil {
		work = context.Background() // not running: a test calling the callback itself
	}
	ctx, cancel := context.WithTimeout(work, replyTimeout)
	defer cancel()
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = api.updateCard(ctx, outTrackID, data); err == nil {
			return
		}
		after, ok := bot.RetryAfter(err)
		if !ok {
			break
		}
		t := time.NewTimer(after)
		select {
		case <-ctx.Done():
			t.Stop()
			a.log.Error("card not updated", "card", outTrackID, "err", err)
			return
		case <-t.C:
		}
	}
	a.log.Error("card not updated", "card", outTrackID, "err", err)
}

// cardNote answers a click with a line only the person who clicked sees
// (the card's private data), the card otherwise unchanged.
func cardNote(text string) (*payload.DataFrameResponse, error) {
	r := payload.NewSuccessDataFrameResponse()
	err := r.SetJson(map[string]any{"response": card.CardResponse{
		CardUpdateOptions: &card.CardUpdateOptions{UpdatePrivateDataByKey: true},
		UserPrivateData:   &card.CardDataDto{CardParamMap: map[string]string{varNote: text}}}})
	return r, err
}
