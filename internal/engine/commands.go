package engine

import (
	"context"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/record"
)

// Each command below reads its arguments, refuses early what the rules
// would refuse anyway (so nobody fills in a form for nothing), and then
// either acts at once or opens the form.

func cmdNew(ctx context.Context, s *session, in input) error {
	return s.startForm(ctx, "request", "", nil, in.form(0))
}

func cmdList(ctx context.Context, s *session, in input) error {
	f := bot.Filter{Person: s.person.ID, Limit: 30}
	if strings.EqualFold(in.arg(0), "all") || in.arg(0) == "全部" {
		f = bot.Filter{Limit: 50}
	}
	list, err := s.tx.Collaborations(ctx, f)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		s.say("你还没有参与任何协作。发送 `发起协作` 开始一个。", "You are not part of any collaboration yet. Send `new` to file one.")
		return nil
	}
	var b strings.Builder
	for _, c := range list {
		b.WriteString("• " + record.Summary(c, s.now, s.lang) + "\n")
	}
	s.reply(bot.Reply{Title: s.tr("我的协作", "Your collaborations"), Body: b.String()})
	return nil
}

func cmdShow(ctx context.Context, s *session, in input) error {
	c, err := s.collab(ctx, in.arg(0))
	if err != nil {
		return err
	}
	sheet, err := record.Read(ctx, s.tx, c, s.dir, s.now, s.loc())
	if err != nil {
		return err
	}
	var b strings.Builder
	if err := sheet.ChatMarkdown(&b, s.lang); err != nil {
		return err
	}
	s.reply(bot.Reply{Title: c.ID.String() + " · " + c.Request.Topic, Body: b.String()})
	return nil
}

func cmdBoard(ctx context.Context, s *session, in input) error {
	c, err := s.collab(ctx, in.arg(0))
	if err != nil {
		return err
	}
	s.reply(bot.Reply{Title: s.tr("%s 进度看板", "%s progress board", c.ID),
		Body: record.Board(c, s.dir, s.now, s.loc(), s.lang)})
	return nil
}

// cmdAck is 确认: with a collaboration, a department's acknowledgement;
// with a meeting, its minutes confirmed; alone, what waits for the person.
func cmdAck(ctx context.Context, s *session, in input) error {
	if m, _ := refArg(in, bot.KindMeeting); m != "" {
		return confirmMinutes(ctx, s, m)
	}
	if len(in.args) == 0 && in.body == "" {
		return cmdWaiting(ctx, s)
	}
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	dept, err := s.departmentFor(c, in, func(a bot.Acknowledgement) bool {
		return a.Status == bot.AckPending || a.Status == bot.AckNeedsInfo
	})
	if err != nil {
		return err
	}
	if err := probe(c, func(c *bot.Collaboration) error {
		return c.Acknowledge(s.actor, dept, bot.Answer{Decision: bot.AckNeedsInfo, Question: "?"}, s.now)
	}); err != nil {
		return err
	}
	values := forms.Values{}
	skip := 0
	for i, a := range in.args {
		if st, err := bot.ParseAckStatus(a); err == nil {
			values["decision"] = map[bot.AckStatus]string{bot.AckAccepted: "accept", bot.AckDeclined: "decline", bot.AckNeedsInfo: "info"}[st]
			skip = i + 1
		}
	}
	return s.startForm(ctx, "acknowledgement", c.ID.String()+"/"+dept, values, in.form(skip))
}

func cmdAnswer(ctx context.Context, s *session, in input) error {
	ref, at := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	// The department is named next to the reference ("补充 COL-1 研发部 …"
	// or "补充 研发部 COL-1 …"); a department named inside the answer is
	// part of the answer.
	dept, skip := "", at+1
	for _, i := range []int{at + 1, at - 1} {
		if i < 0 || i >= len(in.args) || (i == at-1 && at != 1) {
			continue
		}
		if d, ok := s.dir.Department(in.args[i]); ok {
			dept, skip = d.Name, max(skip, i+1)
			break
		}
	}
	if dept == "" {
		for _, a := range c.Acks {
			if a.Status == bot.AckNeedsInfo {
				if dept != "" {
					return bot.RefuseField(bot.CodeRequired, "department", "有多个部门在等待补充信息,请指明部门。",
						"Several departments are waiting for information; name the department.")
				}
				dept = a.Department
			}
		}
	}
	answer := in.form(skip)
	c2, err := s.change(ctx, c.ID.String(), func(c *bot.Collaboration) error { return c.AnswerQuestion(s.actor, dept, answer, s.now) })
	if err != nil {
		return err
	}
	s.say("✅ 已把补充信息发给%s,请其重新确认 %s。", "✅ Sent your answer to %s; they will acknowledge %s again.", dept, c2.ID)
	return nil
}

