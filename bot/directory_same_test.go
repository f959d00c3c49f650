package bot_test

import (
	"slices"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestMergeOnePersonOnTwoPlatforms: someone the configuration does not
// know, on DingTalk and on Slack with the same email, becomes one person
// with both accounts, in the departments of both; accounts that share a
// mailbox on one platform, or match nobody, stay apart — and so does a
// Slack account whose (unverified) phone is a DingTalk person's mobile:
// a phone number is no proof of who someone is.
func TestMergeOnePersonOnTwoPlatforms(t *testing.T) {
	slack := func(id, name string, depts []string, email, mobile string) bot.SyncedPerson {
		return bot.SyncedPerson{Account: bot.Identity{Platform: bot.Slack, ID: id}, Name: name, Departments: depts, Email: email, Mobile: mobile}
	}
	dt := func(id, name string, depts []string, email, mobile string) bot.SyncedPerson {
		p := ding(id, name, depts, nil)
		p.Email, p.Mobile = email, mobile
		return p
	}
	s := bot.Synced{Departments: syncedDepts, People: []bot.SyncedPerson{
		dt("staff9001", "王伟", []string{"100"}, "Wang.Wei@acme.cn", ""),
		slack("U0WANG", "Wei Wang", []string{"S0QA"}, "wang.wei@acme.cn ", ""),
		dt("staff9002", "李娜", []string{"103"}, "", "+86 138-0013-8000"),
		slack("U0LINA", "Na Li", nil, "", "13800138000"),
		dt("staff9003", "共用一", nil, "shared@acme.cn", ""),
		dt("staff9007", "共用二", nil, "shared@acme.cn", ""),
		slack("U0SHARED", "Shared", nil, "shared@acme.cn", ""),
		slack("U0NORA", "Nora", nil, "nora@acme.cn", ""),
		dt("staff2051", "陈斌", []string{"100"}, "nora@acme.cn", ""), // ben, configured: the file says who he is
	}}
	dir, _ := configured().Merge(s)

	for _, c := range []struct {
		person bot.PersonID
		accts  []string
		depts  []string
	}{
		{"dingtalk:staff9001", []string{"staff9001", "U0WANG"}, []string{"研发部", "测试部"}},
		{"dingtalk:staff9002", []string{"staff9002"}, []string{"测试部"}},
		{"slack:U0LINA", []string{"U0LINA"}, nil},
		{"dingtalk:staff9003", []string{"staff9003"}, nil},
		{"slack:U0SHARED", []string{"U0SHARED"}, nil},
		{"slack:U0NORA", []string{"U0NORA"}, nil},
	} {
		p, ok := dir.Person(c.person)
		if !ok {
			t.Errorf("%s: not in the merged directory", c.person)
			continue
		}
		var accts []string
		for _, a := range p.Identities {
			accts = append(accts, a.ID)
		}
		if !slices.Equal(accts, c.accts) {
			t.Errorf("%s: accounts %v, want %v", c.person, accts, c.accts)
		}
		got := dir.DepartmentsOf(c.person)
		slices.Sort(got)
		want := slices.Clone(c.depts)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: departments %v, want %v", c.person, got, want)
		}
	}
	for _, gone := range []bot.PersonID{"slack:U0WANG"} {
		if _, ok := dir.Person(gone); ok {
			t.Errorf("%s is a person of their own beside the merged one", gone)
		}
	}
	if p, ok := dir.ByIdentity(bot.Slack, "U0WANG"); !ok || p.ID != "dingtalk:staff9001" {
		t.Errorf("U0WANG is %+v", p)
	}
	if p, _ := dir.ByIdentity(bot.DingTalk, "staff2051"); p.ID != "ben" {
		t.Errorf("ben's account is %s's", p.ID)
	}
}
