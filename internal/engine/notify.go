package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

// notice is what a notification text is written from.
type notice struct {
	n     bot.Notice
	c     *bot.Collaboration
	name  func(bot.PersonID) string
	param func(string) string
	when  func(string) string // an RFC 3339 parameter in the workspace's zone
	date  func(time.Time) string
	board func(bot.Lang) string // the collaboration's progress board
}

// notices writes each kind of notification in both languages: a title and
// a body, and the commands the recipient can answer with.
var notices = map[string]func(v notice) (title, body bot.Text, buttons []bot.Button){
	"ack_requested": func(v notice) (bot.Text, bot.Text, []bot.Button) {
		ref := v.c.ID.String()
		return bot.Text{ZH: "请确认协作需求", EN: "Please acknowledge"},
			bot.Text{
				ZH: fmt.Sprintf("%s 请%s协助:「%s」\n目标:%s\n期望完成:%s\n请在 1 个工作日内答复:承接 / 无法承接 / 需补充信息。", v.name(v.c.Requester), v.param("department"), v.c.Request.Topic, v.c.Request.Goal, v.date(v.c.Request.Due)),
				EN: fmt.Sprintf("%s asks %s for help: “%s”\nGoal: %s\nWanted by: %s\nPlease answer within 1 business day: accept / decline / needs info.", v.name(v.c.Requester), v.param("department"), v.c.Request.Topic, v.c.Request.Goal, v.date(v.c.Request.Due)),
			}, []bot.Button{
				{Label: "承接 Accept", Command: "ack " + ref + " accept", Style: "primary"},
				{Label: "无法承接 Decline", Command: "ack " + ref + " decline", Style: "danger"},
				{Label: "需补充信息 Need info", Command: "ack " + ref + " info"},
			}
	},
	"review_requested": func(v notice) (bot.Text, bot.Text, []bot.Button) {
		ref := v.c.ID.String()
		return bot.Text{ZH: "请初审", EN: "Please review"},
			bot.Text{ZH: fmt.Sprintf("%s 提交了「%s」,请初审:目标是否可衡量、接收方是否明确、时间是否合理。", v.name(v.c.Requester), v.c.Request.Topic),
				EN: fmt.Sprintf("%s filed “%s”. Please review: is the goal measurable, are the receivers clear, are the dates reasonable?", v.name(v.c.Requester), v.c.Request.Topic)},
			[]bot.Button{{Label: "通过 Approve", Command: "review " + ref + " approve", Style: "primary"}, {Label: "驳回 Reject", Command: "review " + ref + " reject", Style: "danger"}}
	},
	"review_rejected": func(v notice) (bot.Text, bot.Text, []bot.Button) {
		ref := v.c.ID.String()
		return bot.Text{ZH: "初审未通过", EN: "Sent back in review"},
			bot.Text{ZH: fmt.Sprintf("审核意见:%s\n发送 `修改 %s` 修改,改好确认后自动重新提交初审。", v.param("comments"), ref),
				EN: fmt.Sprintf("Review comments: %s\nSend `edit %s` to change it; once you confirm, it goes back to review.", v.param("comments"), ref)},
			[]bot.Button{{Label: "修改 Edit", Command: "edit " + ref, Style: "primary"}, {Label: "原样重新提交 Resubmit", Command: "resubmit " + ref}}
	},
	"request_submitted": simple("新的协作需求", "New collaboration request", "「%[2]s」已提交,等待各部门确认。", "“%[2]s” was filed and is waiting for the departments to acknowledge.", ""),
	"ack_accepted":      simple("部门已承接", "Department accepted", "%[1]s 已承接。", "%[1]s accepted.", "department"),
	"ack_declined": func(v notice) (bot.Text, bot.Text, []bot.Button) {
		ref, dept, reason, alt := v.c.ID.String(), v.param("department"), v.param("reason"), v.param("alternative")
		return bot.Text{ZH: "部门无法承接", EN: "Department declined"},
			bot.Text{ZH: fmt.Sprintf("%s 无法承接。\n原因:%s\n替代方案:%s\n可以移除该部门(`移除部门 %s %s`),或请其他人答复(`对接人 %s %s @某人`)。", dept, reason, alt, ref, dept, ref, dept),
				EN: fmt.Sprintf("%s declined.\nReason: %s\nAlternative: %s\nYou can remove the department (`drop %s %s`) or have someone else answer (`contact %s %s @someone`).", dept, reason, alt, ref, dept, ref, dept)},
			[]bot.Button{{Label: "移除部门 Drop " + dept, Command: "drop " + ref + " " + dept, Style: "danger"}}
	},
	"ack_needs_info":     simple("部门需补充信息", "Department needs information", "%[1]s 需要补充信息,请用 `补充 <协作> %[1]s <内容>` 答复。", "%[1]s needs more information; answer with `answer <collaboration> %[1]s <text>`.", "department"),
	"info_supplied":      simple("已补充信息", "Information supplied", "需求方已补充信息,请重新确认(`确认 <协作>`)。", "The requester answered your question; please acknowledge again (`ack <collaboration>`).", ""),
	"risk_raised_on_ack": simple("承接时提出的风险", "Risk raised on acceptance", "%[1]s 承接时提出了风险,已登记,请跟进。", "%[1]s named risks when accepting; they are registered for follow-up.", "department"),
	"activated":          simple("协作已启动", "Collaboration active", "所有部门均已承接「%[2]s」,进入执行阶段。", "Every department accepted “%[2]s”; work can start.", ""),
	"cancelled":          simple("协作已撤销", "Collaboration cancelled", "「%[2]s」已撤销。原因:%[1]s", "“%[2]s” was cancelled. Reason: %[1]s", "reason"),
	"task_assigned": func(v notice) (bot.Text, bot.Text, []bot.Button) {
		return bot.Text{ZH: "新任务 " + v.n.Subject, EN: "New task " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("你是「%s」的直接责任人,截止 %s。每个工作日 17:00 请提交进度。", v.param("title"), v.when("due")),
				EN: fmt.Sprintf("You own “%s”, due %s. Please post progress every business day at 17:00.", v.param("title"), v.when("due"))},
			[]bot.Button{{Label: "开始 Start", Command: "task " + v.n.Subject + " start", Style: "primary"}}
	},
	"task_collaborator": simple("协同任务", "You collaborate on a task", "你是「%[1]s」的协同责任人。", "You are a collaborator on “%[1]s”.", "title"),
	"task_needs_help":   simple("任务需协助", "A task needs help", "「%[3]s」需要协助:%[1]s", "“%[3]s” needs help: %[1]s", "note"),
	"task_blocked":      simple("任务阻塞", "A task is blocked", "「%[3]s」阻塞:%[1]s", "“%[3]s” is blocked: %[1]s", "note"),
	"task_moved": func(v notice) (bot.Text, bot.Text, []bot.Button) {
		return bot.Text{ZH: "任务计划调整 " + v.n.Subject, EN: "Task rescheduled " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("「%s」的截止时间从 %s 改为 %s。原因:%s", v.param("title"), v.when("before"), v.when("due"), v.param("reason")),
				EN: fmt.Sprintf("“%s” moved from %s to %s. Reason: %s", v.param("title"), v.when("before"), v.when("due"), v.param("reason"))}, nil
	},
	"meeting_invited": func(v notice) (bot.Text, bot.Text, []bot.Button) {
		return bot.Text{ZH: "会议邀请 " + v.n.Subject, EN: "Meeting invitation " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("「%s」的会议,时间 %s。议程会在会前 24 小时发送。", v.c.Request.Topic, v.when("start")),
				EN: fmt.Sprintf("A meeting about “%s” at %s. The agenda follows 24 hours before.", v.c.Request.Topic, v.when("start"))}, nil
	},
	"minutes_to_confirm": func(v notice) (bot.Text, bot.Text, []bot.Button) {
		return bot.Text{ZH: "请确认会议纪要 " + v.n.Subject, EN: "Please confirm the minutes of " + v.n.Subject},
			bot.Text{ZH: "会议纪要已记录,请查看并确认无误。", EN: "The minutes are recorded; please read and confirm them."},
			[]bot.Button{{Label: "确认无误 Confirm", Command: "meeting " + v.n.Subject + " confirm", Style: "primary"}}
	},
	"meeting_cancelled": simple("会议取消", "Meeting cancelled", "会议已取消。%[1]s", "The meeting is cancelled. %[1]s", "reason"),
	"progress_problem":  simple("进度中的问题", "A problem in a progress update", "%[1]s 报告了问题:%[4]s", "%[1]s reported a problem: %[4]s", "person"),
	"risk_assigned": func(v notice) (bot.Text, bot.Text, []bot.Button) {
		return bot.Text{ZH: "请响应风险 " + v.n.Subject, EN: "Please respond to " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("你是该问题的责任人(影响程度:%s):%s\n请在 24 小时内响应。", bot.Severity(v.param("severity")).Label(bot.Chinese), v.param("description")),
				EN: fmt.Sprintf("You own this issue (severity %s): %s\nPlease respond within 24 hours.", v.param("severity"), v.param("description"))},
			[]bot.Button{{Label: "响应 Respond", Command: "risk " + v.n.Subject + " respond", Style: "primary"}}
	},
	"risk_escalated":       simple("🚨 高影响风险上报", "🚨 High-severity risk", "「%[2]s」出现高影响风险:%[5]s", "A high-severity risk in “%[2]s”: %[5]s", "description"),
	"risk_responded":       simple("风险已响应", "Risk responded", "解决方案:%[1]s", "Response: %[1]s", "response"),
	"risk_resolved":        simple("风险已解决", "Risk resolved", "该风险已解决。", "The risk is resolved.", ""),
	"acceptance_requested": acceptanceRequested,
	"accepted":             simple("验收通过", "Accepted", "「%[2]s」验收通过,接下来复盘。", "“%[2]s” passed acceptance; the retrospective comes next.", ""),
	"acceptance_failed":    simple("验收不通过", "Acceptance failed", "验收意见:%[1]s。请按整改项修改后重新提交。", "Comments: %[1]s. Rework the listed items and deliver again.", "comments"),
	"retrospective_due":    simple("请组织复盘", "Retrospective due", "请在 3 个工作日内完成复盘(`复盘 <协作>`)。", "Please write the retrospective within 3 business days (`retro <collaboration>`).", ""),
	"retrospective_shared": simple("复盘已分享", "Retrospective shared", "「%[2]s」的复盘已完成,发送 `查看` 阅读。", "The retrospective of “%[2]s” is done; send `show` to read it.", ""),
	"archived":             simple("协作已归档", "Collaboration archived", "「%[2]s」已归档。", "“%[2]s” is archived.", ""),
}

