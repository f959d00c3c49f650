package engine

import (
	"context"
	"errors"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// tooLong answers a message over MaxMessageBytes: a polite refusal in the
// speaker's language, recorded as the event's outcome so that each
// platform retry of it (Slack redelivers what it thinks unanswered) is
// recognised as a duplicate and not refused again. Nothing else is
// stored: no person is registered, no dialog touched.
func (e *Engine) tooLong(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	event := ""
	if m.EventID != "" {
		event = string(m.Platform) + ":" + m.EventID
	}
	lang := e.Lang
	err := e.Store.Apply(ctx, m.Workspace, event, func(tx bot.Tx) error {
		lang = e.speakerLang(ctx, tx, m)
		return nil
	})
	log := e.Log.With("workspace", m.Workspace, "platform", m.Platform, "channel", m.Channel, "event", m.EventID)
	switch {
	case errors.Is(err, bot.ErrDuplicateEvent):
		log.Info("duplicate oversize event ignored")
		if e.Observer != nil {
			e.Observer.Duplicate(m.Platform)
		}
		return nil, nil
	case err != nil:
		// Not recorded: answered all the same, and the error lets the
		// adapter leave the event for a redelivery that may record it.
		log.Warn("recording an oversize event", "err", err)
	default:
		log.Info("oversize message refused", "bytes", len(m.Text))
	}
	return []bot.Reply{{Body: words.Get(lang, "reply.too_long", words.Args{"kb": len(m.Text) >> 10, "limit": MaxMessageBytes >> 10})}}, err
}

// speakerLang is the language the sender reads, found without
// registering anyone: their own setting, their configured language, the
// workspace's.
func (e *Engine) speakerLang(ctx context.Context, tx bot.Tx, m bot.Message) bot.Lang {
	var p bot.Person
	var ok bool
	if m.From.Platform == bot.Console {
		p, ok = e.Directory.Person(bot.PersonID(m.From.ID))
	}
	if !ok {
		p, ok = e.Directory.ByIdentity(m.From.Platform, m.From.ID)
	}
	if !ok {
		if p, ok, _ = tx.PersonByIdentity(ctx, m.From); !ok {
			return e.Lang
		}
	}
	s, err := tx.Settings(ctx, p.ID)
	if err != nil {
		return firstLang(p.Lang, e.Lang)
	}
	return firstLang(s.Lang, p.Lang, e.Lang)
}
