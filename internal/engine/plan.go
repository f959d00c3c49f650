package engine

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

// The plan's items — tasks, meetings, risks — each have a command with
// sub-commands: "task add COL-3" opens the form; "task T-3 <word> …" acts
// on a task. The words are tables, one line per sub-command.

// sub is one sub-command of an item: its words in both languages, its
// arguments for help, and what it does to the item n of collaboration c.
// rest is the text after the sub-command's word.
type sub struct {
	words []string
	usage bot.Text
	run   func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error
}

// runSub finds the item named by the first argument and runs the
// sub-command named by the second.
func runSub(ctx context.Context, s *session, in input, kind bot.IDKind, subs []sub, usage string) error {
	ref, i := refArg(in, kind)
	if ref == "" || i != 0 {
		return bot.RefuseField(bot.CodeRequired, "id", usage, nil)
	}
	word := strings.ToLower(in.arg(1))
	for _, sc := range subs {
		if !slices.Contains(sc.words, word) {
			continue
		}
		c, n, err := s.owner(ctx, kind, ref)
		if err != nil {
			return err
		}
		rest := input{args: in.args[min(2, len(in.args)):], rest: in.form(2)}
		return sc.run(ctx, s, c, n, rest)
	}
	var actions bot.List // in the speaker's language
	for _, sc := range subs {
		w := sc.words[0] // English first, then Chinese
		if s.lang == bot.Chinese && len(sc.words) > 1 {
			w = sc.words[1]
		}
		actions = append(actions, "`"+w+"`")
	}
	return bot.RefuseField(bot.CodeInvalid, "action", "refuse.plan.unknown_action", bot.Args{"action": in.arg(1), "ref": ref, "actions": actions})
}

// saveKey stores the collaboration and says what happened: the
// catalogue's text key.
func (s *session) saveKey(ctx context.Context, c *bot.Collaboration, key string, args words.Args) error {
	if err := s.tx.Save(ctx, c); err != nil {
		return err
	}
	s.sayKey(key, args)
	return nil
}

// --- tasks ---

func cmdTask(ctx context.Context, s *session, in input) error {
	if slices.Contains(addWords, strings.ToLower(in.arg(0))) {
		return addTask(ctx, s, in)
	}
	if isRef(in.arg(0), bot.KindCollab) {
		return taskConfirmationSwitch(ctx, s, in)
	}
	return runSub(ctx, s, in, bot.KindTask, taskSubs, "help.task.usage")
}

var taskSubs = []sub{
	status("start", "开始", bot.TaskInProgress),
	status("help", "求助", bot.TaskNeedsHelp),
	status("block", "阻塞", bot.TaskBlocked),
	status("done", "完成", bot.TaskDone),
	status("reopen", "重开", bot.TaskTodo),
	{[]string{"due", "改期", "调整截止", "截止"}, words.Text("help.task.due", nil), taskDue},
	{[]string{"ask-due", "申请改期", "申请调整计划", "申请调整"}, words.Text("help.task.ask_due", nil), taskAskDue},
	{[]string{"approve", "同意", "批准"}, words.Text("help.task.approve", nil), taskDecide(true)},
	{[]string{"refuse", "拒绝", "驳回"}, words.Text("help.task.refuse", nil), taskDecide(false)},
	{[]string{"owner", "转交", "负责人", "责任人"}, words.Text("help.task.owner", nil), taskOwner},
	{[]string{"dept", "部门", "department", "责任部门"}, words.Text("help.task.dept", nil), taskDept},
	revise("title", words.Text("help.task.rename", nil), "rename", "改名", "title", "名称", "任务名称"),
	revise("standard", words.Text("help.task.standard", nil), "standard", "标准", "交付标准", "验收标准"),
	revise("description", words.Text("help.task.describe", nil), "describe", "描述", "description", "任务描述"),
	{[]string{"cancel", "取消", "撤销"}, words.Text("help.task.cancel", nil), taskCancel},
}

func addTask(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	if err := probe(c, func(c *bot.Collaboration) error {
		return c.AddTask(s.dir, s.actor, bot.Task{ID: placeholderID, Title: "x", Owner: s.person.ID,
			Department: s.actor.PrimaryDepartment(), Due: s.now.AddDate(0, 0, 1), Standard: "x"}, s.now)
	}); err != nil {
		return err
	}
	skip := 1
	if ref != "" {
		skip = 2
	}
	return s.startForm(ctx, "task", c.ID.String(), nil, in.form(skip))
}

