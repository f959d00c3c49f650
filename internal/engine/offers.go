package engine

import (
	"context"
	"errors"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// An offer is a question the bot asks in passing ("did you mean
// 资源协调申请?"): the reply right after it may be a bare 是/yes, which
// runs the command offered, or 取消/no, which drops it. It is kept with
// the person's forms (conversation) and lives for one message only:
// whatever else comes next is read as if nothing had been asked.
type offer struct {
	Command string    `json:"command"` // what 是/yes runs, in the router's words ("new resource")
	At      time.Time `json:"at"`
}

var (
	wordsYes = []string{"是", "是的", "好", "好的", "对", "对的", "嗯", "行", "可以", "要",
		"yes", "y", "ok", "okay", "sure", "yep", "yeah"}
	wordsNo = append([]string{"不", "不是", "不用", "不要", "否", "算了", "no", "n", "nope"}, wordsCancel...)
)

// answerOffer takes the message as the answer to the offer the last
// reply made, if it is one. The offer is spent either way.
func (s *session) answerOffer(ctx context.Context, text string) (bool, error) {
	o := s.conv.Offer
	if o == nil {
		return false, nil
	}
	s.conv.Offer = nil
	if s.open != nil || s.now.Sub(o.At) > s.e.Idle {
		return false, s.persist(ctx)
	}
	switch {
	case is(text, wordsYes):
		name, in, _ := s.e.parse(o.Command)
		cmd, ok := s.e.lookup(name)
		if !ok {
			return false, s.persist(ctx)
		}
		if err := s.persist(ctx); err != nil {
			return true, err
		}
		return true, cmd.run(ctx, s, in)
	case is(text, wordsNo):
		s.sayKey("reply.unknown.type_offer_dropped", nil)
		return true, s.persist(ctx)
	}
	return false, s.persist(ctx)
}

// offerType answers a misspelt type with the types there are and offers
// the one it nearly names: 是/yes then files it. Where nothing can be
// kept for the next message (a form is open, the form is only being
// described) it is the refusal alone.
func (s *session) offerType(ctx context.Context, refusal error, t bot.TypeDef) error {
	var r *bot.Error
	if s.describing || s.conv == nil || s.open != nil || !errors.As(refusal, &r) {
		return refusal
	}
	s.reply(bot.Reply{Body: "⚠️ " + s.refusal(r), Refusal: r})
	s.sayKey("reply.unknown.type_offer", words.Args{"suggestion": t.Label})
	s.conv.Offer = &offer{Command: "new " + t.Name, At: s.now}
	return s.persist(ctx)
}
