package scheduler_test

import (
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// step is one tick and what it must newly send.
type step struct {
	at   string
	want []string
}

func run(t *testing.T, w *world, steps []step) {
	t.Helper()
	for _, s := range steps {
		equal(t, "tick at "+s.at, sent(w.tick(s.at)), s.want)
	}
}

func TestTimers(t *testing.T) {
	cases := []struct {
		name  string
		setup func(w *world)
		steps []step
	}{
		{
			name:  "acknowledgement: contact at 1 business day, head and coordinator 4 business hours later",
			setup: func(w *world) { w.submit(at("2026-11-23 10:00")) }, // Monday
			steps: []step{
				{"2026-11-24 09:59", nil},
				{"2026-11-24 10:00", []string{"ack_reminder→ben", "ack_reminder→fiona"}},
				{"2026-11-24 10:01", nil},
				{"2026-11-24 14:00", []string{"ack_escalation→bob", "ack_escalation→carol", "ack_escalation→carol", "ack_escalation→frank"}}, // carol once per department
				{"2026-11-25 14:00", nil},
			},
		},
		{
			name:  "acknowledgement filed on Friday is due on Monday, not Saturday",
			setup: func(w *world) { w.submit(at("2026-11-27 16:00")) },
			steps: []step{
				{"2026-11-28 16:00", nil},
				{"2026-11-29 16:00", nil},
				{"2026-11-30 16:00", []string{"ack_reminder→ben", "ack_reminder→fiona"}},
			},
		},
		{
			name:  "acknowledgement before National Day is due after it",
			setup: func(w *world) { w.submit(at("2026-09-30 11:00")) },
			steps: []step{
				{"2026-10-01 11:00", nil},
				{"2026-10-07 23:00", nil},
				{"2026-10-08 11:00", []string{"ack_reminder→ben", "ack_reminder→fiona"}},
			},
		},
		{
			name: "an answered acknowledgement is not chased",
			setup: func(w *world) {
				id := w.submit(at("2026-11-23 10:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					return c.Acknowledge(w.as("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted, Scope: "接口"}, at("2026-11-23 11:00"))
				})
			},
			steps: []step{{"2026-11-24 10:00", []string{"ack_reminder→fiona"}}},
		},
		{
			name: "tasks added while a department has not answered are chased like any other",
			setup: func(w *world) {
				id := w.submit(at("2026-11-23 10:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					return c.Acknowledge(w.as("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted, Scope: "接口"}, at("2026-11-23 10:30"))
				})
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					return c.Acknowledge(w.as("fiona"), "财务部", bot.Answer{Decision: bot.AckNeedsInfo, Question: "预算口径?"}, at("2026-11-23 10:40"))
				})
				w.task(id, "ben", "研发部", at("2026-11-24 12:00"), at("2026-11-23 11:00"))
			},
			steps: []step{
				{"2026-11-23 17:00", []string{"daily_progress→ben"}},
				{"2026-11-23 18:00", []string{"progress_summary→carol"}},
				// fiona's question (11-23 10:40) waits on carol: she is reminded too.
				{"2026-11-24 12:00", []string{"needs_info_reminder→carol", "task_due→ben", "task_due→carol"}},
			},
		},
		{
			name: "daily progress: owners without an update at 17:00, coordinator summary at 18:00",
			setup: func(w *world) {
				id := w.activate(at("2026-11-23 10:30"))
				w.task(id, "ben", "研发部", at("2026-11-30 18:00"), at("2026-11-23 11:00"))
				w.task(id, "fiona", "财务部", at("2026-11-30 18:00"), at("2026-11-23 11:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					return c.PostProgress(w.as("fiona"), bot.ProgressUpdate{Day: "2026-11-24", Done: "预算已批"}, at("2026-11-24 16:00"))
				})
			},
			steps: []step{
				{"2026-11-24 16:59", nil},
				{"2026-11-24 17:00", []string{"daily_progress→ben"}},
				{"2026-11-24 17:30", nil},
				{"2026-11-24 18:00", []string{"progress_summary→carol"}},
				{"2026-11-25 17:00", []string{"daily_progress→ben", "daily_progress→fiona"}},
			},
		},
		{
			name: "daily progress follows the calendar: 2026-10-10 is a make-up Saturday, 2026-10-05 a holiday Monday",
			setup: func(w *world) {
				id := w.activate(at("2026-09-28 10:00"))
				w.task(id, "ben", "研发部", at("2026-12-30 18:00"), at("2026-09-28 11:00"))
			},
			steps: []step{
				{"2026-10-05 17:00", nil},
				{"2026-10-05 18:00", nil},
				// 10-10 is also the first scan since the week's summary fell due on Thursday 10-08.
				{"2026-10-10 17:00", []string{"daily_progress→ben", "weekly_summary→#"}},
				{"2026-10-11 17:00", nil},
			},
		},
		{
			name: "a task due: owner and coordinator at the due time, again each business day, head after 1 business day",
			setup: func(w *world) {
				id := w.activate(at("2026-11-23 10:30"))
				w.task(id, "ben", "研发部", at("2026-11-27 15:00"), at("2026-11-23 11:00")) // Friday
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					c.Reminders = map[string]string{"daily_progress": "off"}
					return nil
				})
			},
			steps: []step{
				{"2026-11-27 14:59", nil},
				{"2026-11-27 15:00", []string{"task_due→ben", "task_due→carol"}},
				{"2026-11-28 15:00", nil}, // Saturday
				{"2026-11-30 14:00", []string{"weekly_summary→#"}},
				{"2026-11-30 15:00", []string{"task_escalation→bob", "task_overdue→ben", "task_overdue→carol"}},
				{"2026-12-01 15:00", []string{"task_overdue→ben", "task_overdue→carol"}},
			},
		},
		{
			name: "meetings: agenda 24 h before, minutes 2 h after the end, then the coordinator, confirmations a business day later",
			setup: func(w *world) {
				id := w.activate(at("2026-11-23 10:30"))
				w.change(id, func(c *bot.Collaboration, tx bot.Tx) error {
					mid := bot.MeetingID(w.next(tx, bot.KindMeeting))
					return c.ScheduleMeeting(w.dir, w.as("carol"), bot.Meeting{ID: mid, Kind: bot.MeetingKickoff, Start: at("2026-11-26 10:00"),
						Duration: time.Hour, Attendees: []bot.PersonID{"ben", "fiona"}}, at("2026-11-23 10:30"))
				})
			},
			steps: []step{
				{"2026-11-25 09:59", nil},
				{"2026-11-25 10:00", []string{"agenda_missing→carol"}},
				{"2026-11-26 13:00", []string{"minutes_reminder→carol"}},
				// carol organised it and coordinates, and heads the requesting department: leadership.
				{"2026-11-26 17:00", []string{"minutes_escalation→henry", "minutes_escalation→lily"}},
			},
		},
		{
			name: "the agenda of a Monday 09:00 meeting goes out on Friday an hour before the end of work, not on Sunday",
			setup: func(w *world) {
				id := w.activate(at("2026-11-23 10:30"))
				w.change(id, func(c *bot.Collaboration, tx bot.Tx) error {
					mid := bot.MeetingID(w.next(tx, bot.KindMeeting))
					return c.ScheduleMeeting(w.dir, w.as("carol"), bot.Meeting{ID: mid, Kind: bot.MeetingWeekly, Start: at("2026-11-30 09:00"),
						Duration: time.Hour, Attendees: []bot.PersonID{"ben"}, Agenda: []string{"周进展"}}, at("2026-11-23 10:30"))
				})
			},
			steps: []step{
				{"2026-11-27 16:59", nil},
				{"2026-11-27 17:00", []string{"agenda→ben"}},
				{"2026-11-29 09:00", nil},
				{"2026-11-30 09:00", nil},
			},
		},
		{
			name: "a task due on a night before a day of leave waits for the morning and is then held",
			setup: func(w *world) {
				id := w.activate(at("2026-11-23 10:30"))
				w.task(id, "ben", "研发部", at("2026-11-26 20:00"), at("2026-11-23 11:00"))
				if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error {
					return tx.SaveSettings(w.ctx, "ben", bot.Settings{Leave: []bot.Leave{{From: "2026-11-27", To: "2026-11-27"}}})
				}); err != nil {
					w.t.Fatal(err)
				}
			},
			steps: []step{
				{"2026-11-26 20:30", nil},                        // at night: waits (the 18:00 summary, 2 h late by now, is missed)
				{"2026-11-27 09:00", []string{"task_due→carol"}}, // the morning: ben is on leave that day
			},
		},
		{
			name: "a risk unanswered for 24 hours reminds its owner and the coordinator",
			setup: func(w *world) {
				id := w.activate(at("2026-11-23 10:30"))
				w.change(id, func(c *bot.Collaboration, tx bot.Tx) error {
					rid := bot.RiskID(w.next(tx, bot.KindRisk))
					return c.RaiseRisk(w.dir, w.as("ben"), bot.Risk{ID: rid, Description: "接口文档缺失", Impact: "联调延后",
						Severity: bot.SeverityMedium, Department: "研发部", Owner: "ben"}, at("2026-11-24 09:00"))
				})
			},
			steps: []step{
				{"2026-11-25 08:59", nil},
				{"2026-11-25 09:00", []string{"risk_reminder→ben", "risk_reminder→carol"}},
			},
		},
		{
			name:  "weekly summary: the board to the group on Monday 10:00; after a holiday Monday on the next business day",
			setup: func(w *world) { w.activate(at("2026-09-28 10:00")) },
			steps: []step{
				{"2026-10-05 10:00", nil}, // National Day
				{"2026-10-08 09:59", nil},
				{"2026-10-08 10:00", []string{"weekly_summary→#"}},
				{"2026-10-12 10:00", []string{"weekly_summary→#"}},
			},
		},
		{
			name:  "rework due in National Day week: coordinator and task owner on the next business day, heads and requester a business day later",
			setup: func(w *world) { w.failed(at("2026-10-02 18:00"), nil) },
			steps: []step{
				{"2026-10-02 18:00", nil}, // a holiday: it waits
				{"2026-10-07 23:00", nil},
				{"2026-10-08 08:59", nil},
				{"2026-10-08 09:00", []string{"rework_due→ben", "rework_due→carol"}},
				{"2026-10-08 18:00", nil},
				{"2026-10-09 08:59", nil},
				// carol, the requester, was reminded as coordinator: leadership in her place.
				{"2026-10-09 09:00", []string{"rework_escalation→bob", "rework_escalation→frank", "rework_escalation→henry", "rework_escalation→lily"}},
				{"2026-10-12 09:00", nil},
			},
		},
		{
			name: "rework delivered again before its deadline is not chased",
			setup: func(w *world) {
				w.failed(at("2026-10-02 18:00"), func(c *bot.Collaboration) error {
					return c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "性能测试报告"}}, "已补", at("2026-09-30 15:00"))
				})
			},
			steps: []step{
				{"2026-10-08 09:00", nil},
				{"2026-10-09 09:00", nil},
				{"2026-10-10 15:00", []string{"acceptance_reminder→carol"}}, // the new delivery's acceptance instead (10-10 is a make-up Saturday)
			},
		},
		{
			name: "rework with the acceptance timer off is not chased",
			setup: func(w *world) {
				w.failed(at("2026-10-02 18:00"), func(c *bot.Collaboration) error {
					return c.SetReminder(w.as("carol"), "acceptance", "off", at("2026-09-29 10:00"))
				})
			},
			steps: []step{{"2026-10-08 09:00", nil}, {"2026-10-09 09:00", nil}},
		},
		{
			name: "rework of a cancelled collaboration is not chased",
			setup: func(w *world) {
				w.failed(at("2026-10-02 18:00"), func(c *bot.Collaboration) error {
					return c.Cancel(w.as("carol"), "活动取消", at("2026-09-30 10:00"))
				})
			},
			steps: []step{{"2026-10-08 09:00", nil}, {"2026-10-09 09:00", nil}},
		},
		{
			name: "rework owed with no open task reminds the coordinator and the deliverer",
			setup: func(w *world) {
				w.failed(at("2026-11-24 18:00"), func(c *bot.Collaboration) error {
					return c.SetTaskStatus(w.as("ben"), c.Tasks[0].ID, bot.TaskDone, "", at("2026-09-30 10:00"))
				})
			},
			steps: []step{
				{"2026-11-24 17:59", nil},
				{"2026-11-24 18:00", []string{"rework_due→ben", "rework_due→carol"}},
				{"2026-11-25 18:00", []string{"rework_escalation→bob", "rework_escalation→frank", "rework_escalation→henry", "rework_escalation→lily"}},
			},
		},
		{
			name:  "retrospective owed after a pass: the coordinator is reminded 3 business days later",
			setup: func(w *world) { w.passed(nil) },
			steps: []step{{"2026-11-26 09:59", nil}, {"2026-11-26 10:00", []string{"retro_reminder→carol"}}},
		},
		{
			name:  "a type without a retrospective is not reminded of one",
			setup: func(w *world) { w.passed([]string{bot.StepAcknowledgement, bot.StepPlan, bot.StepAcceptance}) },
			steps: []step{{"2026-11-26 10:00", nil}, {"2026-11-30 10:00", nil}},
		},
		{
			name: "switched off for one collaboration",
			setup: func(w *world) {
				id := w.submit(at("2026-11-23 10:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					return c.SetReminder(w.as("carol"), bot.AllReminders, "off", at("2026-11-23 10:05"))
				})
			},
			steps: []step{{"2026-11-25 10:00", nil}},
		},
		{
			name: "tuned for one collaboration: acknowledgement within 2 business days",
			setup: func(w *world) {
				id := w.submit(at("2026-11-23 10:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					return c.SetReminder(w.as("carol"), "acknowledgement", "2bd", at("2026-11-23 10:05"))
				})
			},
			steps: []step{{"2026-11-24 10:00", nil}, {"2026-11-25 10:00", []string{"ack_reminder→ben", "ack_reminder→fiona"}}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tc.setup(w)
			run(t, w, tc.steps)
		})
	}
}