// status is "task T-3 done [note]" and the like.
func status(en, zh string, to bot.TaskStatus) sub {
	names := []string{en, zh}
	if to == bot.TaskTodo {
		names = append(names, "todo")
	}
	return sub{names, words.Text("help.task.status", words.Args{"word": bot.Text{ZH: zh, EN: en}}),
		func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
			id := bot.TaskID(n)
			if err := c.SetTaskStatus(s.actor, id, to, rest.rest, s.now); err != nil {
				return err
			}
			t, _ := c.Task(id)
			// The reply confirms what was set: an overdue task stays red on
			// the board, which the reply adds rather than answering 延期.
			key := "reply.task.status_set"
			if t.Overdue(s.now) {
				key = "reply.task.status_set_overdue"
			}
			if err := s.saveKey(ctx, c, key, words.Args{"task": t.ID, "title": t.Title, "status": t.Status.Label(s.lang), "due": s.fmtTime(t.Due)}); err != nil {
				return err
			}
			if to == bot.TaskNeedsHelp || to == bot.TaskBlocked {
				s.sayKey("reply.task.coordinator_told", words.Args{"coordinator": s.name(c.Coordinator)})
			}
			return nil
		}}
}

func taskDue(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.TaskID(n)
	t, err := c.Task(id)
	if err != nil {
		return err
	}
	if !c.CanReplan(s.actor, t) && s.person.ID == t.Owner {
		// The owner's "改期" is a request: the coordinator decides.
		return taskAskDue(ctx, s, c, n, rest)
	}
	due, reason, err := s.dateThen(rest.rest, false)
	if err != nil {
		return err
	}
	if err := c.MoveTask(s.actor, id, due, reason, 0, s.now); err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.task.due_moved", words.Args{"id": id, "due": s.fmtTime(due)})
}

func taskAskDue(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.TaskID(n)
	due, reason, err := s.dateThen(rest.rest, false)
	if err != nil {
		return err
	}
	if err := c.RequestDueChange(s.actor, id, due, reason, s.now); err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.task.due_change_asked", words.Args{"id": id, "due": s.fmtTime(due), "coordinator": s.name(c.Coordinator)})
}

func taskDecide(approve bool) func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	return func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
		id := bot.TaskID(n)
		t, err := c.Task(id)
		if err != nil {
			return err
		}
		var owner bot.PersonID
		if t.DueRequest != nil {
			owner = t.DueRequest.By
		}
		if err := c.DecideDueChange(s.actor, id, approve, rest.rest, s.now); err != nil {
			return err
		}
		if approve {
			return s.saveKey(ctx, c, "reply.task.due_change_approved", words.Args{"id": id, "due": s.fmtTime(t.Due), "owner": s.name(owner)})
		}
		return s.saveKey(ctx, c, "reply.task.due_change_refused", words.Args{"id": id, "owner": s.name(owner)})
	}
}

func taskOwner(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	who, err := s.personArg(rest, "owner")
	if err != nil {
		return err
	}
	id := bot.TaskID(n)
	if err := c.ReassignTask(s.dir, s.actor, id, who, "", s.now); err != nil {
		return err
	}
	t, _ := c.Task(id)
	return s.saveKey(ctx, c, "reply.task.owner_changed", words.Args{"id": id, "owner": s.name(t.Owner), "department": t.Department})
}

func taskDept(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.TaskID(n)
	if err := c.ReassignTask(s.dir, s.actor, id, "", rest.rest, s.now); err != nil {
		return err
	}
	t, _ := c.Task(id)
	return s.saveKey(ctx, c, "reply.task.department_changed", words.Args{"id": id, "department": t.Department})
}

func revise(field string, usage bot.Text, names ...string) sub {
	return sub{names, usage, func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
		id := bot.TaskID(n)
		if err := c.ReviseTask(s.actor, id, field, rest.rest, s.now); err != nil {
			return err
		}
		return s.saveKey(ctx, c, "reply.task.updated", words.Args{"id": id})
	}}
}

func taskCancel(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.TaskID(n)
	if err := c.CancelTask(s.actor, id, rest.rest, s.now); err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.task.cancelled", words.Args{"id": id})
}

