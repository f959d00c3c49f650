package engine

import (
	"context"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
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
	s.putAside("request", c.ID.String())
	d := &dialog{Form: "request", Target: c.ID.String(), Values: s.requestValues(c), Started: s.now, Pasted: true}
	if in.body != "" {
		// "修改 COL-1" with the changed lines pasted below it.
		s.paste(d, t, in.body)
	} else {
		s.say("正在修改 %s:发 `修改 <字段>` 改某项(例如 `修改 期望完成时间`),或粘贴要改的 `字段: 内容` 行;改好后 `确认`。",
			"Editing %s: send `edit <field>` to change one (e.g. `edit due`), or paste the `field: value` lines to change; then `confirm`.", c.ID)
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
	changes, err := c.EditRequest(s.dir, s.actor, s.request(d), s.now)
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
	s.say("✅ 已修改 %s:%s。", "✅ Edited %s: %s.", c.ID, joinList(s.lang, labels))
	if resubmit {
		s.submitted(c, "已重新提交", "Submitted again:")
	}
	return nil
}

// cmdResubmit sends a returned request to review again as it is.
func cmdResubmit(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error { return c.Submit(s.dir, s.actor, s.now) })
	if err != nil {
		return err
	}
	s.submitted(c, "✅ 已重新提交", "✅ Submitted again:")
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
	s.say("✅ 已从 %[2]s 移除%[1]s,并告知其对接人。", "✅ Removed %[1]s from %[2]s and told its contact.", dept, c.ID)
	if c.Status == bot.StatusActive {
		s.say("🎉 其余部门均已承接,%s 进入执行阶段。", "🎉 Every remaining department has accepted; %s is now active.", c.ID)
	} else if pending := c.PendingAcks(); len(pending) > 0 {
		var names []string
		for _, a := range pending {
			names = append(names, a.Department)
		}
		s.say("还在等:%s。", "Still waiting for: %s.", joinList(s.lang, names))
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
	c, err = s.change(ctx, c.ID.String(), func(c *bot.Collaboration) error { return c.ChangeContact(s.dir, s.actor, dept, who, s.now) })
	if err != nil {
		return err
	}
	if a, _ := c.Ack(dept); a.Status == bot.AckPending {
		s.say("✅ %s 的对接人改为 %s,已请其在 %s 前确认。", "✅ %s's contact is now %s, asked to acknowledge by %s.", dept, s.name(who), s.fmtTime(s.ackDue()))
		return nil
	}
	s.say("✅ %s 的对接人改为 %s。", "✅ %s's contact is now %s.", dept, s.name(who))
	return nil
}

// cmdCoordinator hands the coordination to someone else.
func cmdCoordinator(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	who, err := s.personArg(in, "coordinator")
	if err != nil {
		return err
	}
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error { return c.ChangeCoordinator(s.dir, s.actor, who, s.now) })
	if err != nil {
		return err
	}
	s.say("✅ %s 的总协调人改为 %s,已通知对方。", "✅ %s is now coordinated by %s, who has been told.", c.ID, s.name(who))
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
		return "", bot.Refuse(bot.CodeWrongState, c.ID.String()+" 没有答复“"+state.Label(bot.Chinese)+"”的部门。",
			c.ID.String()+" has no department that "+state.Label(bot.English)+".")
	}
	return "", bot.RefuseField(bot.CodeRequired, "department", "请写明部门:"+strings.Join(names, "、")+"。",
		"Name the department: "+strings.Join(names, ", ")+".")
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
var personLabels = map[string]bot.Text{"owner": {ZH: "直接责任人", EN: "Owner"},
	"contact": {ZH: "对接人", EN: "Contact"}, "coordinator": {ZH: "总协调人", EN: "Coordinator"}}

