package main

import (
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
)

// TestDirectorySyncOnePersonOnBothPlatforms: 王伟 is on DingTalk (in
// 研发部) and on Slack, with the same company mailbox, and not in the
// file: the dry run says the Slack account is the same person, and after
// the sync the organisation has one 王伟 with both accounts. A Slack
// account that set its phone to 王伟's mobile (free text on Slack) is
// nobody but itself: not merged, not in 研发部.
func TestDirectorySyncOnePersonOnBothPlatforms(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	p, org := directoryPlatforms(t, clock)
	p.dingtalk.SetDirectory([]dingtest.Department{{ID: 100, Name: "研发部", Parent: 1}},
		[]dingtest.Member{{UserID: "manager3307", Name: "李强", Departments: []int64{100}, Leads: []int64{100}},
			{UserID: "staff9001", Name: "王伟", Departments: []int64{100}, OrgEmail: "wang.wei@acme.cn", Mobile: "13800138000"}})
	p.slack.SetMembers([]slackfake.Member{{ID: "U0BOB", Name: "Bob Li"},
		{ID: "U0WANG", Name: "Wei Wang", Email: "Wang.Wei@acme.cn"},
		{ID: "U0MALLORY", Name: "Mallory", Email: "mallory@example.com", Phone: "+86 138 0013 8000"}})
	code, out, errOut := runCLI(t, p.vars, "directory", "sync", "--dry-run", "--config", org)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "+ slack:U0WANG Wei Wang → same person as dingtalk:staff9001") {
		t.Errorf("the dry run:\n%s", out)
	}
	if strings.Contains(out, "U0MALLORY Mallory → same person") {
		t.Errorf("a Slack phone number merged an account in the dry run:\n%s", out)
	}
	if code, out, errOut := runCLI(t, p.vars, "directory", "sync", "--config", org); code != 0 {
		t.Fatalf("sync: exit %d: %s %s", code, out, errOut)
	}
	synced := storedDirectory(t, p.vars["COLLABOT_DB"])
	cfg, err := config.Load(org, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := cfg.Directory().Merge(synced)
	onSlack, ok1 := dir.ByIdentity(bot.Slack, "U0WANG")
	onDing, ok2 := dir.ByIdentity(bot.DingTalk, "staff9001")
	if !ok1 || !ok2 || onSlack.ID != onDing.ID || onDing.ID != "dingtalk:staff9001" {
		t.Fatalf("王伟 after the sync: slack %+v, dingtalk %+v", onSlack, onDing)
	}
	if got := dir.DepartmentsOf(onSlack.ID); len(got) != 1 || got[0] != "研发部" {
		t.Errorf("王伟's departments: %v", got)
	}
	if m, ok := dir.ByIdentity(bot.Slack, "U0MALLORY"); !ok || m.ID == onDing.ID || len(dir.DepartmentsOf(m.ID)) != 0 {
		t.Errorf("U0MALLORY after the sync: %+v in %v", m, dir.DepartmentsOf(m.ID))
	}
}