// dateThen reads a date at the start of text and returns the rest (a
// reason): the longest run of leading words that reads as a date wins.
func (s *session) dateThen(text string, needClock bool) (time.Time, string, error) {
	f := &forms.Field{Key: "due", Label: words.Text("label.date", nil), Type: forms.TypeDate, Required: true}
	if needClock {
		f.Key, f.Label, f.Type = "start", words.Text("label.time", nil), forms.TypeDateTime
	}
	fields := strings.Fields(text)
	for i := len(fields); i > 0; i-- {
		v, err := f.Parse(s.formContext(), strings.Join(fields[:i], " "))
		if err != nil {
			continue
		}
		t := forms.Values{f.Key: v}.Time(f.Key, s.loc())
		check := bot.FutureDue(f.Key, t, s.now)
		if needClock {
			check = bot.FutureStart(t, s.now) // only a meeting's time needs the clock
		}
		if check != nil {
			return time.Time{}, "", check
		}
		return t, strings.Join(fields[i:], " "), nil
	}
	first := text
	if len(fields) > 0 {
		first = fields[0]
	}
	_, err := f.Parse(s.formContext(), first)
	if err == nil {
		err = bot.RefuseField(bot.CodeInvalid, f.Key, "refuse.date.unreadable", nil)
	}
	return time.Time{}, "", err
}

// --- meetings ---

func cmdMeeting(ctx context.Context, s *session, in input) error {
	if handled, err := seriesCommand(ctx, s, in); handled {
		return err
	}
	if slices.Contains(addWords, strings.ToLower(in.arg(0))) {
		return addMeeting(ctx, s, in)
	}
	return runSub(ctx, s, in, bot.KindMeeting, meetingSubs, "help.meeting.usage")
}

var meetingSubs = []sub{
	{[]string{"agenda", "议程"}, words.Text("help.meeting.agenda", nil), meetingForm("agenda", func(c *bot.Collaboration, s *session, id bot.MeetingID) error {
		return c.SetAgenda(s.actor, id, []string{"x"}, nil, s.now)
	})},
	{[]string{"minutes", "纪要"}, words.Text("help.meeting.minutes", nil), meetingMinutes},
	{[]string{"amend", "更正", "修改纪要", "更正纪要"}, words.Text("help.meeting.amend", nil), meetingMinutes},
	{[]string{"confirm", "确认", "确认无误"}, words.Text("help.meeting.confirm", nil), func(ctx context.Context, s *session, c *bot.Collaboration, n int64, _ input) error {
		return confirmIn(ctx, s, c, bot.MeetingID(n))
	}},
	{[]string{"reschedule", "改期", "改时间"}, words.Text("help.meeting.reschedule", nil), meetingReschedule},
	{[]string{"invite", "加人", "add", "邀请"}, words.Text("help.meeting.invite", nil), meetingInvite},
	{[]string{"remove", "移除", "uninvite", "减人", "删人"}, words.Text("help.meeting.remove", nil), meetingRemove},
	{[]string{"cancel", "取消"}, words.Text("help.meeting.cancel", nil), func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
		id := bot.MeetingID(n)
		if err := c.CancelMeeting(s.actor, id, rest.rest, s.now); err != nil {
			return err
		}
		return s.saveKey(ctx, c, "reply.meeting.cancelled", words.Args{"id": id})
	}},
}

func addMeeting(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	if err := probe(c, func(c *bot.Collaboration) error {
		return c.ScheduleMeeting(s.dir, s.actor, bot.Meeting{ID: placeholderID, Kind: bot.MeetingKickoff,
			Start: s.now.AddDate(0, 0, 1), Duration: time.Hour, Attendees: []bot.PersonID{s.person.ID}}, s.now)
	}); err != nil {
		return err
	}
	skip := 1
	if ref != "" {
		skip = 2
	}
	return s.startForm(ctx, "meeting", c.ID.String(), nil, in.form(skip))
}

// meetingForm opens a meeting's agenda or minutes form, once the rule
// says the person may write it now.
func meetingForm(form string, try func(c *bot.Collaboration, s *session, id bot.MeetingID) error) func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	return func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
		id := bot.MeetingID(n)
		if err := probe(c, func(c *bot.Collaboration) error { return try(c, s, id) }); err != nil {
			return err
		}
		return s.startForm(ctx, form, id.String(), nil, rest.rest)
	}
}

// meetingMinutes opens the minutes form: to record them, or filled in to
// amend them once they are recorded.
func meetingMinutes(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	return openMinutes(ctx, s, c, bot.MeetingID(n), "", rest.rest)
}

// confirmMinutes is "确认 M-2": an attendee confirms the minutes.
func confirmMinutes(ctx context.Context, s *session, ref string) error {
	c, n, err := s.owner(ctx, bot.KindMeeting, ref)
	if err != nil {
		return err
	}
	if _, on, _ := meetingRef(ref); on != "" {
		return confirmOccurrence(ctx, s, c, bot.MeetingID(n), on)
	}
	return confirmIn(ctx, s, c, bot.MeetingID(n))
}

