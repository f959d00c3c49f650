package web

import (
	"github.com/collabot/collabot/bot"
)

// waitItem is one thing waiting for the viewer, with the chat command
// that does it: the board only reads.
type waitItem struct {
	Collab  string
	Topic   string
	What    string
	Command string
}

// waiting lists what waits for the viewer in the collaborations they may
// see, by the rules chat's `确认` (alone) lists them: first reviews,
// acknowledgements, questions to answer and declines to settle, minutes
// to confirm, requests to move a date, deliverables to accept.
func waiting(list []*bot.Collaboration, v *viewer) []waitItem {
	w := catalogue{v.Lang}
	zh := v.Lang != bot.English
	cmd := func(zhCmd, enCmd string) string {
		if zh {
			return zhCmd
		}
		return enCmd
	}
	var out []waitItem
	for _, c := range list {
		id := c.ID.String()
		add := func(what, command string) {
			out = append(out, waitItem{Collab: id, Topic: c.Request.Topic, What: what, Command: command})
		}
		for _, wt := range c.WaitsFor(v.Actor) {
			switch wt.Kind {
			case bot.WaitRework:
				add(w.T("page.wait.rejected"), cmd("修改 "+id, "edit "+id))
			case bot.WaitReview:
				add(w.T("page.wait.review"), cmd("初审 "+id+" 通过", "review "+id+" approve"))
			case bot.WaitAck:
				add(w.F("page.wait.ack", wt.Department), cmd("确认 "+id+" 承接", "ack "+id+" accept"))
			case bot.WaitQuestion:
				add(w.F("page.wait.answer", wt.Department, wt.Question), cmd("补充 "+id+" "+wt.Department+" …", "answer "+id+" "+wt.Department+" …"))
			case bot.WaitDeclined:
				add(w.F("page.wait.declined", wt.Department, wt.Reason), cmd("移除部门 "+id+" "+wt.Department, "drop "+id+" "+wt.Department))
			case bot.WaitMinutes:
				add(w.F("page.wait.minutes", wt.Meeting), cmd("确认 "+wt.Meeting, "confirm "+wt.Meeting))
			case bot.WaitDueChange:
				add(w.F("page.wait.due", wt.Task, wt.Title, wt.Due.In(v.Now.Location()).Format("2006-01-02")),
					cmd("任务 "+wt.Task.String()+" 同意", "task "+wt.Task.String()+" approve"))
			case bot.WaitTaskConfirmation:
				add(w.F("page.wait.task_confirmation", wt.Task, wt.Title, v.Dir.Name(wt.Owner)),
					cmd("任务 "+wt.Task.String()+" 确认", "task "+wt.Task.String()+" confirm"))
			case bot.WaitAcceptance:
				add(w.T("page.wait.acceptance"), cmd("验收 "+id+" 通过", "accept "+id+" pass"))
			case bot.WaitRisk:
				add(w.F("page.wait.risk", wt.Risk, wt.Title), cmd("风险 "+wt.Risk.String()+" 响应", "risk "+wt.Risk.String()+" respond"))
			case bot.WaitRedeliver:
				add(w.F("page.wait.redeliver", wt.Due.In(v.Now.Location()).Format("2006-01-02")), cmd("提交成果 "+id, "deliver "+id))
			case bot.WaitRetrospective:
				add(w.T("page.wait.retrospective"), cmd("复盘 "+id, "retro "+id))
			case bot.WaitArchive:
				add(w.T("page.wait.archive"), cmd("归档 "+id, "archive "+id))
			case bot.WaitSignoff:
				add(w.F("page.wait.signoff", wt.Department), cmd("共识函 "+id+" 签署 "+wt.Department, "signoff "+id+" sign "+wt.Department))
			case bot.WaitSignoffRefused:
				add(w.F("page.wait.signoff_refused", wt.Department, wt.Reason), cmd("共识函 "+id+" 重新发起", "signoff "+id+" renew"))
			case bot.WaitPlan:
				add(w.F("page.wait.plan", wt.Department), cmd("方案 "+id+" 提交 "+wt.Department, "plan "+id+" submit "+wt.Department))
			case bot.WaitPlanDecision:
				add(w.F("page.wait.plan_decision", wt.Department), cmd("方案 "+id+" 批准 "+wt.Department, "plan "+id+" approve "+wt.Department))
			}
		}
	}
	return out
}
