package engine

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
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
func runSub(ctx context.Context, s *session, in input, kind bot.IDKind, subs []sub, usage bot.Text) error {
	ref, i := refArg(in, kind)
	if ref == "" || i != 0 {
		return bot.RefuseField(bot.CodeRequired, "id", usage.ZH, usage.EN)
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
	var words []string
	for _, sc := range subs {
		w := sc.words[0] // English first, then Chinese
		if s.lang == bot.Chinese && len(sc.words) > 1 {
			w = sc.words[1]
		}
		words = append(words, "`"+w+"`")
	}
	return bot.RefuseField(bot.CodeInvalid, "action",
		"“"+in.arg(1)+"”不是可用的操作。可用:"+strings.Join(words, "、")+"。发送 `帮助` 查看用法。",
		"“"+in.arg(1)+"” is not something I can do to "+ref+". Try: "+strings.Join(words, ", ")+". Send `help` for usage.")
}

// save stores the collaboration and says what happened.
func (s *session) save(ctx context.Context, c *bot.Collaboration, zh, en string, args ...any) error {
	if err := s.tx.Save(ctx, c); err != nil {
		return err
	}
	s.say(zh, en, args...)
	return nil
}

// --- tasks ---

func cmdTask(ctx context.Context, s *session, in input) error {
	if slices.Contains(addWords, strings.ToLower(in.arg(0))) {
		return addTask(ctx, s, in)
	}
	return runSub(ctx, s, in, bot.KindTask, taskSubs, bot.Text{
		ZH: "用法:`任务 新建 COL-3`,或 `任务 T-3 <操作>`(开始、求助、阻塞、完成、改期、申请改期、转交、改名……发送 `帮助` 查看全部)。",
		EN: "Usage: `task add COL-3`, or `task T-3 <action>` (start, help, block, done, due, ask-due, owner, rename… send `help` for all)."})
}

var taskSubs = []sub{
	status("start", "开始", bot.TaskInProgress),
	status("help", "求助", bot.TaskNeedsHelp),
	status("block", "阻塞", bot.TaskBlocked),
	status("done", "完成", bot.TaskDone),
	status("reopen", "重开", bot.TaskTodo),
	{[]string{"due", "改期", "调整截止", "截止"}, bot.Text{ZH: "T-n 改期 <日期> <原因>", EN: "T-n due <date> <reason>"}, taskDue},
	{[]string{"ask-due", "申请改期", "申请调整计划", "申请调整"}, bot.Text{ZH: "T-n 申请改期 <日期> <原因>", EN: "T-n ask-due <date> <reason>"}, taskAskDue},
	{[]string{"approve", "同意", "批准"}, bot.Text{ZH: "T-n 同意(改期申请)", EN: "T-n approve (a date-move request)"}, taskDecide(true)},
	{[]string{"refuse", "拒绝", "驳回"}, bot.Text{ZH: "T-n 拒绝 [原因]", EN: "T-n refuse [reason]"}, taskDecide(false)},
	{[]string{"owner", "转交", "负责人", "责任人"}, bot.Text{ZH: "T-n 转交 @某人", EN: "T-n owner @someone"}, taskOwner},
	{[]string{"dept", "部门", "department", "责任部门"}, bot.Text{ZH: "T-n 部门 <部门>", EN: "T-n dept <department>"}, taskDept},
	revise("title", bot.Text{ZH: "T-n 改名 <名称>", EN: "T-n rename <title>"}, "rename", "改名", "title", "名称", "任务名称"),
	revise("standard", bot.Text{ZH: "T-n 交付标准 <标准>", EN: "T-n standard <text>"}, "standard", "标准", "交付标准", "验收标准"),
	revise("description", bot.Text{ZH: "T-n 描述 <描述>", EN: "T-n describe <text>"}, "describe", "描述", "description", "任务描述"),
	{[]string{"cancel", "取消", "撤销"}, bot.Text{ZH: "T-n 取消 <原因>", EN: "T-n cancel <reason>"}, taskCancel},
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
	words := []string{en, zh}
	if to == bot.TaskTodo {
		words = append(words, "todo")
	}
	return sub{words, bot.Text{ZH: "T-n " + zh + " [说明]", EN: "T-n " + en + " [note]"},
		func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
			id := bot.TaskID(n)
			if err := c.SetTaskStatus(s.actor, id, to, rest.rest, s.now); err != nil {
				return err
			}
			t, _ := c.Task(id)
			if err := s.save(ctx, c, "✅ %s「%s」→ %s", "✅ %s “%s” → %s", t.ID, t.Title, t.Shown(s.now).Label(s.lang)); err != nil {
				return err
			}
			if to == bot.TaskNeedsHelp || to == bot.TaskBlocked {
				s.say("已通知总协调人 %s。", "The coordinator, %s, has been told.", s.name(c.Coordinator))
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
	return s.save(ctx, c, "✅ %s 截止时间改为 %s,已通知责任人。", "✅ %s is now due %s; the owner has been told.", id, s.fmtTime(due))
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
	return s.save(ctx, c, "✅ 已申请把 %s 改到 %s,等总协调人 %s 审批。", "✅ Asked to move %s to %s; the coordinator, %s, decides.",
		id, s.fmtTime(due), s.name(c.Coordinator))
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
			return s.save(ctx, c, "✅ 已同意,%s 截止时间改为 %s,已通知 %s。", "✅ Approved: %s is now due %s; %s has been told.", id, s.fmtTime(t.Due), s.name(owner))
		}
		return s.save(ctx, c, "已拒绝 %s 的改期申请,已通知 %s。", "Refused to move %s; %s has been told.", id, s.name(owner))
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
	return s.save(ctx, c, "✅ %s 转交给 %s(%s),已通知双方。", "✅ %s now belongs to %s (%s); both have been told.", id, s.name(t.Owner), t.Department)
}

func taskDept(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.TaskID(n)
	if err := c.ReassignTask(s.dir, s.actor, id, "", rest.rest, s.now); err != nil {
		return err
	}
	t, _ := c.Task(id)
	return s.save(ctx, c, "✅ %s 的责任部门改为 %s。", "✅ %s is now %s's.", id, t.Department)
}

func revise(field string, usage bot.Text, words ...string) sub {
	return sub{words, usage, func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
		id := bot.TaskID(n)
		if err := c.ReviseTask(s.actor, id, field, rest.rest, s.now); err != nil {
			return err
		}
		return s.save(ctx, c, "✅ 已更新 %s,已通知责任人。", "✅ Updated %s; the owner has been told.", id)
	}}
}

func taskCancel(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.TaskID(n)
	if err := c.CancelTask(s.actor, id, rest.rest, s.now); err != nil {
		return err
	}
	return s.save(ctx, c, "已取消 %s,不再催办,已通知责任人。", "Cancelled %s: it is no longer chased, and its owner has been told.", id)
}

// dateThen reads a date at the start of text and returns the rest (a
// reason): the longest run of leading words that reads as a date wins.
func (s *session) dateThen(text string, needClock bool) (time.Time, string, error) {
	f := &forms.Field{Key: "due", Label: bot.Text{ZH: "日期", EN: "Date"}, Type: forms.TypeDate, Required: true}
	if needClock {
		f.Key, f.Label, f.Type = "start", bot.Text{ZH: "时间", EN: "Time"}, forms.TypeDateTime
	}
	words := strings.Fields(text)
	for i := len(words); i > 0; i-- {
		v, err := f.Parse(s.formContext(), strings.Join(words[:i], " "))
		if err != nil {
			continue
		}
		t := forms.Values{f.Key: v}.Time(f.Key, s.loc())
		if err := bot.FutureDue(f.Key, t, s.now); err != nil {
			return time.Time{}, "", err
		}
		return t, strings.Join(words[i:], " "), nil
	}
	first := text
	if len(words) > 0 {
		first = words[0]
	}
	_, err := f.Parse(s.formContext(), first)
	if err == nil {
		err = bot.RefuseField(bot.CodeInvalid, f.Key, "看不懂这个日期。", "I could not read that date.")
	}
	return time.Time{}, "", err
}

// --- meetings ---

func cmdMeeting(ctx context.Context, s *session, in input) error {
	if slices.Contains(addWords, strings.ToLower(in.arg(0))) {
		return addMeeting(ctx, s, in)
	}
	return runSub(ctx, s, in, bot.KindMeeting, meetingSubs, bot.Text{
		ZH: "用法:`会议 安排 COL-3`,或 `会议 M-2 议程|纪要|确认|改期|加人|取消`。",
		EN: "Usage: `meeting new COL-3`, or `meeting M-2 agenda|minutes|confirm|reschedule|invite|cancel`."})
}

var meetingSubs = []sub{
	{[]string{"agenda", "议程"}, bot.Text{ZH: "M-n 议程", EN: "M-n agenda"}, meetingForm("agenda", func(c *bot.Collaboration, s *session, id bot.MeetingID) error {
		return c.SetAgenda(s.actor, id, []string{"x"}, nil, s.now)
	})},
	{[]string{"minutes", "纪要"}, bot.Text{ZH: "M-n 纪要", EN: "M-n minutes"}, meetingForm("minutes", func(c *bot.Collaboration, s *session, id bot.MeetingID) error {
		return c.RecordMinutes(s.dir, s.actor, id, []string{"x"}, nil, nil, s.now)
	})},
	{[]string{"confirm", "确认", "确认无误"}, bot.Text{ZH: "M-n 确认", EN: "M-n confirm"}, func(ctx context.Context, s *session, c *bot.Collaboration, n int64, _ input) error {
		return confirmIn(ctx, s, c, bot.MeetingID(n))
	}},
	{[]string{"reschedule", "改期", "改时间"}, bot.Text{ZH: "M-n 改期 <时间>", EN: "M-n reschedule <time>"}, meetingReschedule},
	{[]string{"invite", "加人", "add", "邀请"}, bot.Text{ZH: "M-n 加人 @某人", EN: "M-n invite @someone"}, meetingInvite},
	{[]string{"cancel", "取消"}, bot.Text{ZH: "M-n 取消 [原因]", EN: "M-n cancel [reason]"}, func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
		id := bot.MeetingID(n)
		if err := c.CancelMeeting(s.actor, id, rest.rest, s.now); err != nil {
			return err
		}
		return s.save(ctx, c, "已取消 %s,并通知参会人。", "Cancelled %s and told the attendees.", id)
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

// confirmMinutes is "确认 M-2": an attendee confirms the minutes.
func confirmMinutes(ctx context.Context, s *session, ref string) error {
	c, n, err := s.owner(ctx, bot.KindMeeting, ref)
	if err != nil {
		return err
	}
	return confirmIn(ctx, s, c, bot.MeetingID(n))
}

func confirmIn(ctx context.Context, s *session, c *bot.Collaboration, id bot.MeetingID) error {
	if err := c.ConfirmMinutes(s.actor, id, s.now); err != nil {
		return err
	}
	return s.save(ctx, c, "✅ 已确认 %s 的纪要。", "✅ You confirmed the minutes of %s.", id)
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
	return s.save(ctx, c, "✅ %s 改到 %s,已通知参会人。", "✅ %s moved to %s; the attendees have been told.", id, s.fmtTime(start))
}

func meetingInvite(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	f := &forms.Field{Key: "attendees", Label: bot.Text{ZH: "参会人", EN: "Attendees"}, Type: forms.TypePeople, Required: true}
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
	return s.save(ctx, c, "✅ 已邀请 %s 参加 %s。", "✅ Invited %s to %s.", joinList(s.lang, names), id)
}

// --- risks ---

func cmdRisk(ctx context.Context, s *session, in input) error {
	if slices.Contains(addWords, strings.ToLower(in.arg(0))) {
		return addRisk(ctx, s, in)
	}
	return runSub(ctx, s, in, bot.KindRisk, riskSubs, bot.Text{
		ZH: "用法:`风险 上报 COL-3`,或 `风险 R-2 响应|解决|影响程度 <高/中/低>|关联 T-3`。",
		EN: "Usage: `risk new COL-3`, or `risk R-2 respond|resolve|severity <high/medium/low>|link T-3`."})
}

var riskSubs = []sub{
	{[]string{"respond", "响应", "答复"}, bot.Text{ZH: "R-n 响应", EN: "R-n respond"}, func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
		id := bot.RiskID(n)
		if err := probe(c, func(c *bot.Collaboration) error {
			return c.RespondRisk(s.actor, id, "x", s.now.AddDate(0, 0, 1), s.now)
		}); err != nil {
			return err
		}
		return s.startForm(ctx, "risk_response", id.String(), nil, rest.rest)
	}},
	{[]string{"resolve", "解决", "关闭"}, bot.Text{ZH: "R-n 解决 <说明>", EN: "R-n resolve <how>"}, func(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
		id := bot.RiskID(n)
		if err := c.ResolveRisk(s.actor, id, rest.rest, s.now); err != nil {
			return err
		}
		return s.save(ctx, c, "✅ %s 已解决。", "✅ %s is resolved.", id)
	}},
	{[]string{"severity", "影响程度", "级别", "等级"}, bot.Text{ZH: "R-n 影响程度 高|中|低", EN: "R-n severity high|medium|low"}, riskSeverity},
	{[]string{"link", "关联", "影响任务"}, bot.Text{ZH: "R-n 关联 T-3 T-4", EN: "R-n link T-3 T-4"}, riskLink},
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
	if err := c.SetSeverity(s.dir, s.actor, id, sev, s.now); err != nil {
		return err
	}
	if err := s.save(ctx, c, "✅ %s 的影响程度改为%s。", "✅ %s is now %s severity.", id, sev.Label(s.lang)); err != nil {
		return err
	}
	if !escalated && r.Escalated {
		s.say("🚨 已上报分管领导。", "🚨 Leadership has been told.")
	}
	return nil
}

func riskLink(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	var tasks []bot.TaskID
	for _, a := range rest.args {
		if t, err := bot.ParseTaskID(a); err == nil {
			tasks = append(tasks, t)
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
	return s.save(ctx, c, "✅ %s 已关联 %s。", "✅ %s is linked to %s.", id, joinList(s.lang, refs))
}
