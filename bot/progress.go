package bot

import (
	"slices"
	"strings"
	"time"
)

// ProgressUpdate is one person's daily report on one collaboration
// (每日进度): what is done, what is not, what got in the way, and the new
// status of their tasks. There is one per person per business day; a second
// post on the same day corrects the first (ReplaceProgress), leaving what
// it changed in the timeline.
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
	_, err := c.ReplaceProgress(actor, nil, u, now)
	return err
}

// ReplaceProgress posts u over prev, the person's update of the same day
// on this collaboration (nil when there is none): the store keeps one
// update a day, so a second one is a correction, and the timeline keeps
// what it changed (done, pending, problems: before → after) where the
// replaced text stays findable. Task statuses and attachments of the
// first update that the second does not restate are kept. It returns
// the changes; a correction that changes nothing is refused.
func (c *Collaboration) ReplaceProgress(actor Actor, prev *ProgressUpdate, u ProgressUpdate, now time.Time) ([]Change, error) {
	if prev != nil && (prev.Person != actor.Person || prev.Day != u.Day) {
		prev = nil // another person's or day's update is not replaced
	}
	if err := c.inPlay(); err != nil {
		return nil, err
	}
	if _, err := time.Parse(time.DateOnly, u.Day); err != nil {
		return nil, RefuseField(CodeInvalid, "day", "refuse.progress.bad_day", nil)
	}
	hasTask := c.isCoordinator(actor)
	for _, t := range c.Tasks {
		if t.Status != TaskCancelled && (t.Owner == actor.Person || slices.Contains(t.Collaborators, actor.Person)) {
			hasTask = true
		}
	}
	if !hasTask {
		return nil, forbidden("refuse.progress.no_tasks", Args{"ref": c.ID.String()})
	}
	u.Done, u.NotDone, u.Problems = strings.TrimSpace(u.Done), strings.TrimSpace(u.NotDone), strings.TrimSpace(u.Problems)
	if u.Done == "" && u.NotDone == "" && u.Problems == "" && len(u.Changes) == 0 {
		return nil, RefuseField(CodeRequired, "done", "refuse.progress.empty", nil)
	}
	if err := firstError(
		limit("done", u.Done, "refuse.label.done"),
		limit("pending", u.NotDone, "refuse.label.pending"),
		limit("problems", u.Problems, "refuse.label.problems"),
	); err != nil {
		return nil, err
	}
	tasks := make([]*Task, len(u.Changes))
	for i, ch := range u.Changes {
		t, err := c.checkStatus(actor, ch.Task, ch.Status, ch.Note)
		if err != nil {
			return nil, err
		}
		tasks[i] = t
	}
	var changes []Change
	if prev != nil {
		changes = progressChanges(*prev, u)
		if len(changes) == 0 && len(u.Changes) == 0 && len(u.Attachments) == 0 {
			return nil, Refuse(CodeAlreadyDone, "refuse.progress.unchanged", Args{"ref": c.ID.String()})
		}
	}
	for i, ch := range u.Changes {
		c.setStatus(actor.Person, tasks[i], ch.Status, ch.Note, now)
	}
	told := slices.ContainsFunc(u.Changes, func(ch StatusChange) bool {
		return (ch.Status == TaskNeedsHelp || ch.Status == TaskBlocked) && ch.Note == u.Problems
	})
	u.Collab, u.Person, u.At = c.ID, actor.Person, now
	if prev != nil {
		u.Changes = keptStatuses(prev.Changes, u.Changes)
		u.Attachments = keptAttachments(prev.Attachments, u.Attachments)
		// The coordinator heard of the problems already, unless they changed.
		told = told || u.Problems == prev.Problems
	}
	c.pending.progress = append(c.pending.progress, u)
	if prev == nil {
		c.record(now, actor.Person, "progress_posted", u.Day, "")
	} else if len(changes) > 0 {
		c.record(now, actor.Person, "progress_corrected", u.Day, traceNote(changes))
	}
	// The problems reach the coordinator once: as the note of a task that
	// needs help, or else as a problem of the update.
	if u.Problems != "" && !told {
		c.notify(now, actor.Person, "progress_problem", u.Day+"/"+string(actor.Person),
			map[string]string{"problems": u.Problems, "person": string(actor.Person)}, c.Coordinator)
	}
	return changes, nil
}

// progressChanges are what a second update of the day changes in the
// first, keyed by the progress form's fields.
func progressChanges(a, b ProgressUpdate) []Change {
	var out []Change
	out = changed(out, "done", a.Done, b.Done)
	out = changed(out, "pending", a.NotDone, b.NotDone)
	out = changed(out, "problems", a.Problems, b.Problems)
	return out
}

// keptStatuses are the status lines of the first update of the day that
// the second does not restate, then the second's: the day's update still
// says every status the person set that day.
func keptStatuses(before, after []StatusChange) []StatusChange {
	out := slices.DeleteFunc(slices.Clone(before), func(b StatusChange) bool {
		return slices.ContainsFunc(after, func(a StatusChange) bool { return a.Task == b.Task })
	})
	return append(out, after...)
}

// keptAttachments are the first update's files, then the second's new
// ones: a correction of the text does not lose what was shared.
func keptAttachments(before, after []Attachment) []Attachment {
	out := slices.Clone(before)
	for _, a := range after {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}
