package engine

import (
	"context"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

// Corrections of a collaboration as a whole: the request, its
// departments and contacts, its coordinator. Each command refuses early
// what the rule would refuse, so nobody fills in a form for nothing.

// cmdEdit opens the request form filled with the request as it stands;
// confirming it records the changes, and a request that was sent back in
// review goes back to review.
func cmdEdit(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	if err := c.MayEdit(s.actor); err != nil {
		return err
	}
	t, _ := s.e.Forms.Get("request")
	d := &dialog{Form: "request", Target: c.ID.String(), Values: s.requestValues(c), Started: s.now, Pasted: true}
	if s.describing {
		return s.describe(d, true, in.body)
	}
	s.putAside("request", c.ID.String(), true) // the record's answers, filled in anew
	if !c.Status.Editable() {
		// Every department accepted: say up front what may still change.
		s.sayKey("reply.edit.started_wording", words.Args{"ref": c.ID})
	}
	if in.body != "" {
		// "修改 COL-1" with the changed lines pasted below it.
		s.paste(ctx, d, t, in.body)
	} else {
		s.sayKey("reply.edit.started", words.Args{"ref": c.ID})
	}
	s.advance(d, t)
	return s.present(ctx, d, t)
}

// commitEdit applies a confirmed edit of the request; a request that was
// sent back is submitted again at once.
func commitEdit(ctx context.Context, s *session, d *dialog) error {
	c, err := s.collab(ctx, d.Target)
	if err != nil {
		return err
	}
	req, err := s.request(d)
	if err != nil {
		return err
	}
	before := slices.Clone(c.Acks)
	changes, err := c.EditTypedRequest(s.dir, s.actor, req, s.typeOf(c), s.now)
	if err != nil {
		return err
	}
	resubmit := c.Status == bot.StatusRejected || c.Status == bot.StatusDraft
	if resubmit {
		if err := c.Submit(s.dir, s.actor, s.now); err != nil {
			return err
		}
	}
	if err := s.tx.Save(ctx, c); err != nil {
		return err
	}
	t, _ := s.e.Forms.Get("request")
	var labels []string
	for _, ch := range changes {
		if f, ok := t.Field(ch.Field); ok {
			labels = append(labels, f.Label.In(s.lang))
		} else {
			labels = append(labels, ch.Field)
		}
	}
	s.sayKey("reply.edit.done", words.Args{"ref": c.ID, "fields": joinList(s.lang, labels)})
	if again := askedAgain(before, c.Acks); len(again) > 0 {
		s.sayKey("reply.edit.asked_again", words.Args{"departments": joinList(s.lang, again)})
	}
	if resubmit {
		s.submitted(c, s.w("reply.submitted.again", nil))
	}
	return nil
}

// askedAgain names the departments an edit asked anew: they had
// answered (accepted, declined, asked) or had another contact, and are
// now waiting to be asked.
func askedAgain(before, after []bot.Acknowledgement) []string {
	var out []string
	for _, a := range after {
		i := slices.IndexFunc(before, func(b bot.Acknowledgement) bool { return b.Department == a.Department })
		if i >= 0 && a.Status == bot.AckPending && (before[i].Status != bot.AckPending || before[i].Contact != a.Contact) {
			out = append(out, a.Department)
		}
	}
	return out
}

// cmdResubmit sends a returned request to review again as it is.
func cmdResubmit(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error { return c.Submit(s.dir, s.actor, s.now) })
	if err != nil {
		return err
	}
	s.submitted(c, s.w("reply.submitted.again_ok", nil))
	return nil
}

// cmdDrop removes a department that declined.
func cmdDrop(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	dept, err := s.departmentArg(c, in, bot.AckDeclined)
	if err != nil {
		return err
	}
	c, err = s.change(ctx, c.ID.String(), func(c *bot.Collaboration) error { return c.DropDepartment(s.actor, dept, s.now) })
	if err != nil {
		return err
	}
	s.sayKey("reply.drop.done", words.Args{"department": dept, "ref": c.ID})
	if c.Status == bot.StatusActive {
		s.sayKey("reply.drop.all_accepted", words.Args{"ref": c.ID})
	} else if pending := c.PendingAcks(); len(pending) > 0 {
		var names []string
		for _, a := range pending {
			names = append(names, a.Department)
		}
		s.sayKey("reply.drop.still_waiting", words.Args{"departments": joinList(s.lang, names)})
	}
	return nil
}

// cmdContact has another person answer for a department.
func cmdContact(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	dept, err := s.departmentArg(c, in, "")
	if err != nil {
		return err
	}
	who, err := s.personArg(in, "contact")
	if err != nil {
		return err
	}
	named, _ := c.Ack(dept)
	c, err = s.change(ctx, c.ID.String(), func(c *bot.Collaboration) error { return c.ChangeContact(s.dir, s.actor, dept, who, s.now) })
	if err != nil {
		return err
	}
	if named.Contact == who { // the same contact named again: asked anew
		s.sayKey("reply.contact.asked_again", words.Args{"department": dept, "contact": s.name(who), "due": s.fmtTime(s.ackDue())})
		return nil
	}
	if a, _ := c.Ack(dept); a.Status == bot.AckPending {
		s.sayKey("reply.contact.changed_ask", words.Args{"department": dept, "contact": s.name(who), "due": s.fmtTime(s.ackDue())})
		return nil
	}
	s.sayKey("reply.contact.changed", words.Args{"department": dept, "contact": s.name(who)})
	return nil
}

