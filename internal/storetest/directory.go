package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/collabot/collabot/bot"
)

// testSyncedDirectory: a sync is written once (running it again changes
// nothing and leaves the version alone), a renamed account is changed, an
// account the platform no longer lists is marked gone but kept, and one
// platform's sync never touches another's accounts.
func testSyncedDirectory(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	ws := bot.Workspace("acme")
	read := bot.Synced{
		Departments: []bot.SyncedDepartment{{Platform: bot.DingTalk, ID: "100", Name: "研发部"}, {Platform: bot.DingTalk, ID: "103", Name: "测试部"}},
		People: []bot.SyncedPerson{
			dingUser("wangwei", "王伟", []string{"100"}, nil),
			dingUser("zhaolei", "赵磊", []string{"103"}, []string{"103"}),
		},
	}
	// Email and mobile are kept: they tell one person on two platforms.
	read.People[0].Email, read.People[1].Mobile = "wang.wei@acme.cn", "13800138000"
	slackRead := bot.Synced{People: []bot.SyncedPerson{{Account: bot.Identity{Platform: bot.Slack, ID: "U0NORA"}, Name: "Nora"}}}

	diff, err := s.SaveSynced(ctx, ws, read)
	if err != nil {
		t.Fatal(err)
	}
	if len(diff.AddedDepartments) != 2 || len(diff.Added) != 2 || len(diff.Gone) != 0 {
		t.Fatalf("first sync: %+v", diff)
	}
	if _, err := s.SaveSynced(ctx, ws, slackRead); err != nil {
		t.Fatal(err)
	}
	_, v1, err := s.Synced(ctx, ws)
	if err != nil || v1 != 2 {
		t.Fatalf("version after two syncs = %d, %v; want 2", v1, err)
	}

	again, err := s.SaveSynced(ctx, ws, read)
	if err != nil || !again.Empty() {
		t.Fatalf("the same sync again changed %+v, %v", again, err)
	}
	if _, v, _ := s.Synced(ctx, ws); v != v1 {
		t.Fatalf("an idle sync moved the version %d -> %d", v1, v)
	}

	// 王伟 is renamed and 赵磊 leaves the company.
	next := bot.Synced{Departments: read.Departments, People: []bot.SyncedPerson{dingUser("wangwei", "王伟 Wei", []string{"100"}, nil)}}
	next.People[0].Email = "wang.wei@acme.cn"
	diff, err = s.SaveSynced(ctx, ws, next)
	if err != nil {
		t.Fatal(err)
	}
	if len(diff.Changed) != 1 || diff.Was[diff.Changed[0].Account].Name != "王伟" || len(diff.Gone) != 1 || diff.Gone[0].Account.ID != "zhaolei" {
		t.Fatalf("rename and leave: %+v", diff)
	}
	got, v2, err := s.Synced(ctx, ws)
	if err != nil || v2 != v1+1 {
		t.Fatalf("version %d, %v; want %d", v2, err, v1+1)
	}
	want := []bot.SyncedPerson{
		next.People[0],
		{Account: bot.Identity{Platform: bot.DingTalk, ID: "zhaolei"}, Name: "赵磊", Departments: []string{"103"}, Leads: []string{"103"}, Gone: true, Mobile: "13800138000"},
		{Account: bot.Identity{Platform: bot.Slack, ID: "U0NORA"}, Name: "Nora"},
	}
	if !slices.EqualFunc(got.People, want, samePerson) {
		t.Fatalf("stored people:\n got %+v\nwant %+v", got.People, want)
	}

	// Whoever comes back is back.
	diff, err = s.SaveSynced(ctx, ws, read)
	if err != nil || len(diff.Changed) != 2 {
		t.Fatalf("coming back: %+v, %v", diff, err)
	}

	// The roster reads the synced directory through a transaction, and
	// another workspace sees none of it.
	err = s.View(ctx, ws, func(tx bot.Tx) error {
		r := bot.NewRoster(bot.NewDirectory(ws, nil, nil, nil))
		dir, err := r.Directory(ctx, ws, tx)
		if err != nil {
			return err
		}
		if got := dir.DepartmentsOf("dingtalk:wangwei"); !slices.Equal(got, []string{"研发部"}) {
			t.Errorf("dingtalk:wangwei is in %v, want 研发部", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if other, v, err := s.Synced(ctx, "other"); err != nil || v != 0 || len(other.People) != 0 {
		t.Fatalf("another workspace sees %+v (version %d), %v", other, v, err)
	}
}
