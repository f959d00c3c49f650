package web

import (
	"slices"

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
	me := v.Actor.Person
	var out []waitItem
	for _, c := range list {
		if c.Status.Closed() || c.Status == bot.StatusDraft {
			continue
		}
		id := c.ID.String()
		add := func(what, command string) {
			out = append(out, waitItem{Collab: id, Topic: c.Request.Topic, What: what, Command: command})
		}
		owns := c.Requester == me || c.Coordinator == me
		if c.Status == bot.StatusRejected && owns {
			add(w.T("page.wait.rejected"), cmd("修改 "+id, "edit "+id))
		}
		if c.Status == bot.StatusInReview && v.Actor.Heads(c.RequestingDept) {
			add(w.T("page.wait.review"), cmd("初审 "+id+" 通过", "review "+id+" approve"))
		}
		for _, a := range c.Acks {
			switch {
			case a.Status == bot.AckPending && c.SpeaksFor(v.Actor, a.Department):
				add(w.F("page.wait.ack", a.Department), cmd("确认 "+id+" 承接", "ack "+id+" accept"))
			case a.Status == bot.AckNeedsInfo && owns:
				add(w.F("page.wait.answer", a.Department, a.Question), cmd("补充 "+id+" "+a.Department+" …", "answer "+id+" "+a.Department+" …"))
			case a.Status == bot.AckDeclined && owns:
				add(w.F("page.wait.declined", a.Department, a.Reason), cmd("移除部门 "+id+" "+a.Department, "drop "+id+" "+a.Department))
			}
		}
		for _, m := range c.Held() {
			if m.Minutes != nil && !m.Cancelled && slices.Contains(m.Unconfirmed(), me) {
				add(w.F("page.wait.minutes", m.Ref()), cmd("确认 "+m.Ref(), "confirm "+m.Ref()))
			}
		}
		for _, t := range c.Tasks {
			if t.DueRequest != nil && t.Open() && c.CanReplan(v.Actor, t) {
				add(w.F("page.wait.due", t.ID, t.Title, t.DueRequest.Due.In(v.Now.Location()).Format("2006-01-02")),
					cmd("任务 "+t.ID.String()+" 同意", "task "+t.ID.String()+" approve"))
			}
		}
		if c.Status == bot.StatusAccepting && owns {
			add(w.T("page.wait.acceptance"), cmd("验收 "+id+" 通过", "accept "+id+" pass"))
		}
	}
	return out
}
