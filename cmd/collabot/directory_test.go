package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/testkit"
)

// directoryOrg is a small organisation file: 研发部 and 市场部, four
// people, and the Slack user group @rd as 研发部.
const directoryOrg = `workspace: acme
directory:
  slack_groups: {rd: 研发部}
departments:
  - name: 研发部
    aliases: [rd, 研发]
    head: bob
    contact: ben
    members: [bob, ben, emma]
  - name: 市场部
    head: alice
    contact: alice
    members: [alice]
leadership: [alice]
people:
  - {id: alice, name: 张丽 Alice, slack: U0ALICE, dingtalk: "manager4821"}
  - {id: bob, name: 李强 Bob, slack: U0BOB, dingtalk: "manager3307"}
  - {id: ben, name: 陈斌 Ben, dingtalk: "staff2051"}
  - {id: emma, name: 刘艳 Emma, dingtalk: "staff2088"}
`

// directoryPlatforms are the fakes with their directories: on DingTalk
// 研发部 (led by bob's account) with 王伟, whom the file does not know,
// and 测试部, which it does not know either, with emma in it; on Slack
// @rd with bob and Nora. Pages are two people long, so every listing
// pages.
func directoryPlatforms(t *testing.T, clock bot.Clock) (*platforms, string) {
	p := newPlatforms(t, clock)
	p.dingtalk.SetDirectory([]dingtest.Department{{ID: 100, Name: "研发部", Parent: 1}, {ID: 103, Name: "测试部", Parent: 1}},
		[]dingtest.Member{
			{UserID: "manager3307", Name: "李强", Departments: []int64{100}, Leads: []int64{100}},
			{UserID: "staff2051", Name: "陈斌", Departments: []int64{100}},
			{UserID: "staff9001", Name: "王伟", Departments: []int64{100}},
			{UserID: "staff2088", Name: "刘艳", Departments: []int64{103}},
			{UserID: "staff9004", Name: "赵磊", Departments: []int64{103}, Leads: []int64{103}},
		})
	p.dingtalk.SetUserPage(2)
	p.slack.SetMembers([]slackfake.Member{{ID: "U0ALICE", Name: "Alice Zhang"}, {ID: "U0BOB", Name: "Bob Li"},
		{ID: "U0NORA", Name: "Nora Lee"}, {ID: "U0BOT", Name: "deploy bot", Bot: true}})
	p.slack.SetGroups([]slackfake.Group{{ID: "S0RD", Handle: "rd", Name: "R&D", Users: []string{"U0BOB", "U0NORA"}}})
	p.slack.SetUserPage(2)
	path := filepath.Join(t.TempDir(), "collabot.yaml")
	if err := os.WriteFile(path, []byte(directoryOrg), 0o600); err != nil {
		t.Fatal(err)
	}
	return p, path
}

const directoryDryRun = `Read from DingTalk: 2 departments, 5 people.
Read from Slack: 1 user group mapped to departments, 3 people.
Dry run: nothing was written. A sync would make these changes.

Departments to add (3):
  + 研发部 (dingtalk:100, configured)
  + 测试部 (dingtalk:103, new department)
  + 研发部 (slack:S0RD, configured)

People to add (8):
  + dingtalk:manager3307 李强 → configured as bob
  + dingtalk:staff2051 陈斌 → configured as ben
  + dingtalk:staff2088 刘艳 → configured as emma
  + dingtalk:staff9001 王伟 → 研发部
  + dingtalk:staff9004 赵磊 → 测试部 (leads 测试部)
  + slack:U0ALICE Alice Zhang → configured as alice
  + slack:U0BOB Bob Li → configured as bob
  + slack:U0NORA Nora Lee → 研发部

Conflicts with the configuration (3); the configuration wins:
  ! emma (dingtalk:staff2088): configured in 研发部, dingtalk puts them in 测试部
  ! 市场部: configured head alice (dingtalk:manager4821) is not in dingtalk's directory
  ! 市场部: configured contact alice (dingtalk:manager4821) is not in dingtalk's directory
`

