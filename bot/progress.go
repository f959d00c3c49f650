package bot

import (
	"slices"
	"strings"
	"time"
)

// ProgressUpdate is one person's daily report on one collaboration
// (每日进度): what is done, what is not, what got in the way, and the new
// status of their tasks. There is one per person per business day; a second
// post on the same day replaces the first.
type ProgressUpdate struct {
	Collab   CollabID       `json:"collab"`
	Person   PersonID       `json:"person"`
	Day      string         `json:"day"` // the business day, YYYY-MM-DD in the workspace's time zone
	At       time.Time      `json:"at"`
	Done     string         `json:"done,omitempty"`     // 已完成
	NotDone  string         `json:"not_done,omitempty"` // 未完成
	Problems string         `json:"problems,omitempty"` // 遇到的问题
	Changes  []StatusChange `json:"changes,omitempty"`  // 任务状态
	// Attachments are the files and links shared with the update (附件).
	Attachments []Attachment `json:"attachments,omitempty"`
}

// StatusChange is one "T-3: needs_help" line of a progress update.
type StatusChange struct {
	Task   TaskID     `json:"task"`
	Status TaskStatus `json:"status"`
	Note   string     `json:"note,omitempty"`
}

// PostProgress records a progress update and applies its status changes,
// all or nothing: one refused change refuses the whole update, so the
// person can fix it and post again without half of it already applied.
func (c *Collaboration) PostProgress(actor Actor, u ProgressUpdate, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	if _, err := time.Parse(time.DateOnly, u.Day); err != nil {
		return RefuseField(CodeInvalid, "day", "refuse.progress.bad_day", nil)
	}
	hasTask := c.isCoordinator(actor)
	for _, t := range c.Tasks {
		if t.Status != TaskCancelled && (t.Owner == actor.Person || slices.Contains(t.Collaborators, actor.Person)) {
			hasTask = true
		}
	}
	if !hasTask {
		return forbidden("refuse.progress.no_tasks", Args{"ref": c.ID.String()})
	}
	u.Done, u.NotDone, u.Problems = strings.TrimSpace(u.Done), strings.TrimSpace(u.NotDone), strings.TrimSpace(u.Problems)
	if u.Done == "" && u.NotDone == "" && u.Problems == "" && len(u.Changes) == 0 {
		return RefuseField(CodeRequired, "done", "refuse.progress.empty", nil)
	}
	if err := firstError(
		limit("done", u.Done, "refuse.label.done"),
		limit("pending", u.NotDone, "refuse.label.pending"),
		limit("problems", u.Problems, "refuse.label.problems"),
	); err != nil {
		return err
	}
	tasks := make([]*Task, len(u.Changes))
	for i, ch := range u.Changes {
		t, err := c.checkStatus(actor, ch.Task, ch.Status, ch.Note)
		if err != nil {
			return err
		}
		tasks[i] = t
	}
	for i, ch := range u.Changes {
		c.setStatus(actor.Person, tasks[i], ch.Status, ch.Note, now)
	}
	u.Collab, u.Person, u.At = c.ID, actor.Person, now
	c.pending.progress = append(c.pending.progress, u)
	c.record(now, actor.Person, "progress_posted", u.Day, "")
	// The problems reach the coordinator once: as the note of a task that
	// needs help, or else as a problem of the update.
	told := slices.ContainsFunc(u.Changes, func(ch StatusChange) bool {
		return (ch.Status == TaskNeedsHelp || ch.Status == TaskBlocked) && ch.Note == u.Problems
	})
	if u.Problems != "" && !told {
		c.notify(now, actor.Person, "progress_problem", u.Day+"/"+string(actor.Person),
			map[string]string{"problems": u.Problems, "person": string(actor.Person)}, c.Coordinator)
	}
	return nil
}
