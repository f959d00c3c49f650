package scheduler_test

import (
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/configs"
	"github.com/collabot/collabot/internal/forms"
)

// typeDef is a collaboration type as shipped (configs/templates/types.yaml).
func typeDef(t *testing.T, name string) bot.TypeDef {
	t.Helper()
	set, err := forms.Load(configs.FS, "")
	if err != nil {
		t.Fatal(err)
	}
	def, ok := set.Type(name)
	if !ok {
		t.Fatalf("no type %q", name)
	}
	return def
}

// file has carol (运营部) file a request of a type at when.
func (w *world) file(def bot.TypeDef, req bot.Request, when time.Time) bot.CollabID {
	w.t.Helper()
	var id bot.CollabID
	if err := w.store.Apply(w.ctx, ws, "", func(tx bot.Tx) error {
		id = bot.CollabID(w.next(tx, bot.KindCollab))
		c, err := bot.NewTyped(w.dir, id, w.as("carol"), req, def, when)
		if err != nil {
			return err
		}
		if err := c.Submit(w.dir, w.as("carol"), when); err != nil {
			return err
		}
		return tx.Save(w.ctx, c)
	}); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// TestAlignmentChasesUnconfirmedDepartments: an alignment sent on a
// Thursday chases its two unconfirmed departments each business day from
// the next one (not the weekend), stops chasing one once it confirmed,
// and at the deadline escalates the other to its head and the sender and
// gives the sender the read receipts. The acknowledgement's one reminder
// does not run.
func TestAlignmentChasesUnconfirmedDepartments(t *testing.T) {
	w := newWorld(t)
	id := w.file(typeDef(t, "alignment"), bot.Request{Topic: "差旅制度更新", Content: "住宿标准调整,1月1日起执行",
		Departments: []bot.Assignment{{Department: "研发部"}, {Department: "财务部"}}, Due: at("2026-12-01 18:00")},
		at("2026-11-26 15:00"))
	run(t, w, []step{
		{"2026-11-26 16:00", nil},
		{"2026-11-27 09:59", nil}, // the acknowledgement's 1 business day is not chased either
		{"2026-11-27 10:00", []string{"read_reminder→ben", "read_reminder→fiona"}},
		{"2026-11-27 15:00", nil},
		{"2026-11-28 10:00", nil}, // Saturday
		{"2026-11-29 10:00", nil}, // Sunday
	})
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		return c.ConfirmRead(w.as("ben"), "研发部", "酒店协议价如何申请?", at("2026-11-29 12:00"))
	})
	run(t, w, []step{
		{"2026-11-30 10:00", []string{"read_reminder→fiona"}},
		{"2026-12-01 10:00", []string{"read_reminder→fiona"}},
		{"2026-12-01 17:59", nil},
		{"2026-12-01 18:00", []string{"read_escalation→carol", "read_escalation→frank", "read_summary_due→carol"}},
		{"2026-12-02 10:00", nil},
	})
	if c := w.collab(id); c.Status != bot.StatusAwaitingAck || c.Acks[0].Question == "" {
		t.Errorf("after the deadline: %s, %+v", c.Status, c.Acks)
	}
}

// TestAlignmentAllConfirmedStopsChasing: once the last department
// confirms, the sender has the receipts at once and nothing is chased.
func TestAlignmentAllConfirmedStopsChasing(t *testing.T) {
	w := newWorld(t)
	id := w.file(typeDef(t, "alignment"), bot.Request{Topic: "Q1 规划宣贯", Content: "Q1 目标与分工",
		Departments: []bot.Assignment{{Department: "研发部"}, {Department: "财务部"}}, Due: at("2026-12-01 18:00")},
		at("2026-11-26 15:00"))
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		if err := c.ConfirmRead(w.as("ben"), "研发部", "", at("2026-11-26 16:00")); err != nil {
			return err
		}
		return c.ConfirmRead(w.as("fiona"), "财务部", "", at("2026-11-26 16:30"))
	})
	if c := w.collab(id); c.Status != bot.StatusArchived {
		t.Fatalf("all confirmed: %s", c.Status)
	}
	run(t, w, []step{{"2026-11-27 10:00", nil}, {"2026-12-01 18:00", nil}})
}

