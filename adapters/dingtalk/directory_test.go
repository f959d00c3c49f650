package dingtalk_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
)

// directoryFake is a small organisation: 研发部 with a team under it,
// 测试部, and someone directly under the company.
func directoryFake(t *testing.T) *dingtest.Fake {
	f := dingtest.New(t, nil)
	f.SetDirectory([]dingtest.Department{
		{ID: 100, Name: "研发部", Parent: 1},
		{ID: 101, Name: "后端组", Parent: 100},
		{ID: 103, Name: "测试部", Parent: 1},
	}, []dingtest.Member{
		{UserID: "manager3307", Name: "李强", Departments: []int64{100}, Leads: []int64{100}},
		{UserID: "staff9001", Name: "王伟", Departments: []int64{100}, OrgEmail: "wang.wei@acme.cn", Email: "wei@home.example"},
		{UserID: "staff9002", Name: "孙丽", Departments: []int64{100, 101}, Email: "lina@acme.cn"},
		{UserID: "staff9003", Name: "周杰", Departments: []int64{100}},
		{UserID: "staff9004", Name: "赵磊", Departments: []int64{103}, Leads: []int64{103}},
		{UserID: "ceo0001", Name: "林总", Departments: []int64{1}},
	})
	return f
}

// TestReadDirectory reads the fake's contact API through its paging (two
// users a page) and gets every department under the root and every
// person once, with the departments they are in and lead. The company
// mailbox (org_email) is read as the email that tells the same person on
// Slack; the one a person typed in their profile is not.
func TestReadDirectory(t *testing.T) {
	f := directoryFake(t)
	f.SetUserPage(2)
	got, err := dingtalk.ReadDirectory(context.Background(), dingtalk.DirectoryOptions{
		ClientID: f.ClientID, ClientSecret: f.ClientSecret, APIURL: f.URL, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	ding := func(id, name string, depts, leads []string) bot.SyncedPerson {
		return bot.SyncedPerson{Account: bot.Identity{Platform: bot.DingTalk, ID: id}, Name: name, Departments: depts, Leads: leads}
	}
	wang := ding("staff9001", "王伟", []string{"100"}, nil)
	wang.Email = "wang.wei@acme.cn"
	want := bot.Synced{
		Departments: []bot.SyncedDepartment{
			{Platform: bot.DingTalk, ID: "100", Name: "研发部"},
			{Platform: bot.DingTalk, ID: "103", Name: "测试部"},
			{Platform: bot.DingTalk, ID: "101", Name: "后端组"},
		},
		People: []bot.SyncedPerson{
			ding("ceo0001", "林总", nil, nil),
			ding("manager3307", "李强", []string{"100"}, []string{"100"}),
			wang,
			ding("staff9002", "孙丽", []string{"100", "101"}, nil),
			ding("staff9003", "周杰", []string{"100"}, nil),
			ding("staff9004", "赵磊", []string{"103"}, []string{"103"}),
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read\n %+v\nwant\n %+v", got, want)
	}
	// 研发部's four people on pages of two, and one page for every other.
	if n := f.ContactCalls("/topapi/v2/user/list"); n != 2+1+1+1 {
		t.Errorf("user/list called %d times, want 5 (研发部 takes two pages)", n)
	}
	if n := f.ContactCalls("/topapi/v2/department/listsub"); n != 4 {
		t.Errorf("department/listsub called %d times, want 4 (the root and each department)", n)
	}
}

// TestReadDirectoryCredentials: each read fetches its own token, so one
// DingTalk revoked since does not matter; wrong credentials fail.
func TestReadDirectoryCredentials(t *testing.T) {
	f := directoryFake(t)
	o := dingtalk.DirectoryOptions{ClientID: f.ClientID, ClientSecret: f.ClientSecret, APIURL: f.URL}
	if _, err := dingtalk.ReadDirectory(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	f.RevokeTokens()
	if _, err := dingtalk.ReadDirectory(context.Background(), o); err != nil {
		t.Fatalf("after a revoked token: %v", err)
	}
	o.ClientSecret = "wrong"
	if _, err := dingtalk.ReadDirectory(context.Background(), o); err == nil {
		t.Fatal("wrong credentials read the directory")
	}
}