// TestWeeklyDigest: each head of a department at work in something under
// way (once, however many departments they head) and each leader get the
// digest once a week at Monday 09:30 — on the
// next business day when Monday is a holiday — and not in a week that
// began with nothing under way.
func TestWeeklyDigest(t *testing.T) {
	// The heads of the departments at work (运营部 asks 研发部 and 财务部)
	// and leadership; not 市场部's or 法务部's, which have nothing under way.
	everyone := []string{"weekly_digest→bob", "weekly_digest→carol", "weekly_digest→frank",
		"weekly_digest→henry", "weekly_digest→lily"}
	w := newWorld(t)
	w.digest = true
	w.sched = w.scheduler(w.store)
	w.activate(at("2026-09-28 10:00")) // a Monday, after 09:30
	run(t, w, []step{
		{"2026-09-28 11:00", []string{"weekly_summary→#"}}, // the digest: the week began with nothing under way
		{"2026-10-05 09:30", nil},                          // National Day
		{"2026-10-08 09:29", nil},
		{"2026-10-08 09:30", everyone}, // the first business day of the week
		{"2026-10-08 16:00", []string{"weekly_summary→#"}},
		{"2026-10-12 09:30", everyone},
		{"2026-10-12 16:00", []string{"weekly_summary→#"}},
	})
}