func confirmIn(ctx context.Context, s *session, c *bot.Collaboration, id bot.MeetingID) error {
	if err := c.ConfirmMinutes(s.actor, id, s.now); err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.meeting.minutes_confirmed", words.Args{"id": id})
}

func meetingReschedule(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.MeetingID(n)
	start, _, err := s.dateThen(rest.rest, true)
	if err != nil {
		return err
	}
	if err := c.RescheduleMeeting(s.actor, id, start, s.now); err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.meeting.rescheduled", words.Args{"id": id, "start": s.fmtTime(start)})
}

func meetingInvite(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	f := &forms.Field{Key: "attendees", Label: words.Text("label.attendees", nil), Type: forms.TypePeople, Required: true}
	v, err := f.Parse(s.formContext(), rest.rest)
	if err != nil {
		return err
	}
	id := bot.MeetingID(n)
	people := forms.Values{"attendees": v}.People("attendees")
	if err := c.AddAttendees(s.dir, s.actor, id, people, s.now); err != nil {
		return err
	}
	var names []string
	for _, p := range people {
		names = append(names, s.name(p))
	}
	return s.saveKey(ctx, c, "reply.meeting.invited", words.Args{"people": joinList(s.lang, names), "id": id})
}

// meetingRemove is "会议 M-1 移除 @olivia": someone invited by mistake
// comes off the meeting.
func meetingRemove(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.MeetingID(n)
	var people []bot.PersonID
	if strings.TrimSpace(rest.rest) != "" {
		f := &forms.Field{Key: "attendees", Label: words.Text("label.attendees", nil), Type: forms.TypePeople, Required: true}
		v, err := f.Parse(s.formContext(), rest.rest)
		if err != nil {
			return err
		}
		people = forms.Values{"attendees": v}.People("attendees")
	}
	if err := c.RemoveAttendees(s.actor, id, people, s.now); err != nil {
		return err
	}
	var names []string
	for _, p := range people {
		names = append(names, s.name(p))
	}
	return s.saveKey(ctx, c, "reply.meeting.removed", words.Args{"people": joinList(s.lang, names), "id": id})
}

// --- risks ---

func cmdRisk(ctx context.Context, s *session, in input) error {
	if slices.Contains(addWords, strings.ToLower(in.arg(0))) {
		return addRisk(ctx, s, in)
	}
	return runSub(ctx, s, in, bot.KindRisk, riskSubs, "help.risk.usage")
}

var riskSubs = []sub{
	{[]string{"respond", "响应", "答复"}, words.Text("help.risk.respond", nil), func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
		id := bot.RiskID(n)
		if err := probe(c, func(c *bot.Collaboration) error {
			return c.RespondRisk(s.actor, id, "x", s.now.AddDate(0, 0, 1), s.now)
		}); err != nil {
			return err
		}
		return s.startForm(ctx, "risk_response", id.String(), nil, rest.rest)
	}},
	{[]string{"resolve", "解决", "关闭"}, words.Text("help.risk.resolve", nil), riskResolve},
	{[]string{"severity", "影响程度", "级别", "等级"}, words.Text("help.risk.severity", nil), riskSeverity},
	{[]string{"link", "关联", "影响任务"}, words.Text("help.risk.link", nil), riskLink},
	{[]string{"owner", "责任人", "转交", "负责人"}, words.Text("help.risk.owner", nil), riskOwner},
	{[]string{"dept", "责任部门", "部门", "department"}, words.Text("help.risk.dept", nil), riskDept},
	{[]string{"due", "期望解决时间", "改期", "截止"}, words.Text("help.risk.due", nil), riskDue},
	{[]string{"describe", "描述", "问题描述", "description"}, words.Text("help.risk.describe", nil), riskDescribe},
	{[]string{"reopen", "重新打开", "重开", "重启"}, words.Text("help.risk.reopen", nil), riskReopen},
}

func addRisk(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	if err := probe(c, func(c *bot.Collaboration) error {
		return c.RaiseRisk(s.dir, s.actor, bot.Risk{ID: placeholderID, Description: "x", Impact: "x",
			Severity: bot.SeverityLow, Department: c.RequestingDept}, s.now)
	}); err != nil {
		return err
	}
	skip := 1
	if ref != "" {
		skip = 2
	}
	return s.startForm(ctx, "risk", c.ID.String(), nil, in.form(skip))
}