// TestDirectorySyncDryRun: against both fakes, through the real clients,
// the dry run prints the departments and people a sync would add and the
// conflicts with the configuration, and writes nothing.
func TestDirectorySyncDryRun(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	p, org := directoryPlatforms(t, clock)
	code, out, errOut := runCLI(t, p.vars, "directory", "sync", "--dry-run", "--config", org)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != directoryDryRun {
		t.Errorf("dry run printed\n%s\nwant\n%s", out, directoryDryRun)
	}
	if _, err := os.Stat(p.vars["COLLABOT_DB"]); err == nil {
		t.Error("the dry run created a database")
	}
	// On an existing database too, it writes nothing.
	if code, _, errOut := runCLI(t, p.vars, "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	if code, again, _ := runCLI(t, p.vars, "directory", "sync", "--dry-run", "--config", org); code != 0 || again != directoryDryRun {
		t.Errorf("dry run on a database: exit %d\n%s", code, again)
	}
	if synced := storedDirectory(t, p.vars["COLLABOT_DB"]); len(synced.People) != 0 {
		t.Errorf("the dry run wrote %d people", len(synced.People))
	}
	// Without a subcommand, the usage.
	if code, _, errOut := runCLI(t, p.vars, "directory"); code != 2 || !strings.Contains(errOut, directorySynopsis) {
		t.Errorf("collabot directory: exit %d, %s", code, errOut)
	}
}