// TestResourceReturnReminderAndEscalation: a loan ending Friday 18:00 is
// reminded to the borrower and the lender a business day before, and
// escalated a business day after (Monday, over the weekend) to the
// lender's head, the borrower's head and the coordinator; once returned,
// nothing more.
func TestResourceReturnReminderAndEscalation(t *testing.T) {
	w := newWorld(t)
	def := typeDef(t, "resource")
	id := w.file(def, bot.Request{Topic: "借调测试工程师", Goal: "双十二回归测试",
		Departments: []bot.Assignment{{Department: "研发部"}},
		Resource: &bot.Resource{Kind: "people", What: "测试工程师", Quantity: "2人",
			From: at("2026-11-24 09:00"), Until: at("2026-12-04 18:00"), Boundaries: "仅回归测试"}},
		at("2026-11-23 10:00"))
	c := w.collab(id)
	if len(c.Acks) != 1 || c.Acks[0].Contact != "bob" {
		t.Fatalf("the lender's head approves: %+v", c.Acks)
	}
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		return c.Acknowledge(w.as("bob"), "研发部", bot.Answer{Decision: bot.AckAccepted}, at("2026-11-23 11:00"))
	})
	run(t, w, []step{
		{"2026-11-23 17:00", nil}, // no daily progress for a loan
		{"2026-11-30 10:00", nil}, // nor a weekly board
		{"2026-12-03 16:59", nil},
		{"2026-12-03 17:00", []string{"return_reminder→bob", "return_reminder→carol"}},
		{"2026-12-04 18:00", nil},
		{"2026-12-07 17:59", nil},
		// bob lends and carol borrows (and heads the requesting department): leadership is told.
		{"2026-12-07 18:00", []string{"return_escalation→bob", "return_escalation→carol", "return_escalation→henry", "return_escalation→lily"}},
	})
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		return c.ReturnResource(w.as("carol"), "已归还", at("2026-12-08 10:00"))
	})
	run(t, w, []step{{"2026-12-09 18:00", nil}})
	if c := w.collab(id); c.Status != bot.StatusArchived || c.Returned == nil {
		t.Errorf("returned: %s %+v", c.Status, c.Returned)
	}
}

// TestProblemFirstResponseIn24Hours: a problem's responsible departments
// are chased 24 hours after it was filed (not one business day), and
// their heads and the requester 4 business hours later.
func TestProblemFirstResponseIn24Hours(t *testing.T) {
	w := newWorld(t)
	id := w.file(typeDef(t, "problem"), bot.Request{Topic: "订单重复扣款", Problem: "客户投诉重复扣款", Impact: "约200单",
		Departments: []bot.Assignment{{Department: "研发部"}, {Department: "财务部"}}, Due: at("2026-12-04 18:00")},
		at("2026-11-24 10:00"))
	run(t, w, []step{
		{"2026-11-24 17:00", nil},
		{"2026-11-25 09:59", nil},
		{"2026-11-25 10:00", []string{"ack_reminder→ben", "ack_reminder→fiona"}},
		{"2026-11-25 14:00", []string{"ack_escalation→bob", "ack_escalation→carol", "ack_escalation→carol", "ack_escalation→frank"}},
	})
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		return c.Resolve(w.as("ben"), "回调未幂等", "加幂等校验并退款", at("2026-11-25 15:00"))
	})
	if c := w.collab(id); c.Status != bot.StatusArchived || c.Resolution == nil {
		t.Errorf("resolved: %s", c.Status)
	}
	run(t, w, []step{{"2026-11-26 14:00", nil}})
}

func (w *world) collab(id bot.CollabID) *bot.Collaboration {
	w.t.Helper()
	var c *bot.Collaboration
	if err := w.store.View(w.ctx, ws, func(tx bot.Tx) error {
		var err error
		c, err = tx.Collaboration(w.ctx, id)
		return err
	}); err != nil {
		w.t.Fatal(err)
	}
	return c
}
