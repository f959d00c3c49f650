package engine

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The head's confirmation of a new task (seed 001: 负责人确认后系统自动向任务
// 执行人发送待办提醒): "task T-3 confirm", "task T-3 reassign @david
// [2026-12-20]", and the coordinator's switch "task COL-1 confirmation
// on|off".

var confirmSubs = []sub{
	{[]string{"confirm", "确认", "确认分配"}, words.Text("help.task.confirm", nil), taskConfirm},
	{[]string{"reassign", "改派", "转派"}, words.Text("help.task.reassign", nil), taskReassignOnConfirm},
}

// The confirmation's sub-commands join the task's, for the router, the
// help and the Chinese spelling of buttons alike.
func init() {
	taskSubs = append(taskSubs, confirmSubs...)
	subTables["task"] = taskSubs
}

// confirmationWords name the collaboration's switch.
var confirmationWords = []string{"confirmation", "confirm", "负责人确认", "任务确认"}

// addTaskFor plans a task, through its head when the collaboration asks
// for the head's confirmation.
func (s *session) addTaskFor(c *bot.Collaboration, t bot.Task) error {
	if c.ConfirmsTasks(s.e.Policy.TaskConfirmation.On) {
		return c.AddTaskForConfirmation(s.dir, s.actor, t, s.now)
	}
	return c.AddTask(s.dir, s.actor, t, s.now)
}

// taskAddedReply says a task was planned, and to whom it went first.
func (s *session) taskAddedReply(c *bot.Collaboration, id bot.TaskID) {
	t, err := c.Task(id)
	if err != nil {
		return
	}
	s.sayKey("reply.task.added", words.Args{"task": t.ID, "title": t.Title, "owner": s.name(t.Owner), "due": s.fmtTime(t.Due)})
	if t.Awaiting() {
		s.sayKey("reply.task.awaiting_confirmation", words.Args{"head": s.name(t.Confirmation.Head)})
	}
}

func taskConfirm(ctx context.Context, s *session, c *bot.Collaboration, n int64, _ input) error {
	id := bot.TaskID(n)
	if err := c.ConfirmTask(s.actor, id, s.now); err != nil {
		return err
	}
	t, _ := c.Task(id)
	return s.saveKey(ctx, c, "reply.task.confirmed", words.Args{"id": id, "owner": s.name(t.Owner)})
}

// taskReassignOnConfirm is "task T-3 reassign @david [date]".
func taskReassignOnConfirm(ctx context.Context, s *session, c *bot.Collaboration, n int64, rest input) error {
	id := bot.TaskID(n)
	if len(rest.args) == 0 {
		return bot.RefuseField(bot.CodeRequired, "owner", "refuse.task.reassign_needs_person", bot.Args{"task": id.String()})
	}
	who, err := s.personArg(input{args: rest.args[:1], rest: rest.args[0]}, "owner")
	if err != nil {
		return err
	}
	var due time.Time // unchanged unless a date follows the person
	if more := strings.TrimSpace(strings.Join(rest.args[1:], " ")); more != "" {
		if due, _, err = s.dateThen(more, false); err != nil {
			return err
		}
	}
	if err := c.ReassignOnConfirm(s.dir, s.actor, id, who, due, s.now); err != nil {
		return err
	}
	t, _ := c.Task(id)
	return s.saveKey(ctx, c, "reply.task.reassigned_on_confirm", words.Args{"id": id, "owner": s.name(t.Owner), "due": s.fmtTime(t.Due)})
}

// taskConfirmationSwitch is "task COL-1 confirmation on|off".
func taskConfirmationSwitch(ctx context.Context, s *session, in input) error {
	ref, _ := refArg(in, bot.KindCollab)
	if !slices.Contains(confirmationWords, strings.ToLower(in.arg(1))) {
		return bot.RefuseField(bot.CodeInvalid, "action", "help.task.usage", nil)
	}
	var on bool
	switch strings.ToLower(in.arg(2)) {
	case "on", "开", "开启", "打开":
		on = true
	case "off", "关", "关闭":
	default:
		return bot.RefuseField(bot.CodeInvalid, "value", "refuse.task.confirmation_on_off", nil)
	}
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	if err := c.SetTaskConfirmation(s.actor, on, s.now); err != nil {
		return err
	}
	key := "reply.task.confirmation_off"
	if on {
		key = "reply.task.confirmation_on"
	}
	return s.saveKey(ctx, c, key, words.Args{"ref": c.ID})
}
