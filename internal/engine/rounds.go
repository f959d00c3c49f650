package engine

import (
	"context"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// A decision form (a review, a department's answer, a signature, a plan's
// approval, a verdict) answers one round of its question. A round that
// started again after the form was opened — a request resubmitted, a
// refused signature asked anew, a rework delivered — is a new question:
// the old form's answer was given to the round before and must not settle
// this one.

// decisions are the forms that decide a round: once one is submitted,
// any other copy of it about the same thing (a draft) has nothing left to
// decide.
var decisions = map[string]bool{"review": true, "acknowledgement": true, "signoff": true, "plan_decision": true, "acceptance": true}

// roundOf is when the round a decision form answers began: zero for a
// form that answers no round.
func roundOf(c *bot.Collaboration, form, dept string) time.Time {
	switch form {
	case "review":
		return c.SubmittedAt
	case "acknowledgement":
		if a, ok := c.Ack(dept); ok {
			return a.AskedAt
		}
	case "signoff":
		if c.Consensus != nil {
			for _, so := range c.Consensus.Signoffs {
				if so.Department == dept {
					return so.AskedAt
				}
			}
		}
	case "plan_decision":
		if pl := c.PlanApproval.Plan(dept); pl != nil {
			return pl.SubmittedAt
		}
	case "acceptance":
		if n := len(c.Deliveries); n > 0 {
			return c.Deliveries[n-1].At
		}
	}
	return time.Time{}
}

// outlived reports whether d was opened before the round it would decide
// began, and if so drops it, saying why and how to answer the new round.
// A form of the same round (or one that answers none) is not outlived.
func (s *session) outlived(ctx context.Context, d *dialog) (bool, error) {
	if d.Started.IsZero() || d.Target == "" {
		return false, nil
	}
	ref, dept := splitTarget(d.Target)
	if _, err := bot.ParseCollabID(ref); err != nil {
		return false, nil // about a task, a meeting or a risk: no rounds
	}
	c, err := s.collab(ctx, ref)
	if err != nil {
		return false, nil // the action says what is wrong with it
	}
	since := roundOf(c, d.Form, dept)
	if since.IsZero() || !since.After(d.Started) {
		return false, nil
	}
	s.sayKey("reply.form.outlived", words.Args{"form": d.label(s), "ref": c.ID, "since": s.fmtTime(since),
		"command": strings.ReplaceAll(s.w(openedBy[d.Form], nil), "COL-n", c.ID.String())})
	return true, s.endDialog(ctx)
}