func acceptanceRequested(v notice) (bot.Text, bot.Text, []bot.Button) {
	ref := v.c.ID.String()
	return bot.Text{ZH: "请验收", EN: "Please accept"},
		bot.Text{ZH: "成果已提交,请在 3 个工作日内验收(通过 / 不通过)。", EN: "Deliverables are in; please decide within 3 business days (pass / fail)."},
		[]bot.Button{{Label: "通过 Pass", Command: "accept " + ref + " pass", Style: "primary"}, {Label: "不通过 Fail", Command: "accept " + ref + " fail", Style: "danger"}}
}

// simple is a notification with a fixed title and a body formatted from
// (1) one parameter, (2) the topic, (3) the task title, (4) problems and
// (5) the description, so the table above stays one line per kind.
func simple(titleZH, titleEN, bodyZH, bodyEN, param string) func(notice) (bot.Text, bot.Text, []bot.Button) {
	return func(v notice) (bot.Text, bot.Text, []bot.Button) {
		p := v.param(param)
		if param == "person" {
			p = v.name(bot.PersonID(p))
		}
		args := []any{p, v.c.Request.Topic, v.param("title"), v.param("problems"), v.param("description")}
		return bot.Text{ZH: titleZH, EN: titleEN},
			bot.Text{ZH: fill(bodyZH, args), EN: fill(bodyEN, args)}, nil
	}
}

