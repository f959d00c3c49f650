package bot_test

import (
	"errors"
	"testing"

	"github.com/collabot/collabot/bot"
)

// loan is 市场部 borrowing two testers from 研发部, submitted: its head
// bob is asked to approve.
func loan(t *testing.T) (*bot.Directory, *bot.Collaboration) {
	t.Helper()
	dir := org(false)
	req := bot.Request{Topic: "借调测试工程师", Goal: "回归测试", Departments: []bot.Assignment{{Department: "研发部"}},
		Resource: &bot.Resource{Kind: "people", What: "测试工程师", Quantity: "2人", From: day(7), Until: day(20)}}
	typ := bot.TypeDef{Name: "resource", Fields: []string{"goal", "resource"}, Steps: []string{bot.StepAcknowledgement, bot.StepApproval, bot.StepReturn}}
	c, err := bot.NewTyped(dir, 1, dir.Actor("amy"), req, typ, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Submit(dir, dir.Actor("amy"), t0); err != nil {
		t.Fatal(err)
	}
	return dir, c
}

// TestOnlyTheHeadApprovesALoan: whoever the acknowledgement names as the
// contact (a record from before contacts of such types were fixed), only
// the lending department's head decides; the contact cannot be changed.
func TestOnlyTheHeadApprovesALoan(t *testing.T) {
	dir, c := loan(t)
	if got := c.ChangeContact(dir, dir.Actor("amy"), "研发部", "bella", day(1)); !refusedWith(got, "refuse.contact.head_approves") {
		t.Fatalf("changing the contact: %v", got)
	}
	c.Acks[0].Contact, c.Request.Departments[0].Contact = "bella", "bella" // as an older record may hold
	for _, who := range []string{"bella", "ben"} {
		err := c.Acknowledge(dir.Actor(bot.PersonID(who)), "研发部", bot.Answer{Decision: bot.AckAccepted}, day(1))
		if !refusedWith(err, "refuse.ack.only_head") {
			t.Fatalf("%s approved: %v", who, err)
		}
		if w := c.WaitsFor(dir.Actor(bot.PersonID(who))); len(w) != 0 {
			t.Errorf("%s is waited for: %+v", who, w)
		}
	}
	if w := c.WaitsFor(dir.Actor("bob")); len(w) != 1 || w[0].Kind != bot.WaitAck {
		t.Errorf("the head is not waited for: %+v", w)
	}
	if err := c.Acknowledge(dir.Actor("bob"), "研发部", bot.Answer{Decision: bot.AckAccepted}, day(1)); err != nil {
		t.Fatalf("the head: %v", err)
	}
}

func refusedWith(err error, key string) bool {
	var e *bot.Error
	return errors.As(err, &e) && e.Msg.Key == key
}