func cmdReview(ctx context.Context, s *session, in input) error {
	ref, skip := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	if err := probe(c, func(c *bot.Collaboration) error { return c.Review(s.dir, s.actor, true, "", s.now) }); err != nil {
		return err
	}
	v := forms.Values{}
	skip++
	for i, a := range in.args {
		switch strings.ToLower(a) {
		case "approve", "pass", "通过", "同意", "批准":
			v["decision"], skip = "approve", i+1
		case "reject", "驳回", "退回", "不通过":
			v["decision"], skip = "reject", i+1
		}
	}
	text := in.form(skip)
	if t, _ := s.e.Forms.Get("review"); text != "" {
		if _, _, pasted := t.ParsePaste(text); pasted {
			return s.startForm(ctx, "review", c.ID.String(), v, text)
		}
		if v["decision"] != "" {
			v["comments"] = text
		}
	}
	return s.quick(ctx, "review", c.ID.String(), v)
}

func cmdTasks(ctx context.Context, s *session, in input) error {
	if ref, _ := refArg(in, bot.KindCollab); ref != "" {
		return cmdBoard(ctx, s, in)
	}
	list, err := s.tx.Collaborations(ctx, bot.Filter{Person: s.person.ID, OpenTasks: true})
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, c := range list {
		for _, t := range c.OpenTasksOf(s.person.ID) {
			b.WriteString("• " + record.TaskEmoji(t.Shown(s.now)) + " " + t.ID.String() + " " + t.Title + " · " +
				t.Shown(s.now).Label(s.lang) + " · " + s.tr("截止 ", "due ") + s.fmtTime(t.Due) + " · " + c.ID.String() + "\n")
		}
	}
	if b.Len() == 0 {
		s.say("你没有未完成的任务。", "You have no open tasks.")
		return nil
	}
	s.reply(bot.Reply{Title: s.tr("我的任务", "Your tasks"), Body: b.String()})
	return nil
}

func cmdUpdate(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	var c *bot.Collaboration
	var err error
	if ref != "" || !s.msg.Direct {
		c, err = s.collab(ctx, ref)
	}
	if c == nil {
		// In a direct message, the one collaboration the person has tasks in.
		// Two are enough to know it is not one.
		list, lerr := s.tx.Collaborations(ctx, bot.Filter{Person: s.person.ID, OpenTasks: true, Limit: 2,
			Status: []bot.CollabStatus{bot.StatusAwaitingAck, bot.StatusActive, bot.StatusAccepting}})
		if lerr != nil {
			return lerr
		}
		var mine []*bot.Collaboration
		for _, x := range list {
			if len(x.OpenTasksOf(s.person.ID)) > 0 {
				mine = append(mine, x)
			}
		}
		if len(mine) != 1 {
			if err == nil {
				err = bot.RefuseField(bot.CodeRequired, "id", "请指明协作,例如 `进度 COL-3`。", "Say which collaboration, for example `update COL-3`.")
			}
			return err
		}
		c = mine[0]
	}
	if err := probe(c, func(c *bot.Collaboration) error {
		return c.PostProgress(s.actor, bot.ProgressUpdate{Day: "2000-01-01", Done: "x"}, s.now)
	}); err != nil {
		return err
	}
	skip := 0
	if ref != "" {
		skip = 1
	}
	return s.startForm(ctx, "progress", c.ID.String(), nil, in.form(skip))
}

func cmdDeliver(ctx context.Context, s *session, in input) error {
	ref, i := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	if err := probe(c, func(c *bot.Collaboration) error {
		return c.Deliver(s.actor, []bot.Deliverable{{Name: "x"}}, "x", s.now)
	}); err != nil {
		return err
	}
	return s.startForm(ctx, "delivery", c.ID.String(), nil, in.form(i+1))
}

