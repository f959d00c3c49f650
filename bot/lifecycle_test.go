package bot_test

import (
	"errors"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

func accept() bot.Answer { return bot.Answer{Decision: bot.AckAccepted, Scope: "接口"} }

// TestLifecycle walks every transition of process.md from the stage it
// starts in: who may do it, what it requires and where it leads.
func TestLifecycle(t *testing.T) {
	tests := []struct {
		name  string
		stage bot.CollabStatus
		actor string
		do    func(w *world, a bot.Actor) error
		code  bot.Code         // "" when the action is allowed
		then  bot.CollabStatus // status afterwards ("" = unchanged)
	}{
		// Phase 1: request and first review.
		{"requester submits draft", bot.StatusDraft, "amy", submit, "", bot.StatusAwaitingAck},
		{"stranger cannot submit", bot.StatusDraft, "ben", submit, bot.CodeForbidden, ""},
		{"submit twice", bot.StatusAwaitingAck, "amy", submit, bot.CodeWrongState, ""},
		{"head approves review", bot.StatusInReview, "alice", review(true, ""), "", bot.StatusAwaitingAck},
		{"head rejects with comments", bot.StatusInReview, "alice", review(false, "目标不清"), "", bot.StatusRejected},
		{"reject needs comments", bot.StatusInReview, "alice", review(false, " "), bot.CodeRequired, ""},
		{"another head cannot review", bot.StatusInReview, "bob", review(true, ""), bot.CodeForbidden, ""},
		{"requester cannot review own request", bot.StatusInReview, "amy", review(true, ""), bot.CodeForbidden, ""},
		{"review only in review", bot.StatusAwaitingAck, "alice", review(true, ""), bot.CodeWrongState, ""},
		{"rejected request is edited", bot.StatusRejected, "amy", edit, "", bot.StatusRejected},
		{"rejected request resubmitted goes to review again", bot.StatusRejected, "amy", submit, "", bot.StatusInReview},
		{"request in review is edited", bot.StatusInReview, "amy", edit, "", ""},
		{"request awaiting acknowledgement is edited", bot.StatusAwaitingAck, "amy", edit, "", ""},
		{"an active request's wording is edited", bot.StatusActive, "amy", edit, "", ""},
		{"an active request's due date cannot be edited", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			r := w.c.Request
			r.Goal, r.Due = "新目标", r.Due.Add(48*time.Hour)
			_, err := w.c.EditRequest(w.dir, a, r, t0)
			return err
		}, bot.CodeWrongState, ""},
		{"an active request's deliverables cannot be edited", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			r := w.c.Request
			r.Deliverables = "别的交付物"
			_, err := w.c.EditRequest(w.dir, a, r, t0)
			return err
		}, bot.CodeWrongState, ""},
		{"a contact cannot edit the request", bot.StatusAwaitingAck, "ben", edit, bot.CodeForbidden, ""},
		{"an edit that changes nothing", bot.StatusAwaitingAck, "amy", func(w *world, a bot.Actor) error {
			_, err := w.c.EditRequest(w.dir, a, w.c.Request, t0)
			return err
		}, bot.CodeAlreadyDone, ""},
		{"removing the pending department activates", bot.StatusAwaitingAck, "amy", func(w *world, a bot.Actor) error {
			w.must(w.c.Acknowledge(w.as("ben"), "研发部", accept(), t0))
			r := w.c.Request
			r.Departments = r.Departments[:1]
			_, err := w.c.EditRequest(w.dir, a, r, t0)
			return err
		}, "", bot.StatusActive},
		{"coordinator hands over", bot.StatusActive, "amy", func(w *world, a bot.Actor) error { return w.c.ChangeCoordinator(w.dir, a, "mark", t0) }, "", ""},
		{"a contact cannot hand the coordination over", bot.StatusActive, "ben", func(w *world, a bot.Actor) error { return w.c.ChangeCoordinator(w.dir, a, "ben", t0) }, bot.CodeForbidden, ""},
		{"the coordinator must be known", bot.StatusActive, "amy", func(w *world, a bot.Actor) error { return w.c.ChangeCoordinator(w.dir, a, "ghost", t0) }, bot.CodeUnknownPerson, ""},
		{"coordinator cancels", bot.StatusActive, "amy", cancel("预算取消"), "", bot.StatusCancelled},
		{"cancel needs a reason", bot.StatusActive, "amy", cancel(""), bot.CodeRequired, ""},
		{"contact cannot cancel", bot.StatusActive, "ben", cancel("不想做"), bot.CodeForbidden, ""},

		// Phase 2: acknowledgement.
		{"contact accepts", bot.StatusAwaitingAck, "ben", ack("研发部", accept()), "", bot.StatusAwaitingAck},
		{"head accepts for own department", bot.StatusAwaitingAck, "bob", ack("研发部", accept()), "", ""},
		{"研发部 cannot acknowledge for 财务部", bot.StatusAwaitingAck, "ben", ack("财务部", accept()), bot.CodeForbidden, ""},
		{"plain member cannot commit the department", bot.StatusAwaitingAck, "bella", ack("研发部", accept()), bot.CodeForbidden, ""},
		{"unknown department", bot.StatusAwaitingAck, "ben", ack("运营部", accept()), bot.CodeUnknownDept, ""},
		{"decline needs a reason", bot.StatusAwaitingAck, "ben", ack("研发部", bot.Answer{Decision: bot.AckDeclined, Alternative: "外包"}), bot.CodeRequired, ""},
		{"decline needs an alternative", bot.StatusAwaitingAck, "ben", ack("研发部", bot.Answer{Decision: bot.AckDeclined, Reason: "人手不足"}), bot.CodeRequired, ""},
		{"decline with reason and alternative", bot.StatusAwaitingAck, "ben", ack("研发部", bot.Answer{Decision: bot.AckDeclined, Reason: "人手不足", Alternative: "下月排期"}), "", bot.StatusAwaitingAck},
		{"needs info needs a question", bot.StatusAwaitingAck, "ben", ack("研发部", bot.Answer{Decision: bot.AckNeedsInfo}), bot.CodeRequired, ""},
		{"no decision", bot.StatusAwaitingAck, "ben", ack("研发部", bot.Answer{}), bot.CodeInvalid, ""},
		{"answer twice", bot.StatusActive, "ben", ack("研发部", accept()), bot.CodeAlreadyDone, ""},
		{"no acknowledgement before submission", bot.StatusDraft, "ben", ack("研发部", accept()), bot.CodeUnknownDept, ""},
		{"all accepted makes it active", bot.StatusAwaitingAck, "fiona", func(w *world, a bot.Actor) error {
			w.must(w.c.Acknowledge(w.as("ben"), "研发部", accept(), t0))
			return w.c.Acknowledge(a, "财务部", accept(), t0)
		}, "", bot.StatusActive},
		{"requester answers a question", bot.StatusAwaitingAck, "amy", func(w *world, a bot.Actor) error {
			w.must(w.c.Acknowledge(w.as("ben"), "研发部", bot.Answer{Decision: bot.AckNeedsInfo, Question: "测试标准?"}, t0))
			return w.c.AnswerQuestion(a, "研发部", "见附件用例", t0)
		}, "", ""},
		{"only requester answers a question", bot.StatusAwaitingAck, "bella", func(w *world, a bot.Actor) error {
			w.must(w.c.Acknowledge(w.as("ben"), "研发部", bot.Answer{Decision: bot.AckNeedsInfo, Question: "测试标准?"}, t0))
			return w.c.AnswerQuestion(a, "研发部", "见附件用例", t0)
		}, bot.CodeForbidden, ""},
		{"dropping a declined department activates", bot.StatusAwaitingAck, "amy", func(w *world, a bot.Actor) error {
			w.must(w.c.Acknowledge(w.as("ben"), "研发部", accept(), t0))
			w.must(w.c.Acknowledge(w.as("fiona"), "财务部", bot.Answer{Decision: bot.AckDeclined, Reason: "无预算", Alternative: "走市场预算"}, t0))
			return w.c.DropDepartment(a, "财务部", t0)
		}, "", bot.StatusActive},
		{"cannot drop a department that accepted", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.DropDepartment(a, "财务部", t0)
		}, bot.CodeWrongState, ""},
		{"a contact cannot drop a department", bot.StatusAwaitingAck, "ben", func(w *world, a bot.Actor) error {
			w.must(w.c.Acknowledge(w.as("fiona"), "财务部", bot.Answer{Decision: bot.AckDeclined, Reason: "无预算", Alternative: "走市场预算"}, t0))
			return w.c.DropDepartment(a, "财务部", t0)
		}, bot.CodeForbidden, ""},
		{"another contact is asked after a decline", bot.StatusAwaitingAck, "amy", func(w *world, a bot.Actor) error {
			w.must(w.c.Acknowledge(w.as("fiona"), "财务部", bot.Answer{Decision: bot.AckDeclined, Reason: "无预算", Alternative: "问 frank"}, t0))
			return w.c.ChangeContact(w.dir, a, "财务部", "frank", t0)
		}, "", ""},
		{"the head names another contact", bot.StatusAwaitingAck, "frank", func(w *world, a bot.Actor) error {
			return w.c.ChangeContact(w.dir, a, "财务部", "frank", t0)
		}, "", ""},
		{"a member cannot change the contact", bot.StatusAwaitingAck, "bella", func(w *world, a bot.Actor) error {
			return w.c.ChangeContact(w.dir, a, "研发部", "bella", t0)
		}, bot.CodeForbidden, ""},

		// Phase 3: tasks and meetings.
		{"coordinator adds task", bot.StatusActive, "amy", addTask(bot.Task{ID: 9, Title: "预算审批", Department: "finance", Owner: "fiona", Due: day(3), Standard: "审批通过"}), "", ""},
		{"contact plans own department", bot.StatusActive, "ben", addTask(bot.Task{ID: 9, Title: "联调", Department: "研发部", Owner: "bella", Due: day(3), Standard: "通过"}), "", ""},
		{"contact cannot plan another department", bot.StatusActive, "ben", addTask(bot.Task{ID: 9, Title: "预算", Department: "财务部", Owner: "fiona", Due: day(3), Standard: "通过"}), bot.CodeForbidden, ""},
		{"task due must be in the future", bot.StatusActive, "amy", addTask(bot.Task{ID: 9, Title: "x", Department: "研发部", Owner: "ben", Due: day(-1), Standard: "s"}), bot.CodeDueInPast, ""},
		{"task needs an owner", bot.StatusActive, "amy", addTask(bot.Task{ID: 9, Title: "x", Department: "研发部", Due: day(2), Standard: "s"}), bot.CodeRequired, ""},
		{"task owner must be known", bot.StatusActive, "amy", addTask(bot.Task{ID: 9, Title: "x", Department: "研发部", Owner: "ghost", Due: day(2), Standard: "s"}), bot.CodeUnknownPerson, ""},
		{"task needs an acceptance standard", bot.StatusActive, "amy", addTask(bot.Task{ID: 9, Title: "x", Department: "研发部", Owner: "ben", Due: day(2)}), bot.CodeRequired, ""},
		{"task department must take part", bot.StatusActive, "amy", addTask(bot.Task{ID: 9, Title: "x", Department: "运营部", Owner: "oscar", Due: day(2), Standard: "s"}), bot.CodeUnknownDept, ""},
		{"sub-task", bot.StatusActive, "amy", addTask(bot.Task{ID: 9, Parent: 1, Title: "子任务", Department: "研发部", Owner: "bella", Due: day(2), Standard: "s"}), "", ""},
		{"WBS has two levels", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			w.must(w.c.AddTask(w.dir, a, bot.Task{ID: 9, Parent: 1, Title: "子任务", Department: "研发部", Owner: "bella", Due: day(2), Standard: "s"}, t0))
			return w.c.AddTask(w.dir, a, bot.Task{ID: 10, Parent: 9, Title: "孙任务", Department: "研发部", Owner: "bella", Due: day(2), Standard: "s"}, t0)
		}, bot.CodeInvalid, ""},
		{"no tasks in a draft", bot.StatusDraft, "amy", addTask(bot.Task{ID: 9, Title: "x", Department: "研发部", Owner: "ben", Due: day(2), Standard: "s"}), bot.CodeWrongState, ""},
		{"owner starts the task", bot.StatusActive, "ben", status(1, bot.TaskInProgress, ""), "", ""},
		{"collaborator asks for help", bot.StatusActive, "bella", status(1, bot.TaskNeedsHelp, "缺测试账号"), "", ""},
		{"needs help says what help", bot.StatusActive, "ben", status(1, bot.TaskNeedsHelp, ""), bot.CodeRequired, ""},
		{"blocked says what blocks", bot.StatusActive, "ben", status(1, bot.TaskBlocked, " "), bot.CodeRequired, ""},
		{"collaborator cannot finish", bot.StatusActive, "bella", status(1, bot.TaskDone, ""), bot.CodeForbidden, ""},
		{"stranger cannot touch a task", bot.StatusActive, "fiona", status(1, bot.TaskInProgress, ""), bot.CodeForbidden, ""},
		{"overdue cannot be set by hand", bot.StatusActive, "ben", status(1, bot.TaskOverdue, ""), bot.CodeInvalid, ""},
		{"owner finishes", bot.StatusActive, "ben", status(1, bot.TaskDone, ""), "", ""},
		{"parent waits for sub-tasks", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			w.must(w.c.AddTask(w.dir, w.as("amy"), bot.Task{ID: 9, Parent: 1, Title: "子任务", Department: "研发部", Owner: "bella", Due: day(2), Standard: "s"}, t0))
			return w.c.SetTaskStatus(a, 1, bot.TaskDone, "", t0)
		}, bot.CodeWrongState, ""},
		{"unknown task", bot.StatusActive, "ben", status(77, bot.TaskDone, ""), bot.CodeNotFound, ""},
		{"coordinator moves a task for a risk", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.MoveTask(a, 1, day(8), "环境问题", 1, t0)
		}, "", ""},
		{"only coordinator or head moves tasks", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.MoveTask(a, 1, day(8), "环境问题", 0, t0)
		}, bot.CodeForbidden, ""},
		{"the owner's head moves a task", bot.StatusActive, "bob", func(w *world, a bot.Actor) error {
			return w.c.MoveTask(a, 1, day(8), "环境问题", 0, t0)
		}, "", ""},
		{"moving a task needs a reason", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.MoveTask(a, 1, day(8), " ", 0, t0)
		}, bot.CodeRequired, ""},
		{"moving a task into the past", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.MoveTask(a, 1, day(-1), "x", 0, t0)
		}, bot.CodeDueInPast, ""},
		{"the owner asks to move the date", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.RequestDueChange(a, 1, day(8), "等测试环境", t0)
		}, "", ""},
		{"only the owner asks to move the date", bot.StatusActive, "bella", func(w *world, a bot.Actor) error {
			return w.c.RequestDueChange(a, 1, day(8), "等测试环境", t0)
		}, bot.CodeForbidden, ""},
		{"the coordinator approves a date move", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			w.must(w.c.RequestDueChange(w.as("ben"), 1, day(8), "等测试环境", t0))
			return w.c.DecideDueChange(a, 1, true, "", t0)
		}, "", ""},
		{"the owner cannot approve their own request", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			w.must(w.c.RequestDueChange(a, 1, day(8), "等测试环境", t0))
			return w.c.DecideDueChange(a, 1, true, "", t0)
		}, bot.CodeForbidden, ""},
		{"nothing to approve", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.DecideDueChange(a, 1, false, "", t0)
		}, bot.CodeWrongState, ""},
		{"the coordinator reassigns a task", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.ReassignTask(w.dir, a, 1, "fiona", "", t0)
		}, "", ""},
		{"reassigning to a stranger", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.ReassignTask(w.dir, a, 1, "ghost", "", t0)
		}, bot.CodeUnknownPerson, ""},
		{"the coordinator renames a task", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.ReviseTask(a, 1, "title", "接口联调(含退款)", t0)
		}, "", ""},
		{"a standard cannot be emptied", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.ReviseTask(a, 1, "standard", "", t0)
		}, bot.CodeRequired, ""},
		{"the coordinator cancels a task", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.CancelTask(a, 1, "需求取消", t0)
		}, "", ""},
		{"a cancelled task keeps its status", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			w.must(w.c.CancelTask(w.as("amy"), 1, "需求取消", t0))
			return w.c.SetTaskStatus(a, 1, bot.TaskDone, "", t0)
		}, bot.CodeWrongState, ""},
		{"cancelled is not set by hand", bot.StatusActive, "ben", status(1, bot.TaskCancelled, ""), bot.CodeInvalid, ""},
		{"meeting in the past", bot.StatusActive, "amy", meeting(bot.Meeting{ID: 5, Kind: bot.MeetingWeekly, Start: day(-1), Duration: time.Hour, Attendees: []bot.PersonID{"ben"}}), bot.CodeDueInPast, ""},
		{"meeting without attendees", bot.StatusActive, "amy", meeting(bot.Meeting{ID: 5, Kind: bot.MeetingWeekly, Start: day(1), Duration: time.Hour}), bot.CodeRequired, ""},
		{"meeting of unknown kind", bot.StatusActive, "amy", meeting(bot.Meeting{ID: 5, Kind: "party", Start: day(1), Duration: time.Hour, Attendees: []bot.PersonID{"ben"}}), bot.CodeInvalid, ""},
		{"meeting of a day and a half", bot.StatusActive, "amy", meeting(bot.Meeting{ID: 5, Kind: bot.MeetingWeekly, Start: day(1), Duration: 36 * time.Hour, Attendees: []bot.PersonID{"ben"}}), bot.CodeInvalid, ""},
		{"a member cannot organise", bot.StatusActive, "bella", meeting(bot.Meeting{ID: 5, Kind: bot.MeetingWeekly, Start: day(1), Duration: time.Hour, Attendees: []bot.PersonID{"ben"}}), bot.CodeForbidden, ""},
		{"organiser writes agenda", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.SetAgenda(a, 1, []string{"目标:对齐范围", "议题:排期"}, []string{"https://docs/prd"}, t0)
		}, "", ""},
		{"attendee cannot write agenda", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.SetAgenda(a, 1, []string{"目标"}, nil, t0)
		}, bot.CodeForbidden, ""},
		{"minutes before the meeting", bot.StatusActive, "amy", minutes(t0), bot.CodeWrongState, ""},
		{"minutes after the meeting", bot.StatusActive, "amy", minutes(day(1).Add(2 * time.Hour)), "", ""},
		{"attendee confirms minutes", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			w.must(minutes(day(1).Add(time.Hour))(w, w.as("amy")))
			return w.c.ConfirmMinutes(a, 1, day(1).Add(2*time.Hour))
		}, "", ""},
		{"non-attendee cannot confirm", bot.StatusActive, "bella", func(w *world, a bot.Actor) error {
			w.must(minutes(day(1).Add(time.Hour))(w, w.as("amy")))
			return w.c.ConfirmMinutes(a, 1, day(1).Add(2*time.Hour))
		}, bot.CodeForbidden, ""},
		{"the organiser reschedules", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.RescheduleMeeting(a, 1, day(2), t0)
		}, "", ""},
		{"an attendee cannot reschedule", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.RescheduleMeeting(a, 1, day(2), t0)
		}, bot.CodeForbidden, ""},
		{"no rescheduling after the minutes", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			w.must(minutes(day(1).Add(time.Hour))(w, a))
			return w.c.RescheduleMeeting(a, 1, day(3), day(1).Add(2*time.Hour))
		}, bot.CodeWrongState, ""},
		{"the organiser adds attendees", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.AddAttendees(w.dir, a, 1, []bot.PersonID{"bella", "fiona"}, t0)
		}, "", ""},
		{"confirming twice", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			w.must(minutes(day(1).Add(time.Hour))(w, a))
			return w.c.ConfirmMinutes(a, 1, day(1).Add(2*time.Hour))
		}, bot.CodeAlreadyDone, ""},

		// Phase 4: progress.
		{"owner posts progress", bot.StatusActive, "ben", progress(bot.ProgressUpdate{Day: "2026-11-23", Done: "接口联通", Changes: []bot.StatusChange{{Task: 1, Status: bot.TaskInProgress}}}), "", ""},
		{"progress with nothing in it", bot.StatusActive, "ben", progress(bot.ProgressUpdate{Day: "2026-11-23"}), bot.CodeRequired, ""},
		{"progress without tasks", bot.StatusActive, "fiona", progress(bot.ProgressUpdate{Day: "2026-11-23", Done: "x"}), bot.CodeForbidden, ""},
		{"progress with a bad day", bot.StatusActive, "ben", progress(bot.ProgressUpdate{Day: "23/11", Done: "x"}), bot.CodeInvalid, ""},
		{"progress is all or nothing", bot.StatusActive, "ben", progress(bot.ProgressUpdate{Day: "2026-11-23", Done: "x", Changes: []bot.StatusChange{{Task: 1, Status: bot.TaskInProgress}, {Task: 1, Status: bot.TaskBlocked}}}), bot.CodeRequired, ""},

		// Phase 5: risks.
		{"anyone involved raises a risk", bot.StatusActive, "bella", raise(bot.Risk{ID: 4, Description: "d", Impact: "i", Severity: bot.SeverityLow, Department: "研发部"}), "", ""},
		{"outsider cannot raise a risk", bot.StatusActive, "oscar", raise(bot.Risk{ID: 4, Description: "d", Impact: "i", Severity: bot.SeverityLow, Department: "研发部"}), bot.CodeForbidden, ""},
		{"high risk needs an owner", bot.StatusActive, "ben", raise(bot.Risk{ID: 4, Description: "d", Impact: "i", Severity: bot.SeverityHigh, Department: "研发部"}), bot.CodeRequired, ""},
		{"risk needs a severity", bot.StatusActive, "ben", raise(bot.Risk{ID: 4, Description: "d", Impact: "i", Department: "研发部"}), bot.CodeInvalid, ""},
		{"risk needs an impact", bot.StatusActive, "ben", raise(bot.Risk{ID: 4, Description: "d", Severity: bot.SeverityLow, Department: "研发部"}), bot.CodeRequired, ""},
		{"risk department must exist", bot.StatusActive, "ben", raise(bot.Risk{ID: 4, Description: "d", Impact: "i", Severity: bot.SeverityLow, Department: "人事部"}), bot.CodeUnknownDept, ""},
		{"owner responds to a risk", bot.StatusActive, "ben", respond(1, "切换备用环境"), "", ""},
		{"response needs content", bot.StatusActive, "ben", respond(1, ""), bot.CodeRequired, ""},
		{"other department cannot respond", bot.StatusActive, "fiona", respond(1, "x"), bot.CodeForbidden, ""},
		{"raiser resolves", bot.StatusActive, "ben", func(w *world, a bot.Actor) error { return w.c.ResolveRisk(a, 1, "已修复", t0) }, "", ""},
		{"the owner raises the severity", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.SetSeverity(w.dir, a, 1, bot.SeverityHigh, "客户投诉", t0)
		}, "", ""},
		{"a member cannot change the severity", bot.StatusActive, "bella", func(w *world, a bot.Actor) error {
			return w.c.SetSeverity(w.dir, a, 1, bot.SeverityHigh, "客户投诉", t0)
		}, bot.CodeForbidden, ""},
		{"a severity change needs a reason", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.SetSeverity(w.dir, a, 1, bot.SeverityHigh, " ", t0)
		}, bot.CodeRequired, ""},
		{"whoever raised a risk hands it to another owner", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.SetRiskOwner(w.dir, a, 1, "bella", t0)
		}, "", ""},
		{"the coordinator hands a risk to another owner", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.SetRiskOwner(w.dir, a, 1, "bella", t0)
		}, "", ""},
		{"a risk's owner must be someone known", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.SetRiskOwner(w.dir, a, 1, "ghost", t0)
		}, bot.CodeUnknownPerson, ""},
		{"a member cannot hand a risk over", bot.StatusActive, "bella", func(w *world, a bot.Actor) error {
			return w.c.SetRiskOwner(w.dir, a, 1, "bella", t0)
		}, bot.CodeForbidden, ""},
		{"a risk's department must exist", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.SetRiskDepartment(w.dir, a, 1, "人事部", t0)
		}, bot.CodeUnknownDept, ""},
		{"a risk's department must take part", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.SetRiskDepartment(w.dir, a, 1, "运营部", t0)
		}, bot.CodeUnknownDept, ""},
		{"the coordinator moves a risk to another department", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.SetRiskDepartment(w.dir, a, 1, "finance", t0)
		}, "", ""},
		{"a risk's expected date is in the future", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.SetRiskDue(a, 1, day(-1), "", t0)
		}, bot.CodeDueInPast, ""},
		{"the owner moves a risk's expected date", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.SetRiskDue(a, 1, day(3), "供应商排期", t0)
		}, "", ""},
		{"a risk's description cannot be emptied", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.DescribeRisk(a, 1, "  ", t0)
		}, bot.CodeRequired, ""},
		{"an open risk cannot be reopened", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.ReopenRisk(w.dir, a, 1, "还没好", t0)
		}, bot.CodeWrongState, ""},
		{"reopening needs a reason", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			w.must(w.c.ResolveRisk(a, 1, "已修复", t0))
			return w.c.ReopenRisk(w.dir, a, 1, "", t0)
		}, bot.CodeRequired, ""},
		{"a member cannot reopen a risk", bot.StatusActive, "bella", func(w *world, a bot.Actor) error {
			w.must(w.c.ResolveRisk(w.as("ben"), 1, "已修复", t0))
			return w.c.ReopenRisk(w.dir, a, 1, "还没好", t0)
		}, bot.CodeForbidden, ""},
		{"a resolved risk is not corrected", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			w.must(w.c.ResolveRisk(a, 1, "已修复", t0))
			return w.c.SetRiskOwner(w.dir, a, 1, "bella", t0)
		}, bot.CodeAlreadyDone, ""},
		{"the coordinator links a risk to a task", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.LinkRisk(a, 1, []bot.TaskID{1}, t0)
		}, "", ""},
		{"linking an unknown task", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.LinkRisk(a, 1, []bot.TaskID{42}, t0)
		}, bot.CodeNotFound, ""},
		{"resolve twice", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			w.must(w.c.ResolveRisk(a, 1, "已修复", t0))
			return w.c.ResolveRisk(a, 1, "已修复", t0)
		}, bot.CodeAlreadyDone, ""},

		// Phase 6: delivery, acceptance, retrospective, archive.
		{"owner delivers", bot.StatusActive, "ben", deliver([]bot.Deliverable{{Name: "报告"}}, "自检通过"), "", bot.StatusAccepting},
		{"delivery needs items", bot.StatusActive, "ben", deliver(nil, "自检通过"), bot.CodeRequired, ""},
		{"delivery needs a self-check", bot.StatusActive, "ben", deliver([]bot.Deliverable{{Name: "报告"}}, ""), bot.CodeRequired, ""},
		{"delivery link must be a web link", bot.StatusActive, "ben", deliver([]bot.Deliverable{{Name: "报告", Link: "javascript:alert(1)"}}, "ok"), bot.CodeInvalid, ""},
		{"outsider cannot deliver", bot.StatusActive, "oscar", deliver([]bot.Deliverable{{Name: "报告"}}, "ok"), bot.CodeForbidden, ""},
		{"nothing to deliver before active", bot.StatusAwaitingAck, "ben", deliver([]bot.Deliverable{{Name: "报告"}}, "ok"), bot.CodeWrongState, ""},
		{"requester passes", bot.StatusAccepting, "amy", decide(bot.VerdictPass, "", nil, time.Time{}), "", bot.StatusRetrospective},
		{"only requester or coordinator accepts", bot.StatusAccepting, "ben", decide(bot.VerdictPass, "", nil, time.Time{}), bot.CodeForbidden, ""},
		{"leadership does not accept either", bot.StatusAccepting, "lily", decide(bot.VerdictPass, "", nil, time.Time{}), bot.CodeForbidden, ""},
		{"fail sends items back", bot.StatusAccepting, "amy", decide(bot.VerdictFail, "缺性能测试", []string{"补充性能测试"}, day(4)), "", bot.StatusActive},
		{"fail needs comments", bot.StatusAccepting, "amy", decide(bot.VerdictFail, "", []string{"x"}, day(4)), bot.CodeRequired, ""},
		{"fail needs items", bot.StatusAccepting, "amy", decide(bot.VerdictFail, "c", nil, day(4)), bot.CodeRequired, ""},
		{"fail needs a future due date", bot.StatusAccepting, "amy", decide(bot.VerdictFail, "c", []string{"x"}, day(-2)), bot.CodeDueInPast, ""},
		{"no verdict without delivery", bot.StatusActive, "amy", decide(bot.VerdictPass, "", nil, time.Time{}), bot.CodeWrongState, ""},
		{"retrospective is recorded", bot.StatusRetrospective, "amy", retro([]string{"快"}, []string{"慢"}), "", bot.StatusRetrospective},
		{"archive after the retrospective", bot.StatusRetrospective, "amy", func(w *world, a bot.Actor) error {
			w.must(retro([]string{"快"}, []string{"慢"})(w, a))
			return w.c.Archive(a, t0)
		}, "", bot.StatusArchived},
		{"no archive without a retrospective", bot.StatusRetrospective, "amy", func(w *world, a bot.Actor) error { return w.c.Archive(a, t0) }, bot.CodeWrongState, ""},
		{"contact cannot archive", bot.StatusRetrospective, "ben", func(w *world, a bot.Actor) error {
			w.must(retro([]string{"快"}, []string{"慢"})(w, w.as("amy")))
			return w.c.Archive(a, t0)
		}, bot.CodeForbidden, ""},
		{"retrospective needs improvements", bot.StatusRetrospective, "amy", retro([]string{"快"}, nil), bot.CodeRequired, ""},
		{"contact cannot write the retrospective", bot.StatusRetrospective, "ben", retro([]string{"快"}, []string{"慢"}), bot.CodeForbidden, ""},
		{"archived is read-only", bot.StatusArchived, "amy", addTask(bot.Task{ID: 9, Title: "x", Department: "研发部", Owner: "ben", Due: day(2), Standard: "s"}), bot.CodeArchived, ""},
		{"archived cannot be cancelled", bot.StatusArchived, "amy", cancel("x"), bot.CodeArchived, ""},
		{"cancelled stays cancelled", bot.StatusCancelled, "amy", submit, bot.CodeArchived, ""},
		{"cancelled takes no risks", bot.StatusCancelled, "ben", raise(bot.Risk{ID: 4, Description: "d", Impact: "i", Severity: bot.SeverityLow, Department: "研发部"}), bot.CodeArchived, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := at(t, tt.stage)
			before := w.c.Status
			entries, _, _ := w.c.Pending()
			w.base = len(entries)
			err := tt.do(w, w.as(tt.actor))
			if got := bot.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q, want %q (err: %v)", got, tt.code, err)
			}
			want := tt.then
			if want == "" {
				want = before
			}
			if w.c.Status != want {
				t.Errorf("status = %s, want %s", w.c.Status, want)
			}
			after, _, _ := w.c.Pending()
			if err != nil {
				assertRefusal(t, err)
				if len(after) != w.base {
					t.Errorf("a refused action left %d timeline entries", len(after)-w.base)
				}
			} else if len(after) == w.base {
				t.Errorf("an allowed action left no timeline entry")
			}
		})
	}
}

