package engine

import (
	"context"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

// Accepting an acknowledgement takes one tap: the scope, resources and
// risks are optional, and may be added afterwards with
// `ack COL-n [department] details` (`确认 COL-n 详情`), which the reply to
// an acceptance without them offers as a button.

var detailsWords = []string{"details", "detail", "详情", "补充详情"}

func isDetailsWord(a string) bool {
	for _, w := range detailsWords {
		if strings.EqualFold(a, w) {
			return true
		}
	}
	return false
}

// ackDetails opens the acceptance's details for the department the
// person accepted for; what follows the word answers the form.
func ackDetails(ctx context.Context, s *session, c *bot.Collaboration, in input, skip int) error {
	dept, err := s.departmentFor(c, in, func(a bot.Acknowledgement) bool { return a.Status == bot.AckAccepted })
	if err != nil {
		return err
	}
	// The rule refuses early what it would refuse on submission.
	if err := probe(c, func(c *bot.Collaboration) error {
		return c.AddAckDetails(s.actor, dept, bot.Answer{Decision: bot.AckAccepted, Scope: "?"}, s.now)
	}); err != nil {
		return err
	}
	s.details = true
	return s.startForm(ctx, "acknowledgement", c.ID.String()+"/"+dept, forms.Values{"decision": "accept"}, in.form(skip))
}

// accepted adds details to an acceptance already given: an acceptance
// form whose department has accepted is its details. It reports whether
// it was.
func (s *session) accepted(ctx context.Context, ref, dept string, ans bot.Answer) (bool, error) {
	if ans.Decision != bot.AckAccepted {
		return false, nil
	}
	c, err := s.collab(ctx, ref)
	if err != nil {
		return false, err
	}
	if a, ok := c.Ack(dept); !ok || a.Status != bot.AckAccepted {
		return false, nil
	}
	c, err = s.change(ctx, ref, func(c *bot.Collaboration) error { return c.AddAckDetails(s.actor, dept, ans, s.now) })
	if err != nil {
		return true, err
	}
	s.sayKey("reply.ack.details_added", words.Args{"department": dept, "ref": c.ID})
	if ans.RiskID != 0 {
		s.sayKey("reply.ack.risks_registered", words.Args{"risk": ans.RiskID})
	}
	return true, nil
}

// offerDetails puts an "add details" button on the last reply.
func (s *session) offerDetails(ref, dept string) {
	if len(s.out) == 0 {
		return
	}
	last := &s.out[len(s.out)-1]
	last.Buttons = append(last.Buttons, s.e.buttons([]action{button("button.add_details", "ack "+ref+" "+dept+" details", "")}, s.lang)...)
}