// fill formats a body whose verbs are all indexed (%[2]s); a body with
// none is returned as it is, since fmt would flag the unused arguments.
func fill(body string, args []any) string {
	if !strings.Contains(body, "%[") {
		return body
	}
	return fmt.Sprintf(body, args...)
}

// Notification renders an outbox notice for its recipient, in their language.
func (e *Engine) Notification(ctx context.Context, ws bot.Workspace, n bot.Notice) (bot.Notification, error) {
	out := bot.Notification{To: n.To, Subject: n.Subject, Lang: e.Lang, Kind: n.Kind, Collab: n.Collab}
	err := e.Store.View(ctx, ws, func(tx bot.Tx) error {
		// A notice about several collaborations (the daily progress
		// request) carries its own words and names none.
		var c *bot.Collaboration
		if n.Collab != 0 {
			var err error
			if c, err = tx.Collaboration(ctx, n.Collab); err != nil {
				return err
			}
			out.Group = c.Group
		}
		registered, err := tx.People(ctx)
		if err != nil {
			return err
		}
		dir := e.Directory.With(registered)
		if n.To != "" {
			st, err := tx.Settings(ctx, n.To)
			if err != nil {
				return err
			}
			p, _ := dir.Person(n.To)
			out.Lang = firstLang(st.Lang, p.Lang, e.Lang)
			out.Accounts = p.Identities
		}
		out.Reply = e.render(n, c, dir, out.Lang)
		return nil
	})
	return out, err
}

func (e *Engine) render(n bot.Notice, c *bot.Collaboration, dir *bot.Directory, lang bot.Lang) bot.Reply {
	v := notice{n: n, c: c,
		board: func(lang bot.Lang) string {
			return record.Board(c, dir, e.Clock.Now(), e.Calendar.Location(), lang)
		},
		name: func(id bot.PersonID) string {
			if p, ok := dir.Person(id); ok && p.Name != "" {
				return p.Name
			}
			return string(id)
		},
		param: func(k string) string { return n.Params[k] },
		date:  func(t time.Time) string { return t.In(e.Calendar.Location()).Format("2006-01-02") },
		when: func(k string) string {
			t, err := time.Parse(time.RFC3339, n.Params[k])
			if err != nil {
				return n.Params[k]
			}
			return t.In(e.Calendar.Location()).Format("2006-01-02 15:04")
		},
	}
	prefix := ""
	if c != nil && !standalone[n.Kind] {
		prefix = c.ID.String() + " · "
	}
	write, ok := notices[n.Kind]
	if !ok || (c == nil && !standalone[n.Kind]) {
		// A kind added to the domain before it got words here still reaches
		// people, plainly.
		e.Log.Warn("no words for notice kind", "kind", n.Kind, "collab", n.Collab)
		return bot.Reply{Title: strings.TrimSuffix(prefix, " · "), Body: n.Kind + " " + n.Subject}
	}
	title, body, buttons := write(v)
	r := bot.Reply{Title: prefix + title.In(lang), Body: body.In(lang)}
	for _, b := range buttons {
		b.Action, b.Value = "command", b.Command
		r.Buttons = append(r.Buttons, b)
	}
	return r
}