// assertRefusal checks that a refusal speaks both languages: its key and
// every placeholder have their text (TestMain fails on any that has not).
func assertRefusal(t *testing.T, err error) {
	t.Helper()
	var e *bot.Error
	if !errors.As(err, &e) {
		t.Fatalf("refusal is not a *bot.Error: %v", err)
	}
	zh, en := words.Refusal(bot.Chinese, err), words.Refusal(bot.English, err)
	if zh == "" || en == "" {
		t.Errorf("refusal %q lacks a language: %+v", e.Code, e.Msg)
	}
	if zh == en {
		t.Errorf("refusal %q says the same in both languages: %q", e.Code, en)
	}
}

func submit(w *world, a bot.Actor) error { return w.c.Submit(w.dir, a, t0) }

func edit(w *world, a bot.Actor) error {
	r := w.c.Request
	r.Goal = "Q4 新品上线,接口调试通过率 100%"
	_, err := w.c.EditRequest(w.dir, a, r, t0)
	return err
}

func review(ok bool, comments string) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.Review(w.dir, a, ok, comments, t0) }
}

func cancel(reason string) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.Cancel(a, reason, t0) }
}

func ack(dept string, ans bot.Answer) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.Acknowledge(a, dept, ans, t0) }
}

func addTask(task bot.Task) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.AddTask(w.dir, a, task, t0) }
}

