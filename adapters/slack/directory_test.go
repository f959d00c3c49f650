package slack_test

import (
	"context"
	"reflect"
	"testing"

	slackadapter "github.com/collabot/collabot/adapters/slack"
	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
)

// TestReadDirectory reads the fake workspace through the real slack-go
// client: users.list page by page (two a page), without bots and
// deactivated accounts, and the mapped user group's members as a
// department; a rate-limited usergroups.users.list is waited out. The
// email Slack verified is read; the phone, free text, is not.
func TestReadDirectory(t *testing.T) {
	f := slackfake.New(t)
	f.SetMembers([]slackfake.Member{
		{ID: "U0BOB", Name: "Bob Li"},
		{ID: "U0NORA", Name: "Nora Lee", Email: "nora@acme.cn", Phone: "13800138000"},
		{ID: "U0GONE", Name: "Old Timer", Deleted: true},
		{ID: "U0HELPER", Name: "Helper", Bot: true},
		{ID: "U0OMAR", Name: "Omar Haddad"},
	})
	f.SetGroups([]slackfake.Group{
		{ID: "S0RD", Handle: "rd", Name: "R&D", Users: []string{"U0BOB", "U0NORA", "U0GONE"}},
		{ID: "S0FUN", Handle: "fun", Name: "Lunch club", Users: []string{"U0OMAR"}},
		{ID: "S0OPS", Handle: "ops", Name: "Operations", Users: []string{"U0OMAR"}},
	})
	f.SetUserPage(2)
	f.SetThrottle("usergroups.users.list", 1)
	got, err := slackadapter.ReadDirectory(context.Background(), slackadapter.DirectoryOptions{
		BotToken: slackfake.BotToken, APIURL: f.URL(),
		Groups: map[string]string{"rd": "研发部", "S0OPS": "运营部", "nosuch": "法务部"}})
	if err != nil {
		t.Fatal(err)
	}
	slack := func(id, name string, depts ...string) bot.SyncedPerson {
		return bot.SyncedPerson{Account: bot.Identity{Platform: bot.Slack, ID: id}, Name: name, Departments: depts}
	}
	nora := slack("U0NORA", "Nora Lee", "S0RD")
	nora.Email = "nora@acme.cn"
	want := bot.Synced{
		Departments: []bot.SyncedDepartment{{Platform: bot.Slack, ID: "S0RD", Name: "研发部"}, {Platform: bot.Slack, ID: "S0OPS", Name: "运营部"}},
		People:      []bot.SyncedPerson{slack("U0BOB", "Bob Li", "S0RD"), nora, slack("U0OMAR", "Omar Haddad", "S0OPS")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read\n %+v\nwant\n %+v", got, want)
	}
	if n := f.Count("users.list"); n != 3 {
		t.Errorf("users.list called %d times, want 3 pages of two", n)
	}
	if n := f.Count("usergroups.users.list"); n != 3 {
		t.Errorf("usergroups.users.list called %d times, want 3 (one rate-limited, two mapped groups)", n)
	}
}
