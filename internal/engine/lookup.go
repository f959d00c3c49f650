package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

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
		return nil, wrongKind(bot.KindCollab, ref, err)
	}
	return s.tx.Collaboration(ctx, id)
}

// kindWords name each kind of identifier in a refusal.
var kindWords = map[bot.IDKind]string{bot.KindCollab: "refuse.id.kind_collab", bot.KindTask: "refuse.id.kind_task",
	bot.KindMeeting: "refuse.id.kind_meeting", bot.KindRisk: "refuse.id.kind_risk"}

// wrongKind is the refusal for ref, which should have been an identifier
// of kind: when it is one of another kind ("T-1" where a collaboration
// goes), it says so rather than only that it is not valid.
func wrongKind(kind bot.IDKind, ref string, err error) error {
	for _, k := range []bot.IDKind{bot.KindCollab, bot.KindTask, bot.KindMeeting, bot.KindRisk} {
		if _, perr := refOf(k, ref); k != kind && perr == nil {
			return bot.RefuseField(bot.CodeInvalid, "id", "refuse.id.wrong_kind", bot.Args{"value": ref,
				"kind": bot.Msg{Key: kindWords[k]}, "want": bot.Msg{Key: kindWords[kind]}, "example": string(kind) + "-3"})
		}
	}
	return err
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
		return nil, 0, wrongKind(kind, ref, err)
	}
	id, err := s.tx.CollabOf(ctx, kind, n)
	if err != nil {
		return nil, 0, err
	}
	c, err := s.tx.Collaboration(ctx, id)
	return c, n, err
}

// refArg finds the argument that names the item of kind a command is
// about: the first identifier of kind; else one of the first two words
// with text run into it ("COL-1，…") or meant as one but mistyped
// ("COL-l", "COL-0", "COL-1.5"); else, for a collaboration, an identifier
// of another kind typed first, where the collaboration's goes ("确认 T-1
// 承接"). The
// caller's parse refuses the last two by name: without them the command
// would fall back to the group's newest collaboration and act on one
// nobody named.
func refArg(in input, kind bot.IDKind) (string, int) {
	for i, a := range in.args {
		if _, err := refOf(kind, a); err == nil {
			return a, i
		}
	}
	// The guesses look only where the identifier goes — the first word,
	// or the second after a department ("确认 研发部 COL-l") — and not
	// past an identifier of any kind: further on, "M-2型号的服务器" or
	// "COL-1，…" is what someone wrote.
	for i, a := range in.args[:min(2, len(in.args))] {
		if isRef(a, bot.KindCollab, bot.KindTask, bot.KindMeeting, bot.KindRisk) {
			break
		}
		if ref, ok := refBefore(kind, a); ok {
			return ref, i
		}
		if meantAs(kind, a) {
			return a, i
		}
	}
	if kind == bot.KindCollab && isRef(in.arg(0), bot.KindTask, bot.KindMeeting, bot.KindRisk) {
		return in.arg(0), 0
	}
	return "", -1
}

// refBefore is the identifier of kind that a runs into after a comma or
// a colon ("COL-1，酒店协议价如何申请?", "COL-1,"). A full stop ends one
// only when no digit follows: "COL-1.5" is a mistyped reference, not COL-1.
func refBefore(kind bot.IDKind, a string) (string, bool) {
	for j, r := range a {
		if !strings.ContainsRune(",，、。.;；:：", r) {
			continue
		}
		if r == '.' && j+1 < len(a) && unicode.IsDigit(rune(a[j+1])) {
			return "", false
		}
		if _, err := refOf(kind, a[:j]); err == nil {
			return a[:j], true
		}
		return "", false
	}
	return "", false
}

// meantAs reports whether a looks typed as an identifier of kind, valid
// or not: the kind's letters followed by a dash ("COL-l", "COL--1",
// "COL-١") or by nothing but a number ("COL1.5", "COL0"). A word that only
// starts with the letters ("Tuesday", "M2M") is not one.
func meantAs(kind bot.IDKind, a string) bool {
	s := strings.ToUpper(strings.NewReplacer("－", "-", "—", "-", "–", "-").Replace(strings.TrimSpace(a)))
	rest, ok := strings.CutPrefix(s, string(kind))
	if !ok || rest == "" {
		return false
	}
	if rest[0] == '-' || rest[0] == '#' {
		return true
	}
	for i, r := range rest {
		if !unicode.IsNumber(r) && (i == 0 || !strings.ContainsRune(".,", r)) {
			return false
		}
	}
	return true
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
// the one named in the arguments, else the only one they speak for among
// those want accepts, else the only one they speak for at all — whose
// rule then says why it cannot be answered (already answered, not yet
// accepted) rather than that the speaker answers for none.
func (s *session) departmentFor(c *bot.Collaboration, in input, want func(bot.Acknowledgement) bool) (string, error) {
	if c.Status == bot.StatusInReview {
		// Departments are asked once the request passes first review.
		head := bot.PersonID("")
		if d, ok := s.dir.Department(c.RequestingDept); ok {
			head = d.Head
		}
		return "", bot.Refuse(bot.CodeWrongState, "refuse.ack.in_review",
			bot.Args{"ref": c.ID.String(), "department": c.RequestingDept, "head": bot.Who(head)})
	}
	for _, a := range in.args {
		if d, ok := s.dir.Department(a); ok {
			return d.Name, nil
		}
	}
	var mine, theirs []string
	var open bot.List
	for _, a := range c.Acks {
		if c.SpeaksFor(s.actor, a.Department) {
			theirs = append(theirs, a.Department)
		}
		if want(a) {
			open = append(open, bot.Msg{Key: "format.aside", Args: bot.Args{"item": a.Department, "text": bot.Who(a.Contact)}})
			if c.SpeaksFor(s.actor, a.Department) {
				mine = append(mine, a.Department)
			}
		}
	}
	switch {
	case len(mine) == 1:
		return mine[0], nil
	case len(mine) == 0 && len(theirs) == 1:
		return theirs[0], nil
	case len(mine) == 0 && len(open) == 0:
		return "", bot.Refuse(bot.CodeWrongState, "refuse.ack.none_waiting", bot.Args{"ref": c.ID.String()})
	case len(mine) == 0:
		return "", bot.Refuse(bot.CodeForbidden, "refuse.ack.not_your_department", bot.Args{"ref": c.ID.String(), "departments": open})
	}
	slices.Sort(mine)
	return "", bot.RefuseField(bot.CodeRequired, "department", "refuse.ack.which_of_yours", bot.Args{"departments": listOf(mine)})
}

// splitTarget reads a dialog target "COL-3/研发部".
func splitTarget(t string) (string, string) {
	ref, rest, _ := strings.Cut(t, "/")
	return ref, rest
}