func cmdAccept(ctx context.Context, s *session, in input) error {
	ref, i := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	if err := probe(c, func(c *bot.Collaboration) error {
		return c.Decide(s.actor, bot.VerdictPass, "", nil, s.now, s.now)
	}); err != nil {
		return err
	}
	v := forms.Values{}
	skip := i + 1
	if verdict, err := bot.ParseVerdict(in.arg(skip)); err == nil {
		v["verdict"] = string(verdict)
		skip++
	}
	if v["verdict"] == string(bot.VerdictPass) {
		if comments := in.form(skip); comments != "" {
			v["comments"] = comments
		}
		return s.quick(ctx, "acceptance", c.ID.String(), v)
	}
	return s.startForm(ctx, "acceptance", c.ID.String(), v, in.form(skip))
}

func cmdRetro(ctx context.Context, s *session, in input) error {
	ref, i := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	if err := probe(c, func(c *bot.Collaboration) error {
		return c.Retrospect(s.actor, bot.Retrospective{Highlights: []string{"x"}, Improvements: []string{"x"}}, s.now)
	}); err != nil {
		return err
	}
	return s.startForm(ctx, "retrospective", c.ID.String(), nil, in.form(i+1))
}

func cmdArchive(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	c, err = s.change(ctx, c.ID.String(), func(c *bot.Collaboration) error { return c.Archive(s.actor, s.now) })
	if err != nil {
		return err
	}
	s.say("🗄 %s 已归档,只读;发送 `导出 %s` 获取记录表。", "🗄 %s is archived and read-only; send `export %s` for the record.", c.ID, c.ID)
	return nil
}

func cmdCancel(ctx context.Context, s *session, in input) error {
	ref, i := refArg(in, bot.KindCollab)
	if ref == "" {
		return bot.RefuseField(bot.CodeRequired, "id", "用法:`撤销 COL-3 <原因>`。", "Usage: `cancel COL-3 <reason>`.")
	}
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error { return c.Cancel(s.actor, in.form(i+1), s.now) })
	if err != nil {
		return err
	}
	s.say("已撤销 %s,并通知协作群。", "Cancelled %s and told the group.", c.ID)
	return nil
}

func cmdIAm(ctx context.Context, s *session, in input) error {
	configured := len(s.dir.DepartmentsOf(s.person.ID)) > 0
	if in.arg(0) == "" {
		if len(s.actor.Departments) == 0 {
			s.say("你还没有部门。发送 `我的部门 研发部` 设置。", "You have no department yet. Send `iam <department>` to set one.")
			return nil
		}
		s.say("你是 %s(%s)。", "You are %s (%s).", s.person.Name, strings.Join(s.actor.Departments, ", "))
		if len(s.actor.HeadOf) > 0 {
			s.say("部门负责人:%s", "Head of: %s", strings.Join(s.actor.HeadOf, ", "))
		}
		return nil
	}
	if configured {
		return bot.Refuse(bot.CodeForbidden, "你的部门由管理员在配置中设定,如需调整请联系管理员。",
			"Your department is set in the configuration; ask an administrator to change it.")
	}
	dept, err := s.dir.ResolveDepartment(in.rest)
	if err != nil {
		return err
	}
	st, err := s.tx.Settings(ctx, s.person.ID)
	if err != nil {
		return err
	}
	st.Department = dept.Name
	if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
		return err
	}
	s.say("✅ 已记下你属于%s。", "✅ Noted: you are in %s.", dept.Name)
	return nil
}

func cmdLang(ctx context.Context, s *session, in input) error {
	lang, ok := bot.ParseLang(in.arg(0))
	if !ok {
		return bot.RefuseField(bot.CodeInvalid, "lang", "请选择 zh 或 en。", "Choose zh or en.")
	}
	st, err := s.tx.Settings(ctx, s.person.ID)
	if err != nil {
		return err
	}
	st.Lang = lang
	if err := s.tx.SaveSettings(ctx, s.person.ID, st); err != nil {
		return err
	}
	s.lang = lang
	s.say("好的,之后用中文回复你。", "OK, I will answer you in English from now on.")
	return nil
}