// TestDirectorySyncThenAcknowledge is the acceptance: after a real sync,
// 王伟, a DingTalk user of 研发部 the configuration does not know, can be
// named 研发部's contact and acknowledges for 研发部 from DingTalk through
// serve (the real Stream SDK against the fake). Syncing again changes
// nothing; someone who leaves is marked gone and kept.
func TestDirectorySyncThenAcknowledge(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	p, org := directoryPlatforms(t, clock)
	code, out, errOut := runCLI(t, p.vars, "directory", "sync", "--config", org)
	if code != 0 || !strings.Contains(out, "Written to the store.") || !strings.Contains(out, "People added (8):") {
		t.Fatalf("sync: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := runCLI(t, p.vars, "directory", "sync", "--config", org); code != 0 || !strings.Contains(out, "Nothing changed.") {
		t.Fatalf("a second sync: exit %d\n%s", code, out)
	}
	_, v1 := storedVersion(t, p.vars["COLLABOT_DB"])

	svc := startService(t, p.vars, clock, "--config", org)
	dt := p.dingtalk
	alice := dingtest.User{StaffID: "manager4821", Nick: "张丽"}
	wang := dingtest.User{StaffID: "staff9001", Nick: "王伟"}
	aliceDM := dingtest.DirectChat(alice.StaffID)
	fr := dt.Message(aliceDM, alice, "发起协作\n协作主题: 新品推广接口调试\n协作背景与目标: Q4 新品上线\n需协助部门: 研发部\n对接人: 王伟\n"+
		"具体需求描述: 完成接口调试\n期望完成时间: 2026-12-31")
	dt.Deliver(fr)
	replied(t, dt, fr, "王伟")
	fr = dt.Message(aliceDM, alice, "确认")
	dt.Deliver(fr)
	replied(t, dt, fr, "COL-1")

	card := lastDM(t, dt, wang.StaffID, "新品推广接口调试")
	wangDM := dingtest.DirectChat(wang.StaffID)
	fr, err := dt.Click(wangDM, wang, dingButton(t, card, "承接"))
	if err != nil {
		t.Fatal(err)
	}
	replied(t, dt, fr, "承接范围")
	for _, step := range []string{"跳过", "跳过", "跳过"} {
		fr := dt.Message(wangDM, wang, step)
		dt.Deliver(fr)
		replied(t, dt, fr, "")
	}
	fr = dt.Message(wangDM, wang, "确认")
	dt.Deliver(fr)
	replied(t, dt, fr, "已承接")
	// alice hears of it where the dispatcher reaches her, on Slack.
	p.slack.WaitPost("D0ALICE", "研发部")
	if err := svc.stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	// The record names him as the platform does.
	if code, out, errOut := runCLI(t, p.vars, "export", "COL-1", "--config", org); code != 0 || !strings.Contains(out, "研发部") || !strings.Contains(out, "王伟") {
		t.Errorf("export: exit %d, %s\n%s", code, errOut, out)
	}

	// 赵磊 leaves: the next sync marks him gone, and keeps his record.
	p.dingtalk.SetDirectory([]dingtest.Department{{ID: 100, Name: "研发部", Parent: 1}, {ID: 103, Name: "测试部", Parent: 1}},
		[]dingtest.Member{
			{UserID: "manager3307", Name: "李强", Departments: []int64{100}, Leads: []int64{100}},
			{UserID: "staff2051", Name: "陈斌", Departments: []int64{100}},
			{UserID: "staff9001", Name: "王伟", Departments: []int64{100}},
			{UserID: "staff2088", Name: "刘艳", Departments: []int64{103}},
		})
	code, out, errOut = runCLI(t, p.vars, "directory", "sync", "--config", org)
	if code != 0 || !strings.Contains(out, "People marked gone (1):\n  - dingtalk:staff9004 赵磊 (kept in the records)\n") {
		t.Fatalf("sync after a leave: exit %d\n%s\n%s", code, out, errOut)
	}
	synced, v2 := storedVersion(t, p.vars["COLLABOT_DB"])
	if v2 != v1+1 {
		t.Errorf("version %d after a leave, want %d", v2, v1+1)
	}
	found := false
	for _, sp := range synced.People {
		if sp.Account.ID == "staff9004" {
			found = sp.Gone && sp.Name == "赵磊"
		}
	}
	if !found {
		t.Errorf("赵磊 is not kept as gone: %+v", synced.People)
	}
}

func storedDirectory(t *testing.T, db string) bot.Synced {
	s, _ := storedVersion(t, db)
	return s
}

func storedVersion(t *testing.T, db string) (bot.Synced, int64) {
	t.Helper()
	store, err := database.Open(context.Background(), db, database.Options{Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, v, err := store.Synced(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

// TestServeSyncsDirectoryDaily: with COLLABOT_DIRECTORY_SYNC=daily, serve
// reads the platforms' directories as it starts; without it, it does not.
func TestServeSyncsDirectoryDaily(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	p, org := directoryPlatforms(t, clock)
	p.vars["COLLABOT_DIRECTORY_SYNC"] = "daily"
	startService(t, p.vars, clock, "--config", org)
	testkit.Eventually(t, "serve to sync the directory", func() bool {
		_, v := storedVersion(t, p.vars["COLLABOT_DB"])
		return v > 0
	})

	off, org := directoryPlatforms(t, clock)
	r := startService(t, off.vars, clock, "--config", org)
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	if n := off.dingtalk.ContactCalls("/topapi/v2/user/list"); n != 0 {
		t.Errorf("serve read DingTalk's directory %d times with the sync off", n)
	}
}

// TestDirectorySyncRefusesAnEmptyDirectory: a platform that lists nobody
// (an app without the contact permissions) is refused, not taken to mean
// that everyone left; without credentials there is nothing to read.
func TestDirectorySyncRefusesAnEmptyDirectory(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	p, org := directoryPlatforms(t, clock)
	if code, _, errOut := runCLI(t, p.vars, "directory", "sync", "--config", org); code != 0 {
		t.Fatal(errOut)
	}
	p.dingtalk.SetDirectory(nil, nil)
	code, _, errOut := runCLI(t, p.vars, "directory", "sync", "--config", org)
	if code != 1 || !strings.Contains(errOut, "dingtalk's directory lists nobody") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	for _, sp := range storedDirectory(t, p.vars["COLLABOT_DB"]).People {
		if sp.Gone {
			t.Errorf("%s marked gone by an empty answer", sp.Account.ID)
		}
	}
	code, _, errOut = runCLI(t, map[string]string{"COLLABOT_DB": p.vars["COLLABOT_DB"]}, "directory", "sync", "--config", org)
	if code != 1 || !strings.Contains(errOut, "no platform to read a directory from") {
		t.Errorf("without credentials: exit %d: %s", code, errOut)
	}
}
