package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
)

// collab loads the collaboration a command names. Without an identifier,
// in a group chat it is the collaboration filed there.
func (s *session) collab(ctx context.Context, ref string) (*bot.Collaboration, error) {
	if ref == "" {
		return s.groupCollab(ctx)
	}
	id, err := bot.ParseCollabID(ref)
	if err != nil {
		return nil, err
	}
	return s.tx.Collaboration(ctx, id)
}

// readable is the collaboration ref names when the person may read it:
// they take part in it, head or answer for one of its departments, or
// lead (bot.Collaboration.VisibleTo, the web board's rule), or they ask in
// its own group chat. Anyone else is told it does not exist, as the board
// does, so a guessed number reveals nothing of another team's work.
func (s *session) readable(ctx context.Context, ref string) (*bot.Collaboration, error) {
	c, err := s.collab(ctx, ref)
	if err != nil {
		return nil, err
	}
	if c.VisibleTo(s.actor) || (!s.msg.Direct && c.Group == s.group()) {
		return c, nil
	}
	return nil, bot.Refuse(bot.CodeNotFound, "refuse.not_found", bot.Args{"ref": c.ID.String()})
}

func (s *session) groupCollab(ctx context.Context) (*bot.Collaboration, error) {
	if !s.msg.Direct {
		// The newest one not closed, found by the group's index.
		list, err := s.tx.Collaborations(ctx, bot.Filter{Group: s.group(), Status: notClosed, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(list) > 0 {
			return list[0], nil
		}
	}
	return nil, bot.RefuseField(bot.CodeRequired, "id", "refuse.id.which_collaboration", nil)
}

// notClosed are the statuses in which something can still happen.
var notClosed = []bot.CollabStatus{bot.StatusDraft, bot.StatusInReview, bot.StatusAwaitingAck, bot.StatusActive,
	bot.StatusAccepting, bot.StatusRetrospective, bot.StatusRejected}

// group names the chat the message came from, as collaborations record it.
func (s *session) group() string { return string(s.msg.Platform) + ":" + s.msg.Channel }

// owner loads the collaboration a task, meeting or risk belongs to.
func (s *session) owner(ctx context.Context, kind bot.IDKind, ref string) (*bot.Collaboration, int64, error) {
	n, err := refOf(kind, ref)
	if err != nil {
		return nil, 0, err
	}
	id, err := s.tx.CollabOf(ctx, kind, n)
	if err != nil {
		return nil, 0, err
	}
	c, err := s.tx.Collaboration(ctx, id)
	return c, n, err
}

// refArg finds the first argument that is an identifier of kind.
func refArg(in input, kind bot.IDKind) (string, int) {
	for i, a := range in.args {
		if _, err := refOf(kind, a); err == nil {
			return a, i
		}
	}
	return "", -1
}

// probe runs a rule on a copy of the collaboration with placeholder
// answers, to refuse a form before anyone fills it in when the person may
// not do this at all, or not now. Refusals about the answers themselves
// are for later.
func probe(c *bot.Collaboration, try func(*bot.Collaboration) error) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("engine: copy %s: %w", c.ID, err)
	}
	clone := new(bot.Collaboration)
	if err := json.Unmarshal(raw, clone); err != nil {
		return fmt.Errorf("engine: copy %s: %w", c.ID, err)
	}
	err = try(clone)
	switch bot.ErrorCode(err) {
	case bot.CodeForbidden, bot.CodeWrongState, bot.CodeArchived, bot.CodeAlreadyDone, bot.CodeNotFound:
		return err
	}
	return nil
}

// placeholderID numbers the records probes create; it never reaches the store.
const placeholderID = 1 << 40

// departmentFor picks the assisting department the speaker answers for:
// the one named in the arguments, else the only one they speak for.
func (s *session) departmentFor(c *bot.Collaboration, in input, want func(bot.Acknowledgement) bool) (string, error) {
	for _, a := range in.args {
		if d, ok := s.dir.Department(a); ok {
			return d.Name, nil
		}
	}
	var mine, open []string
	for _, a := range c.Acks {
		if want(a) {
			open = append(open, a.Department+"("+s.name(a.Contact)+")")
			if c.SpeaksFor(s.actor, a.Department) {
				mine = append(mine, a.Department)
			}
		}
	}
	switch len(mine) {
	case 1:
		return mine[0], nil
	case 0:
		if len(open) == 0 {
			return "", bot.Refuse(bot.CodeWrongState, "refuse.ack.none_waiting", bot.Args{"ref": c.ID.String()})
		}
		return "", bot.Refuse(bot.CodeForbidden, "refuse.ack.not_your_department", bot.Args{"ref": c.ID.String(), "departments": listOf(open)})
	}
	slices.Sort(mine)
	return "", bot.RefuseField(bot.CodeRequired, "department", "refuse.ack.which_of_yours", bot.Args{"departments": listOf(mine)})
}

// splitTarget reads a dialog target "COL-3/研发部".
func splitTarget(t string) (string, string) {
	ref, rest, _ := strings.Cut(t, "/")
	return ref, rest
}