func riskSeverity(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	sev, err := bot.ParseSeverity(rest.arg(0))
	if err != nil {
		return err
	}
	id := bot.RiskID(n)
	r, err := c.Risk(id)
	if err != nil {
		return err
	}
	escalated := r.Escalated
	reason := rest.form(1)
	if strings.TrimSpace(reason) == "" {
		// Whatever else is wrong is said first; a missing reason is asked
		// for with the command to type (the notices' severity button
		// carries none).
		if err := probe(c, func(c *bot.Collaboration) error { return c.SetSeverity(s.dir, s.actor, id, sev, "x", s.now) }); err != nil {
			return err
		}
		return bot.RefuseField(bot.CodeRequired, "reason", "refuse.risk.severity_needs_reason", bot.Args{"risk": id.String(), "level": rest.arg(0)})
	}
	if err := c.SetSeverity(s.dir, s.actor, id, sev, reason, s.now); err != nil {
		return err
	}
	if err := s.saveKey(ctx, c, "reply.risk.severity_changed", words.Args{"id": id, "severity": sev.Label(s.lang)}); err != nil {
		return err
	}
	switch {
	case !escalated && r.Escalated:
		s.sayKey("reply.risk.escalated", nil)
	case escalated && !r.Escalated:
		s.sayKey("reply.risk.leadership_told", nil)
	}
	return nil
}

func riskOwner(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	who, err := s.personArg(rest, "owner")
	if err != nil {
		return err
	}
	id := bot.RiskID(n)
	if err := c.SetRiskOwner(s.dir, s.actor, id, who, s.now); err != nil {
		return err
	}
	r, _ := c.Risk(id)
	if r.Status == bot.RiskOpen {
		return s.saveKey(ctx, c, "reply.risk.owner_changed_asked", words.Args{"id": id, "owner": s.name(who),
			"span": s.spanText(s.e.Policy.For(c).RiskResponse.After)})
	}
	return s.saveKey(ctx, c, "reply.risk.owner_changed", words.Args{"id": id, "owner": s.name(who)})
}

func riskDept(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.RiskID(n)
	if err := c.SetRiskDepartment(s.dir, s.actor, id, rest.rest, s.now); err != nil {
		return err
	}
	r, _ := c.Risk(id)
	return s.saveKey(ctx, c, "reply.risk.department_changed", words.Args{"id": id, "department": r.Department, "owner": s.name(r.Owner)})
}

func riskDue(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	due, reason, err := s.dateThen(rest.rest, false)
	if err != nil {
		return err
	}
	id := bot.RiskID(n)
	if err := c.SetRiskDue(s.actor, id, due, reason, s.now); err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.risk.due_changed", words.Args{"id": id, "due": s.fmtTime(due)})
}

func riskDescribe(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.RiskID(n)
	if err := c.DescribeRisk(s.actor, id, rest.rest, s.now); err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.risk.updated", words.Args{"id": id})
}

func riskReopen(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.RiskID(n)
	if err := c.ReopenRisk(s.dir, s.actor, id, rest.rest, s.now); err != nil {
		return err
	}
	r, _ := c.Risk(id)
	return s.saveKey(ctx, c, "reply.risk.reopened", words.Args{"id": id, "owner": s.name(r.Owner),
		"span": s.spanText(s.e.Policy.For(c).RiskResponse.After)})
}

// taskHere refuses a task of another collaboration named for an issue of
// c, saying whose it is where the person may see that one ("T-1 was not
// found" read as a typo); a task of none is left to the rule.
func (s *session) taskHere(ctx context.Context, c *bot.Collaboration, t bot.TaskID) error {
	if _, err := c.Task(t); err == nil {
		return nil
	}
	other, _, err := s.owner(ctx, bot.KindTask, t.String())
	if err != nil || other.ID == c.ID {
		return nil
	}
	if !other.VisibleTo(s.actor) {
		return bot.RefuseField(bot.CodeNotFound, "tasks", "refuse.risk.link_not_here", bot.Args{"task": t.String(), "ref": c.ID.String()})
	}
	return bot.RefuseField(bot.CodeNotFound, "tasks", "refuse.risk.link_elsewhere", bot.Args{"task": t.String(), "ref": c.ID.String(), "other": other.ID.String()})
}

func riskLink(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	var tasks []bot.TaskID
	for _, a := range rest.args {
		if t, err := bot.ParseTaskID(a); err == nil {
			tasks = append(tasks, t)
		}
	}
	for _, t := range tasks {
		if err := s.taskHere(ctx, c, t); err != nil {
			return err
		}
	}
	id := bot.RiskID(n)
	if err := c.LinkRisk(s.actor, id, tasks, s.now); err != nil {
		return err
	}
	var refs []string
	for _, t := range tasks {
		refs = append(refs, t.String())
	}
	return s.saveKey(ctx, c, "reply.risk.linked", words.Args{"id": id, "tasks": joinList(s.lang, refs)})
}
