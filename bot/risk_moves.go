package bot

import (
	"slices"
	"strings"
	"time"
)

// Issues that move tasks (seed 001: 系统关联原任务并同步进度调整): resolving
// an issue or risk can re-date the tasks it affects in the same step.
// A task of the resolving department moves at once; one of another
// department becomes a request to move it, which the coordinator
// approves as any other (task T-n approve). Each affected owner gets one
// notice listing their tasks.

// TaskMove is one task an issue's resolution re-dated, or asked to.
type TaskMove struct {
	Task TaskID    `json:"task"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	At   time.Time `json:"at"`
	// Asked is set when the move waits for the coordinator's approval.
	Asked bool `json:"asked,omitempty"`
}

// ResolveRiskMoving resolves a risk and re-dates the tasks it affects to
// due. Nothing changes unless every task can move.
func (c *Collaboration) ResolveRiskMoving(actor Actor, id RiskID, resolution string, tasks []TaskID, due time.Time, now time.Time) error {
	if len(tasks) == 0 {
		return RefuseField(CodeRequired, "tasks", "refuse.risk.no_tasks", nil)
	}
	r, err := c.resolvable(actor, id, resolution)
	if err != nil {
		return err
	}
	if err := FutureDue("due", due, now); err != nil {
		return err
	}
	var moving []*Task
	for _, tid := range slices.Compact(slices.Clone(tasks)) {
		t, err := c.Task(tid)
		if err != nil {
			return err
		}
		if !t.Open() {
			return Refuse(CodeWrongState, "refuse.task.closed", Args{"task": tid.String(), "status": t.Status.LabelText()})
		}
		if due.Equal(t.Due) {
			return Refuse(CodeAlreadyDone, "refuse.task.due_unchanged", Args{"task": tid.String(), "due": stamp(due, now.Location())})
		}
		moving = append(moving, t)
	}
	if err := c.ResolveRisk(actor, id, resolution, now); err != nil {
		return err
	}
	reason := strings.TrimSpace(resolution)
	byOwner := map[PersonID][]string{}
	var owners []PersonID
	for _, t := range moving {
		m := TaskMove{Task: t.ID, From: t.Due, To: due, At: now}
		r.Tasks = appendUnique(r.Tasks, t.ID)
		t.Risks = appendUnique(t.Risks, id)
		if c.CanReplan(actor, t) || t.Department == r.Department {
			c.move(actor.Person, t, due, reason, now) // the owner hears it in the list below
		} else {
			m.Asked = true
			t.DueRequest = &DueRequest{Due: due, Reason: reason, By: actor.Person, At: now}
			c.record(now, actor.Person, "due_change_requested", t.ID.String(),
				changeNote([]Change{{"due", stamp(t.Due, now.Location()), stamp(due, now.Location())}, {"reason", "", reason}}))
			// The one asking is who resolved the risk, not the owner: the
			// notice names them and the risk.
			c.notify(now, actor.Person, "due_change_requested", t.ID.String(), map[string]string{"title": t.Title, "owner": string(t.Owner),
				"by": string(actor.Person), "risk": id.String(),
				"before": t.Due.Format(time.RFC3339), "due": due.Format(time.RFC3339), "reason": reason}, c.Coordinator)
		}
		r.Moves = append(r.Moves, m)
		if _, ok := byOwner[t.Owner]; !ok {
			owners = append(owners, t.Owner)
		}
		entry := t.ID.String()
		if m.Asked {
			entry += "?"
		}
		byOwner[t.Owner] = append(byOwner[t.Owner], entry)
	}
	c.record(now, actor.Person, "risk_moved_tasks", id.String(), strings.Join(movedList(r.Moves[len(r.Moves)-len(moving):], now.Location()), ", "))
	for _, o := range owners {
		c.notify(now, actor.Person, "risk_tasks_moved", id.String(), map[string]string{"tasks": strings.Join(byOwner[o], ","),
			"due": due.Format(time.RFC3339), "resolution": reason, "description": r.Description}, o)
	}
	return nil
}

// movedList writes moves as "T-3: 2026-12-10 18:00 → 2026-12-20 18:00".
func movedList(moves []TaskMove, loc *time.Location) []string {
	out := make([]string, len(moves))
	for i, m := range moves {
		out[i] = m.Task.String() + ": " + stamp(m.From, loc) + " → " + stamp(m.To, loc)
	}
	return out
}