// cmdWaiting answers a bare "确认"/"confirm": what is waiting for this
// person's decision, each with the command that settles it.
func cmdWaiting(ctx context.Context, s *session) error {
	open := []bot.CollabStatus{bot.StatusInReview, bot.StatusRejected, bot.StatusAwaitingAck, bot.StatusActive, bot.StatusAccepting, bot.StatusRetrospective}
	list, err := s.tx.Collaborations(ctx, bot.Filter{Person: s.person.ID, Status: open})
	if err != nil {
		return err
	}
	if len(s.actor.HeadOf) > 0 || len(s.actor.ContactOf) > 0 {
		// Heads and configured contacts answer for requests that do not
		// name them.
		more, err := s.tx.Collaborations(ctx, bot.Filter{Departments: append(slices.Clip(s.actor.HeadOf), s.actor.ContactOf...),
			Status: []bot.CollabStatus{bot.StatusInReview, bot.StatusAwaitingAck}})
		if err != nil {
			return err
		}
		for _, c := range more {
			if !slices.ContainsFunc(list, func(x *bot.Collaboration) bool { return x.ID == c.ID }) {
				list = append(list, c)
			}
		}
	}
	var lines []string
	add := func(zh, en string, args ...any) { lines = append(lines, "• "+s.tr(zh, en, args...)) }
	for _, c := range list {
		id := c.ID.String()
		if c.Status == bot.StatusRejected && (c.Requester == s.person.ID || c.Coordinator == s.person.ID) {
			add("%s「%s」初审被退回:`修改 %s` 修改后自动重新提交,或 `重新提交 %s`", "%s “%s” was sent back in review: `edit %s` (it is resubmitted when you confirm) or `resubmit %s`",
				id, c.Request.Topic, id, id)
		}
		if c.Status == bot.StatusInReview && s.actor.Heads(c.RequestingDept) {
			add("%s「%s」待你初审:`初审 %s 通过` 或 `初审 %s 驳回 <意见>`", "%s “%s” waits for your review: `review %s approve` or `review %s reject <comments>`", id, c.Request.Topic, id, id)
		}
		for _, a := range c.Acks {
			if a.Status == bot.AckPending && c.SpeaksFor(s.actor, a.Department) {
				add("%s「%s」待%s确认:`确认 %s 承接`、`确认 %s 无法承接` 或 `确认 %s 需补充信息`", "%s “%s” waits for %s to acknowledge: `ack %s accept`, `ack %s decline` or `ack %s info`",
					id, c.Request.Topic, a.Department, id, id, id)
			}
			if a.Status == bot.AckNeedsInfo && (c.Requester == s.person.ID || c.Coordinator == s.person.ID) {
				add("%s:%s问“%s”,用 `补充 %s %s <答复>` 回答", "%s: %s asks “%s”; answer with `answer %s %s <text>`", id, a.Department, a.Question, id, a.Department)
			}
			if a.Status == bot.AckDeclined && (c.Requester == s.person.ID || c.Coordinator == s.person.ID) {
				add("%s:%s无法承接(%s),可 `移除部门 %s %s` 或 `对接人 %s %s @某人`", "%s: %s declined (%s); `drop %s %s` or `contact %s %s @someone`",
					id, a.Department, a.Reason, id, a.Department, id, a.Department)
			}
		}
		for _, m := range c.Meetings {
			if m.Minutes != nil && !m.Cancelled && slices.Contains(m.Unconfirmed(), s.person.ID) {
				add("%s 的会议纪要待你确认:`确认 %s`", "The minutes of %s wait for your confirmation: `confirm %s`", m.ID, m.ID)
			}
		}
		for _, t := range c.Tasks {
			if t.DueRequest != nil && t.Open() && c.CanReplan(s.actor, t) {
				add("%s「%s」申请改期到 %s:`任务 %s 同意` 或 `任务 %s 拒绝 <原因>`", "%s “%s” asks to move to %s: `task %s approve` or `task %s refuse <reason>`",
					t.ID, t.Title, s.fmtTime(t.DueRequest.Due), t.ID, t.ID)
			}
		}
		if c.Status == bot.StatusAccepting && (c.Requester == s.person.ID || c.Coordinator == s.person.ID) {
			add("%s 的成果待你验收:`验收 %s 通过` 或 `验收 %s 不通过`", "The deliverables of %s wait for your decision: `accept %s pass` or `accept %s fail`", id, id, id)
		}
	}
	if len(lines) == 0 {
		s.say("现在没有等你确认的事项。", "Nothing is waiting for your confirmation.")
		return nil
	}
	s.reply(bot.Reply{Title: s.tr("待你确认", "Waiting for you"), Body: strings.Join(lines, "\n")})
	return nil
}
