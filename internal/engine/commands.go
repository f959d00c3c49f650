package engine

import (
	"context"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/record"
	"github.com/collabot/collabot/internal/words"
)

// Each command below reads its arguments, refuses early what the rules
// would refuse anyway (so nobody fills in a form for nothing), and then
// either acts at once or opens the form.

func cmdNew(ctx context.Context, s *session, in input) error {
	return s.newRequest(ctx, in)
}

func cmdList(ctx context.Context, s *session, in input) error {
	f := bot.Filter{Person: s.person.ID, Limit: 30}
	if strings.EqualFold(in.arg(0), "all") || in.arg(0) == "全部" {
		f = bot.Filter{Limit: 50}
	}
	list, err := s.tx.Summaries(ctx, f, s.now)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		s.sayKey("reply.list.none", nil)
		return nil
	}
	var b strings.Builder
	for _, c := range list {
		b.WriteString("• " + record.SummaryLine(c, s.lang) + "\n")
	}
	s.reply(bot.Reply{Title: s.w("reply.list.title", nil), Body: b.String()})
	return nil
}

func cmdShow(ctx context.Context, s *session, in input) error {
	c, err := s.readable(ctx, in.arg(0))
	if err != nil {
		return err
	}
	sheet, err := record.Read(ctx, s.tx, c, s.dir, s.now, s.loc())
	if err != nil {
		return err
	}
	sheet.NoteNext(c, s.e.Calendar, s.now)
	var b strings.Builder
	if err := sheet.ChatMarkdown(&b, s.lang); err != nil {
		return err
	}
	s.reply(bot.Reply{Title: c.ID.String() + " · " + c.Request.Topic, Body: b.String()})
	return nil
}

