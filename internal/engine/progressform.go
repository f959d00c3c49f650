package engine

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
)

// The daily progress form as data: its free-text "status" field (lines
// like "T-3: needs_help") becomes one choice per open task of the person,
// prefilled with the task's status, so a renderer with selects (a Slack
// modal) asks done / not done / problems and a status per task in one
// form. The submission gives the choices back by "status:T-3"; those that
// changed are read as the status lines the chat dialog takes.

// statusKey prefixes the per-task status fields of the progress form.
const statusKey = "status:"

// taskStatuses are the statuses a person sets on their own task.
var taskStatuses = []bot.TaskStatus{bot.TaskTodo, bot.TaskInProgress, bot.TaskNeedsHelp, bot.TaskBlocked, bot.TaskDone}

// progressTasks replaces the progress form's status field by one choice
// per open task of the person in the collaboration.
func (s *session) progressTasks(ctx context.Context, f *bot.Form) error {
	at := slices.IndexFunc(f.Fields, func(x bot.FormField) bool { return x.Key == "status" })
	if f.Name != "progress" || f.Target == "" || at < 0 {
		return nil
	}
	c, err := s.collab(ctx, f.Target)
	if err != nil {
		return err
	}
	tasks := c.OpenTasksOf(s.person.ID)
	if len(tasks) == 0 {
		return nil
	}
	var choices []bot.FormChoice
	for _, st := range taskStatuses {
		choices = append(choices, bot.FormChoice{Value: string(st), Label: st.LabelText()})
	}
	var fields []bot.FormField
	for _, t := range tasks {
		label := t.ID.String() + " " + t.Title
		fields = append(fields, bot.FormField{Key: statusKey + t.ID.String(), Kind: bot.InputChoice,
			Label: bot.Text{ZH: label, EN: label}, Help: f.Fields[at].Label, Choices: choices, Value: []string{string(t.Status)}})
	}
	f.Fields = slices.Concat(f.Fields[:at], fields, f.Fields[at+1:])
	return nil
}

// progressStatuses folds the per-task choices of a progress submission
// into its status field: one line per task whose status changed.
func (s *session) progressStatuses(ctx context.Context, sub *bot.Submission) error {
	if sub.Form != "progress" || sub.Target == "" {
		return nil
	}
	var keys []string
	for k := range sub.Values {
		if strings.HasPrefix(k, statusKey) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	sub.Values = maps.Clone(sub.Values) // the caller's map stays as given (a retried transaction reads it again)
	c, err := s.collab(ctx, sub.Target)
	if err != nil {
		return err
	}
	for _, k := range keys {
		ref, v := strings.TrimPrefix(k, statusKey), sub.Values[k]
		delete(sub.Values, k)
		if len(v) == 0 {
			continue
		}
		id, err := bot.ParseTaskID(ref)
		if err != nil {
			continue
		}
		if t, err := c.Task(id); err == nil && string(t.Status) == v[0] {
			continue // unchanged
		}
		sub.Values["status"] = append(sub.Values["status"], ref+": "+v[0])
	}
	return nil
}
