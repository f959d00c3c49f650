package scheduler_test

import (
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// fileAsAmy has amy (市场部, whose head alice reviews its requests) file a
// request to 研发部 with contact as its contact, alice approve it, and
// more happen; amy is requester and coordinator.
func (w *world) fileAsAmy(contact bot.PersonID, when time.Time, more func(c *bot.Collaboration, tx bot.Tx) error) bot.CollabID {
	w.t.Helper()
	var id bot.CollabID
	if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error {
		id = bot.CollabID(w.next(tx, bot.KindCollab))
		c, err := bot.NewCollaboration(w.dir, id, w.as("amy"), bot.Request{
			Topic: "新品发布会", Goal: "发布会按时举行", Requirements: "直播支持",
			Departments: []bot.Assignment{{Department: "研发部", Contact: contact}},
			Due:         when.AddDate(0, 1, 0),
		}, when)
		if err != nil {
			return err
		}
		if err := c.Submit(w.dir, w.as("amy"), when); err != nil {
			return err
		}
		if err := c.Review(w.dir, w.as("alice"), true, "", when); err != nil {
			return err
		}
		c.Reminders = map[string]string{"daily_progress": "off", "weekly_summary": "off"}
		if more != nil {
			if err := more(c, tx); err != nil {
				return err
			}
		}
		return tx.Save(w.ctx, c)
	}); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// TestEscalationNeverToTheOneReminded: an escalation whose recipient is
// the person just reminded goes to the next one up instead — the
// requesting department's head, else leadership.
func TestEscalationNeverToTheOneReminded(t *testing.T) {
	accept := func(w *world) func(c *bot.Collaboration, tx bot.Tx) error {
		return func(c *bot.Collaboration, tx bot.Tx) error {
			return c.Acknowledge(w.as("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted, Scope: "直播"}, at("2026-11-23 10:30"))
		}
	}
	cases := []struct {
		name  string
		setup func(w *world)
		steps []step
	}{
		{
			name: "acceptance: the requester is the coordinator, so her head is told",
			setup: func(w *world) {
				w.fileAsAmy("ben", at("2026-11-23 10:00"), func(c *bot.Collaboration, tx bot.Tx) error {
					if err := accept(w)(c, tx); err != nil {
						return err
					}
					return c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "直播方案"}}, "已自检", at("2026-11-24 10:00"))
				})
			},
			steps: []step{
				{"2026-11-27 10:00", []string{"acceptance_reminder→amy"}},
				{"2026-11-30 10:00", []string{"acceptance_escalation→alice"}},
			},
		},
		{
			name: "minutes: the organiser is the coordinator, so the requesting department's head is told",
			setup: func(w *world) {
				w.fileAsAmy("ben", at("2026-11-23 10:00"), func(c *bot.Collaboration, tx bot.Tx) error {
					if err := accept(w)(c, tx); err != nil {
						return err
					}
					return c.ScheduleMeeting(w.dir, w.as("amy"), bot.Meeting{ID: bot.MeetingID(w.next(tx, bot.KindMeeting)), Kind: bot.MeetingKickoff,
						Start: at("2026-11-26 10:00"), Duration: time.Hour, Attendees: []bot.PersonID{"ben"}, Agenda: []string{"分工"}}, at("2026-11-23 11:00"))
				})
			},
			steps: []step{
				{"2026-11-26 13:00", []string{"minutes_reminder→amy"}},
				{"2026-11-26 17:00", []string{"minutes_escalation→alice"}},
			},
		},
		{
			// Not the requesting department's head: a peer of bob's, with
			// no say over 研发部.
			name:  "acknowledgement: the head is the contact, so leadership is told with the coordinator",
			setup: func(w *world) { w.fileAsAmy("bob", at("2026-11-23 10:00"), nil) },
			steps: []step{
				{"2026-11-24 10:00", []string{"ack_reminder→bob"}},
				{"2026-11-24 14:00", []string{"ack_escalation→amy", "ack_escalation→henry", "ack_escalation→lily"}},
			},
		},
		{
			name: "acceptance: the requester heads her department, so leadership is told",
			setup: func(w *world) {
				id := w.activate(at("2026-11-23 10:00"))
				w.quietly(id)
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					return c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "接口"}}, "已自检", at("2026-11-24 10:00"))
				})
			},
			steps: []step{
				{"2026-11-27 10:00", []string{"acceptance_reminder→carol"}},
				{"2026-11-30 10:00", []string{"acceptance_escalation→henry", "acceptance_escalation→lily"}},
			},
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
