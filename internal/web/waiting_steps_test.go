package web

import (
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// TestWaitingSteps: the Mine page lists the goal consensus to sign and
// the plan to decide, from the same rule as chat's bare 确认.
func TestWaitingSteps(t *testing.T) {
	people := []bot.Person{}
	for _, id := range []string{"amy", "bob", "ben", "lily"} {
		people = append(people, bot.Person{ID: bot.PersonID(id), Name: id})
	}
	dir := bot.NewDirectory("acme", []bot.Department{
		{Name: "市场部", Head: "amy", Contact: "amy", Members: []bot.PersonID{"amy"}},
		{Name: "研发部", Head: "bob", Contact: "ben", Members: []bot.PersonID{"bob", "ben"}},
	}, []bot.PersonID{"lily"}, people)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c, err := bot.NewCollaboration(dir, 1, dir.Actor("amy"), bot.Request{Topic: "接口", Goal: "g", Requirements: "r",
		Departments: []bot.Assignment{{Department: "研发部"}}, Due: now.AddDate(0, 1, 0)}, now)
	if err != nil {
		t.Fatal(err)
	}
	c.Acks = []bot.Acknowledgement{{Department: "研发部", Contact: "ben", Status: bot.AckAccepted}}
	c.Status, c.ActivatedAt = bot.StatusActive, now
	c.OpenSteps(dir, bot.Workflow{Signoff: true, PlanApproval: true}, "", now, true)
	if _, err := c.SubmitPlan(dir.Actor("ben"), "", bot.PlanForm{Method: "m"}, now); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who  bot.PersonID
		lang bot.Lang
		want string
	}{
		{"bob", bot.Chinese, "合作目标共识函等你代表研发部签署 | 共识函 COL-1 签署 研发部"},
		{"lily", bot.English, "研发部's implementation plan waits for your decision | plan COL-1 approve 研发部"},
	} {
		items := waiting([]*bot.Collaboration{c}, &viewer{Actor: dir.Actor(tc.who), Dir: dir, Lang: tc.lang, Now: now})
		var got []string
		for _, it := range items {
			got = append(got, it.What+" | "+it.Command)
		}
		if !strings.Contains(strings.Join(got, "\n"), tc.want) {
			t.Errorf("%s waits for %q, want %q", tc.who, got, tc.want)
		}
	}
}