// cmdCoordinator hands the coordination to someone else.
func cmdCoordinator(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	who, err := s.personArg(in, "coordinator")
	if err != nil {
		return err
	}
	var before bot.PersonID
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error {
		before = c.Coordinator
		return c.ChangeCoordinator(s.dir, s.actor, who, s.now)
	})
	if err != nil {
		return err
	}
	if who == s.actor.Person { // taking it back: the one told is who had it
		s.sayKey("reply.coordinator.changed_self", words.Args{"ref": c.ID, "before": s.name(before)})
		return nil
	}
	s.sayKey("reply.coordinator.changed", words.Args{"ref": c.ID, "coordinator": s.name(who)})
	return nil
}

// departmentArg is the assisting department named in the arguments, or
// the only one in state (when state is not "").
func (s *session) departmentArg(c *bot.Collaboration, in input, state bot.AckStatus) (string, error) {
	for _, a := range in.args {
		if d, ok := s.dir.Department(a); ok {
			return d.Name, nil
		}
	}
	var names []string
	for _, a := range c.Acks {
		if state == "" || a.Status == state {
			names = append(names, a.Department)
		}
	}
	if state != "" && len(names) == 1 {
		return names[0], nil
	}
	if len(names) == 0 {
		return "", bot.Refuse(bot.CodeWrongState, "refuse.correction.no_department_in_state", bot.Args{"ref": c.ID.String(), "state": state.LabelText()})
	}
	return "", bot.RefuseField(bot.CodeRequired, "department", "refuse.correction.which_department", bot.Args{"departments": listOf(names)})
}

// personArg reads the person named in a command (@-mention, name or id).
func (s *session) personArg(in input, field string) (bot.PersonID, error) {
	var words []string
	for _, a := range in.args {
		if _, ok := s.dir.Department(a); ok || isRef(a, bot.KindCollab, bot.KindTask, bot.KindMeeting, bot.KindRisk) {
			continue
		}
		words = append(words, a)
	}
	f := &forms.Field{Key: field, Label: personLabels[field], Type: forms.TypePerson, Required: true}
	v, err := f.Parse(s.formContext(), strings.Join(words, " "))
	if err != nil {
		return "", err
	}
	return forms.Values{field: v}.Person(field), nil
}

// personLabels name the person a command needs, for its refusals.
var personLabels = map[string]bot.Text{"owner": words.Text("label.owner", nil),
	"contact": words.Text("label.contact", nil), "coordinator": words.Text("label.coordinator", nil)}

// workWait words what a collaboration waits for someone to do rather
// than decide (answer a risk, rework, the retrospective, the archive),
// with the command that does it: the waiting list and "my tasks" both
// show it.
func (s *session) workWait(c *bot.Collaboration, w bot.Wait) (string, words.Args) {
	a := words.Args{"ref": c.ID, "topic": c.Request.Topic}
	switch w.Kind {
	case bot.WaitRisk:
		a["risk"], a["title"] = w.Risk, bot.Truncate(w.Title, maxQuote)
	case bot.WaitRedeliver:
		a["due"] = s.fmtTime(w.Due)
	}
	return "reply.pending." + string(w.Kind), a
}

// cmdWaiting answers a bare "确认"/"confirm": what is waiting for this
// person's decision, each with the command that settles it.
func cmdWaiting(ctx context.Context, s *session) error {
	list, err := waitingCollabs(ctx, s.tx, s.actor)
	if err != nil {
		return err
	}
	var lines []string
	add := func(key string, args words.Args) { lines = append(lines, "• "+s.w(key, args)) }
	for _, c := range list {
		id := c.ID.String()
		for _, w := range c.WaitsFor(s.actor) {
			switch w.Kind {
			case bot.WaitRework:
				add("reply.pending.sent_back", words.Args{"ref": id, "topic": c.Request.Topic})
			case bot.WaitReview:
				add("reply.pending.review", words.Args{"ref": id, "topic": c.Request.Topic})
			case bot.WaitAck:
				add("reply.pending.ack", words.Args{"ref": id, "topic": c.Request.Topic, "department": w.Department})
			case bot.WaitQuestion:
				add("reply.pending.question", words.Args{"ref": id, "department": w.Department, "question": w.Question})
			case bot.WaitDeclined:
				key := "reply.pending.declined"
				if c.Has(bot.StepApproval) {
					key = "reply.pending.declined_approval" // only the head decides: no other contact to name
				}
				add(key, words.Args{"ref": id, "department": w.Department, "reason": w.Reason})
			case bot.WaitMinutes:
				add("reply.pending.minutes", words.Args{"meeting": w.Meeting})
			case bot.WaitDueChange:
				add("reply.pending.due_change", words.Args{"task": w.Task, "title": w.Title, "due": s.fmtTime(w.Due)})
			case bot.WaitTaskConfirmation:
				add("reply.pending.task_confirmation", words.Args{"task": w.Task, "title": w.Title, "owner": s.name(w.Owner)})
			case bot.WaitAcceptance:
				add("reply.pending.acceptance", words.Args{"ref": id})
			case bot.WaitRisk, bot.WaitRedeliver, bot.WaitRetrospective, bot.WaitArchive:
				add(s.workWait(c, w))
			default:
				if key, a, ok := s.stepWait(c, w); ok {
					add(key, a)
				}
			}
		}
	}
	if len(lines) == 0 {
		s.sayKey("reply.pending.none", nil)
		return nil
	}
	s.reply(bot.Reply{Title: s.w("reply.pending.title", nil), Body: strings.Join(lines, "\n")})
	return nil
}