// failed brings a collaboration to a failed acceptance whose rework is due
// at due: active from 2026-09-21, ben's task open until the end of
// October, delivered 09-25, failed by carol on 09-28; then does more.
// Daily progress and the weekly board are off, to hear the rework alone.
func (w *world) failed(due time.Time, more func(c *bot.Collaboration) error) bot.CollabID {
	w.t.Helper()
	id := w.activate(at("2026-09-21 10:00"))
	w.task(id, "ben", "研发部", at("2026-10-30 18:00"), at("2026-09-21 11:00"))
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		c.Reminders = map[string]string{"daily_progress": "off", "weekly_summary": "off"}
		if err := c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "接口测试报告"}}, "已自检", at("2026-09-25 10:00")); err != nil {
			return err
		}
		if err := c.Decide(w.as("carol"), bot.VerdictFail, "缺性能测试", []string{"补充性能测试报告"}, due, at("2026-09-28 10:00")); err != nil {
			return err
		}
		if more != nil {
			return more(c)
		}
		return nil
	})
	return id
}

// passed brings a collaboration to a passed acceptance on Monday
// 2026-11-23 10:00, its steps then set to steps (a record from before
// a type without a retrospective closed on a pass) when given.
func (w *world) passed(steps []string) bot.CollabID {
	w.t.Helper()
	id := w.activate(at("2026-11-16 10:00"))
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		c.Reminders = map[string]string{"daily_progress": "off", "weekly_summary": "off"}
		if err := c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "接口测试报告"}}, "已自检", at("2026-11-20 10:00")); err != nil {
			return err
		}
		if err := c.Decide(w.as("carol"), bot.VerdictPass, "", nil, time.Time{}, at("2026-11-23 10:00")); err != nil {
			return err
		}
		if steps != nil {
			c.Steps = steps
		}
		return nil
	})
	return id
}
