package scheduler_test

import (
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// amyFiles has amy (市场部: alice reviews its requests) file a request to
// 研发部 at when; it waits for alice's first review.
func (w *world) amyFiles(when time.Time) bot.CollabID {
	w.t.Helper()
	var id bot.CollabID
	if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error {
		id = bot.CollabID(w.next(tx, bot.KindCollab))
		c, err := bot.NewCollaboration(w.dir, id, w.as("amy"), bot.Request{
			Topic: "新品发布会", Goal: "发布会按时举行", Requirements: "直播支持",
			Departments: []bot.Assignment{{Department: "研发部"}}, Due: when.AddDate(0, 1, 0),
		}, when)
		if err != nil {
			return err
		}
		return errorsJoin(c.Submit(w.dir, w.as("amy"), when), tx.Save(w.ctx, c))
	}); err != nil {
		w.t.Fatal(err)
	}
	return id
}

func errorsJoin(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestWaitingStagesAreChased: a request pending its first review (初审)
// and a department's question (需补充信息) no longer wait forever: the
// head is reminded to review after a business day and the requester told
// a business day later; the requester is reminded to answer after a
// business day and the coordinator — or, when the requester coordinates,
// the next one up — told a business day later.
func TestWaitingStagesAreChased(t *testing.T) {
	cases := []struct {
		name  string
		setup func(w *world)
		steps []step
	}{
		{
			name:  "first review: the head after a business day, then the requester",
			setup: func(w *world) { w.amyFiles(at("2026-11-27 10:00")) }, // Friday
			steps: []step{
				{"2026-11-28 10:00", nil},
				{"2026-11-30 09:59", nil},
				{"2026-11-30 10:00", []string{"review_reminder→alice"}},
				{"2026-12-01 10:00", []string{"review_escalation→amy"}},
				{"2026-12-02 10:00", nil},
			},
		},
		{
			name: "first review done: the acknowledgement's chase takes over",
			setup: func(w *world) {
				id := w.amyFiles(at("2026-11-23 10:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					return c.Review(w.dir, w.as("alice"), true, "", at("2026-11-23 15:00"))
				})
			},
			steps: []step{
				{"2026-11-24 10:00", nil},
				{"2026-11-24 15:00", []string{"ack_reminder→ben"}},
			},
		},
		{
			name: "a question: the requester after a business day, then the coordinator's next one up",
			setup: func(w *world) {
				id := w.amyFiles(at("2026-11-23 10:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					if err := c.Review(w.dir, w.as("alice"), true, "", at("2026-11-23 10:30")); err != nil {
						return err
					}
					return c.Acknowledge(w.as("ben"), "研发部", bot.Answer{Decision: bot.AckNeedsInfo, Question: "直播平台用哪家?"}, at("2026-11-23 11:00"))
				})
			},
			steps: []step{
				{"2026-11-24 10:30", nil}, // the acknowledgement is no longer pending
				{"2026-11-24 11:00", []string{"needs_info_reminder→amy"}},
				{"2026-11-25 10:59", nil},
				{"2026-11-25 11:00", []string{"needs_info_escalation→alice"}}, // amy coordinates: her head
			},
		},
		{
			name: "a question answered is no longer chased; the acknowledgement is, from the answer",
			setup: func(w *world) {
				id := w.submit(at("2026-11-23 10:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					if err := c.Acknowledge(w.as("fiona"), "财务部", bot.Answer{Decision: bot.AckNeedsInfo, Question: "预算口径?"}, at("2026-11-23 11:00")); err != nil {
						return err
					}
					return c.AnswerQuestion(w.as("carol"), "财务部", "含税", at("2026-11-24 10:30"))
				})
			},
			steps: []step{
				{"2026-11-24 10:00", []string{"ack_reminder→ben"}},
				{"2026-11-24 11:00", nil},
				{"2026-11-24 14:00", []string{"ack_escalation→bob", "ack_escalation→carol"}},
				{"2026-11-25 10:30", []string{"ack_reminder→fiona"}},
				{"2026-11-25 11:00", nil},
			},
		},
		{
			name: "switched off for one collaboration",
			setup: func(w *world) {
				id := w.amyFiles(at("2026-11-23 10:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					return c.SetReminder(w.as("amy"), "review", "off", at("2026-11-23 10:05"))
				})
			},
			steps: []step{{"2026-11-24 10:00", nil}, {"2026-11-25 10:00", nil}},
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