func status(id bot.TaskID, s bot.TaskStatus, note string) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.SetTaskStatus(a, id, s, note, t0) }
}

func meeting(m bot.Meeting) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.ScheduleMeeting(w.dir, a, m, t0) }
}

func minutes(now time.Time) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error {
		return w.c.RecordMinutes(w.dir, a, 1, []string{"范围确定"},
			[]bot.ActionItem{{Task: bot.Task{ID: 20, Title: "提供测试账号", Owner: "fiona", Due: day(4)}}}, nil, now)
	}
}

func progress(u bot.ProgressUpdate) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.PostProgress(a, u, t0) }
}

func raise(r bot.Risk) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.RaiseRisk(w.dir, a, r, t0) }
}

func respond(id bot.RiskID, text string) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.RespondRisk(a, id, text, time.Time{}, t0) }
}

func deliver(items []bot.Deliverable, check string) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.Deliver(a, items, check, t0) }
}

func decide(v bot.Verdict, comments string, items []string, due time.Time) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error { return w.c.Decide(a, v, comments, items, due, t0) }
}

func retro(highlights, improvements []string) func(*world, bot.Actor) error {
	return func(w *world, a bot.Actor) error {
		return w.c.Retrospect(a, bot.Retrospective{Highlights: highlights, Improvements: improvements}, t0)
	}
}