func cmdBoard(ctx context.Context, s *session, in input) error {
	c, err := s.readable(ctx, in.arg(0))
	if err != nil {
		return err
	}
	s.reply(bot.Reply{Title: s.w("reply.board.title", words.Args{"ref": c.ID}),
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
	if c.Has(bot.StepReadReceipt) {
		return confirmRead(ctx, s, c, in) // an alignment is confirmed as read
	}
	if i := slices.IndexFunc(in.args, isDetailsWord); i >= 0 {
		return ackDetails(ctx, s, c, in, i+1)
	}
	dept, err := s.departmentFor(c, in, func(a bot.Acknowledgement) bool {
		return a.Status == bot.AckPending || a.Status == bot.AckNeedsInfo
	})
	if err != nil {
		return err
	}
	// The probe answers what was typed, when it was an acceptance: a
	// loan's head may still approve after declining (bot.Acknowledge).
	placeholder := bot.Answer{Decision: bot.AckNeedsInfo, Question: "?"}
	if slices.ContainsFunc(in.args, func(a string) bool { st, err := bot.ParseAckStatus(a); return err == nil && st == bot.AckAccepted }) {
		placeholder = bot.Answer{Decision: bot.AckAccepted}
	}
	if err := probe(c, func(c *bot.Collaboration) error { return c.Acknowledge(s.actor, dept, placeholder, s.now) }); err != nil {
		return err
	}
	// The words before the answers — the reference, the department, the
	// decision — are the command's; what follows is the form's.
	values := forms.Values{}
	skip := 0
	for i, a := range in.args {
		if st, err := bot.ParseAckStatus(a); err == nil {
			values["decision"] = map[bot.AckStatus]string{bot.AckAccepted: "accept", bot.AckDeclined: "decline", bot.AckNeedsInfo: "info"}[st]
		} else if _, isDept := s.dir.Department(a); !isDept && !isRef(a, bot.KindCollab) {
			break
		}
		skip = i + 1
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
			if a.Status == bot.AckNeedsInfo || (c.Has(bot.StepReadReceipt) && a.Status == bot.AckAccepted && a.Question != "" && a.Answer == "") {
				if dept != "" {
					return bot.RefuseField(bot.CodeRequired, "department", "refuse.info.which_department", nil)
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
	if c2.Has(bot.StepReadReceipt) {
		// A question asked with a read receipt: nothing to confirm again.
		s.sayKey("reply.type.read_answered", words.Args{"department": dept, "ref": c2.ID})
		if c2.Status == bot.StatusArchived {
			s.sayKey("reply.type.all_read", words.Args{"ref": c2.ID})
		}
		return nil
	}
	s.sayKey("reply.info.answered", words.Args{"department": dept, "ref": c2.ID})
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
			b.WriteString(s.w("reply.tasks.line", words.Args{"emoji": record.TaskEmoji(t.Shown(s.now)), "task": t.ID, "title": t.Title,
				"status": record.TaskState(t.Shown(s.now), t.Status, "", s.lang, nil), "due": s.fmtTime(t.Due), "ref": c.ID}) + "\n")
		}
	}
	// Work that is no task is still the person's to do: a risk to
	// answer, rework to deliver, the retrospective and the archive.
	waiting, err := waitingCollabs(ctx, s.tx, s.actor)
	if err != nil {
		return err
	}
	for _, c := range waiting {
		for _, w := range c.WaitsFor(s.actor) {
			switch w.Kind {
			case bot.WaitRisk, bot.WaitRedeliver, bot.WaitRetrospective, bot.WaitArchive:
				b.WriteString("• " + s.w(s.workWait(c, w)) + "\n")
			}
		}
	}
	if b.Len() == 0 {
		s.sayKey("reply.tasks.none", nil)
		return nil
	}
	s.reply(bot.Reply{Title: s.w("reply.tasks.title", nil), Body: b.String()})
	return nil
}

func cmdUpdate(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	var c *bot.Collaboration
	var err error
	if ref != "" || !s.msg.Direct {
		c, err = s.collab(ctx, ref)
	}
	if ref != "" && err != nil {
		return err // a reference typed wrong is not a cue to guess one
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
				err = bot.RefuseField(bot.CodeRequired, "id", "refuse.progress.which_collaboration", nil)
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
	prev, err := s.todaysProgress(ctx, c)
	if err != nil {
		return err
	}
	if prev != nil {
		// A second update of the day corrects the first: it opens filled.
		return s.startFilled(ctx, "progress", c.ID.String(), progressValues(prev), in.form(skip),
			"reply.progress.prefilled", words.Args{"ref": c.ID, "at": prev.At.In(s.loc()).Format("15:04")})
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
		c.Retrospective = nil // whether one may be written, not whether this one changes it
		return c.Retrospect(s.actor, bot.Retrospective{Highlights: []string{"x"}, Improvements: []string{"x"}}, s.now)
	}); err != nil {
		return err
	}
	if r := c.Retrospective; r != nil {
		// A rewrite revises the one shared: it opens filled.
		return s.startFilled(ctx, "retrospective", c.ID.String(), retroValues(r), in.form(i+1),
			"reply.retro.prefilled", words.Args{"ref": c.ID})
	}
	return s.startForm(ctx, "retrospective", c.ID.String(), nil, in.form(i+1))
}

func cmdArchive(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	// Open tasks and unresolved risks are not chased once archived:
	// archiving with some is asked for twice, the second time knowing
	// which.
	tasks, risks := c.OpenTasks(), c.OpenRisks()
	if len(tasks)+len(risks) > 0 && !is(in.arg(1), wordsConfirm) {
		if err := c.MayArchive(s.actor); err != nil {
			return err
		}
		s.askArchive(c, tasks, risks)
		return nil
	}
	c, err = s.change(ctx, c.ID.String(), func(c *bot.Collaboration) error { return c.Archive(s.actor, s.now) })
	if err != nil {
		return err
	}
	s.sayKey("reply.archive.done", words.Args{"ref": c.ID})
	return nil
}

// askArchive names what is still open in c and asks to archive anyway.
func (s *session) askArchive(c *bot.Collaboration, tasks []*bot.Task, risks []*bot.Risk) {
	var taskRefs, riskRefs []string
	for _, t := range tasks {
		taskRefs = append(taskRefs, t.ID.String()+" "+t.Title)
	}
	for _, r := range risks {
		riskRefs = append(riskRefs, r.ID.String()+" "+r.Description)
	}
	args := words.Args{"ref": c.ID}
	key := "reply.archive.open_both"
	switch {
	case len(risks) == 0:
		key = "reply.archive.open_tasks"
		args["open"], args["tasks"], args["first"] = counted(len(tasks), "reply.archive.tasks.one", "reply.archive.tasks.other"), joinList(s.lang, taskRefs), tasks[0].ID
	case len(tasks) == 0:
		key = "reply.archive.open_risks"
		args["open"], args["risks"], args["first"] = counted(len(risks), "reply.archive.risks.one", "reply.archive.risks.other"), joinList(s.lang, riskRefs), risks[0].ID
	default:
		args["open_tasks"], args["tasks"], args["first_task"] = counted(len(tasks), "reply.archive.tasks.one", "reply.archive.tasks.other"), joinList(s.lang, taskRefs), tasks[0].ID
		args["open_risks"], args["risks"], args["first_risk"] = counted(len(risks), "reply.archive.risks.one", "reply.archive.risks.other"), joinList(s.lang, riskRefs), risks[0].ID
	}
	cmd, shown := "archive "+c.ID.String()+" confirm", "archive "+c.ID.String()+" confirm"
	if s.lang == bot.Chinese {
		shown = "归档 " + c.ID.String() + " 确认"
	}
	s.reply(bot.Reply{Body: s.w(key, args),
		Buttons: []bot.Button{{Label: s.w("reply.archive.anyway", nil), Action: "command", Value: cmd, Command: shown, Style: "danger"}}})
}

func cmdCancel(ctx context.Context, s *session, in input) error {
	if isRef(in.arg(0), bot.KindMeeting) {
		return cmdCancelMeeting(ctx, s, in)
	}
	ref, i := refArg(in, bot.KindCollab)
	if ref == "" {
		return bot.RefuseField(bot.CodeRequired, "id", "refuse.cancel.usage", nil)
	}
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error { return c.Cancel(s.actor, in.form(i+1), s.now) })
	if err != nil {
		return err
	}
	s.sayKey("reply.cancel.done", words.Args{"ref": c.ID})
	return nil
}

func cmdIAm(ctx context.Context, s *session, in input) error {
	configured := len(s.dir.DepartmentsOf(s.person.ID)) > 0
	if in.arg(0) == "" {
		if len(s.actor.Departments) == 0 {
			s.sayKey("reply.iam.none", nil)
			return nil
		}
		s.sayKey("reply.iam.shown", words.Args{"name": s.person.Name, "departments": strings.Join(s.actor.Departments, ", ")})
		if len(s.actor.HeadOf) > 0 {
			s.sayKey("reply.iam.head_of", words.Args{"head_of": strings.Join(s.actor.HeadOf, ", ")})
		}
		return nil
	}
	if configured {
		return bot.Refuse(bot.CodeForbidden, "refuse.iam.configured", nil)
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
	s.sayKey("reply.iam.set", words.Args{"department": dept.Name})
	return nil
}

func cmdLang(ctx context.Context, s *session, in input) error {
	lang, ok := bot.ParseLang(in.arg(0))
	if !ok {
		return bot.RefuseField(bot.CodeInvalid, "lang", "refuse.lang.choose", nil)
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
	s.sayKey("reply.lang.set", nil)
	return nil
}
